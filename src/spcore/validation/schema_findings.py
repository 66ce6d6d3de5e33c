"""Turn JSON Schema errors into findings a scheme administrator can act on.

``jsonschema`` reports problems in the schema's terms ("'x' is not valid
under any of the given schemas"). Each error here becomes one ``SPC-S``
finding that names the field by its title, says what was expected and what
was found, and points at the value with a JSON Pointer.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from spcore.excerpt import excerpt
from spcore.findings import Finding, error, pointer
from spcore.framework import periods

SCHEMA_CODES: dict[str, str] = {
    "SPC-S001": "A required field is missing.",
    "SPC-S002": "A field the standard does not define (misspelt, or not allowed in a return).",
    "SPC-S003": "A value of the wrong type (text where a number is expected, and so on).",
    "SPC-S004": "A code that is not in its codelist, or a fixed value that differs.",
    "SPC-S005": "A number outside its allowed range (for example a negative count).",
    "SPC-S006": "Text in the wrong form (a date, quarter or identifier written wrongly).",
    "SPC-S007": "A list with too many or too few entries, or text too long or too short.",
    "SPC-S008": "A value the schema refuses for another reason.",
    "SPC-S009": "A value that matches the schema's form but cannot be right (e.g. '2025-27 Q1').",
    "SPC-S010": "A return written for an earlier version of the standard: what to change.",
}

_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "object": "an object ({...})",
    "array": "a list ([...])",
    "boolean": "true or false",
    "null": "empty (null)",
}

_MAX_LISTED_CODES = 12


def _clip(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_name(error_: ValidationError, title: str | None) -> str:
    if title:
        return f"'{title}'"
    path = list(error_.absolute_path)
    if path:
        return f"'{path[-1]}'"
    return "the document"


def _title(schema: Any) -> str | None:
    if isinstance(schema, dict):
        value = schema.get("title")
        return value if isinstance(value, str) else None
    return None


def _is_null_branch(err: ValidationError) -> bool:
    return (
        err.validator == "type"
        and isinstance(err.schema, dict)
        and err.schema.get("type") == "null"
    )


def _expected_types(value: Any) -> str:
    types = value if isinstance(value, list) else [value]
    return " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in types)


def findings_from_errors(errors: Iterable[ValidationError]) -> Iterator[Finding]:
    """Map ``jsonschema`` errors to findings, one or more per error."""
    for err in errors:
        yield from _convert(err, None)


def _convert(err: ValidationError, parent_title: str | None) -> Iterator[Finding]:
    path = pointer(*err.absolute_path)
    title = _title(err.schema) or parent_title
    name = _field_name(err, title)
    kind = err.validator
    schema = err.schema if isinstance(err.schema, dict) else {}

    if kind in ("anyOf", "oneOf") and err.context:
        # Optional fields are "X or null": report why the value is not X.
        branches = [e for e in err.context if not _is_null_branch(e)]
        if branches:
            for sub in branches:
                yield from _convert(sub, title)
            return
    if "propertyNames" in err.relative_schema_path:
        yield from _property_name(err)
        return
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else str(err.validator_value)
        if missing in _misspellings(err.instance, schema).values():
            # The field is there under a misspelt name: the SPC-S002 finding says so.
            return
        props = schema.get("properties", {})
        missing_title = _title(props.get(missing)) or missing
        yield error(
            "SPC-S001",
            pointer(*err.absolute_path, missing),
            f"'{missing_title}' ({missing}) is required but missing.",
        )
        return
    if kind == "additionalProperties":
        yield from _unknown_fields(err)
        return
    if kind == "type":
        yield error(
            "SPC-S003",
            path,
            f"{name} must be {_expected_types(err.validator_value)}; found {_clip(err.instance)}.",
        )
        return
    if kind == "enum":
        yield error("SPC-S004", path, _enum_message(name, err.instance, schema))
        return
    if kind == "const":
        yield error(
            "SPC-S004",
            path,
            f"{name} must be {_clip(err.validator_value)}; found {_clip(err.instance)}.",
        )
        return
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "exclusiveMinimum": "more than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }[kind]
        extra = (
            " (it counts people or things, so it cannot be negative)"
            if (kind == "minimum" and err.validator_value == 0)
            else ""
        )
        yield error(
            "SPC-S005",
            path,
            f"{name} must be {words} {err.validator_value}{extra}; found {_clip(err.instance)}.",
        )
        return
    if kind == "pattern" and schema.get("pattern") == periods.CANONICAL_PATTERN:
        yield error("SPC-S006", path, _quarter_message(name, err.instance))
        return
    if kind == "pattern":
        examples = schema.get("examples") or []
        hint = f" such as {_clip(examples[0])}" if examples else ""
        form = pattern_in_words(str(schema.get("pattern", "")))
        hint += f" ({form})" if form else ""
        yield error(
            "SPC-S006",
            path,
            f"{name} is not written in the expected form{hint}; found {_clip(err.instance)}.",
        )
        return
    if kind == "format":
        fmt = err.validator_value
        if fmt == "date":
            message = f"{name} must be a real date written YYYY-MM-DD; found {_clip(err.instance)}."
        else:
            message = f"{name} must be a valid {fmt}; found {_clip(err.instance)}."
        yield error("SPC-S006", path, message)
        return
    if kind in ("minItems", "maxItems", "minLength", "maxLength"):
        unit = "entries" if kind.endswith("Items") else "characters"
        words = "at least" if kind.startswith("min") else "at most"
        yield error(
            "SPC-S007",
            path,
            f"{name} must have {words} {err.validator_value} {unit}.",
        )
        return
    yield error("SPC-S008", path, f"{name} is not valid: {excerpt(err.message, 200)}.")


def _quarter_message(name: str, value: Any) -> str:
    try:
        quarter = periods.FinancialQuarter.parse(value)
    except periods.QuarterError as exc:
        return f"{name}: {exc}."
    return f"{name} must be written '{quarter}'; found {_clip(value)}."


def _words(class_name: str) -> str:
    """``LinkWorkerSalaries`` -> ``link worker salaries``; ``Phase1Outputs`` -> ``phase 1 outputs``.

    Used only when an object has no key to name it by (a list entry, the document).
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[a-zA-Z])(?=[0-9])", " ", class_name).lower()


def _enum_message(name: str, value: Any, schema: dict[str, Any]) -> str:
    allowed = [str(v) for v in schema.get("enum", [])]
    codelist = schema.get("title") if "codelist" in schema else None
    suggestion = _suggest(str(value), allowed)
    listed = ", ".join(allowed[:_MAX_LISTED_CODES])
    if len(allowed) > _MAX_LISTED_CODES:
        listed += f" and {len(allowed) - _MAX_LISTED_CODES} more"
    where = f"the '{codelist}' codelist" if codelist else "the allowed codes"
    did_you_mean = f" Did you mean '{suggestion}'?" if suggestion else ""
    return f"{_clip(value)} is not a code in {where} ({listed}).{did_you_mean}"


def _property_name(err: ValidationError) -> Iterator[Finding]:
    key = err.instance
    parent = list(err.absolute_path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    yield error(
        "SPC-S004",
        pointer(*parent, str(key)),
        _enum_message("a breakdown key", key, schema),
    )


def _suggest(key: str, known: list[str]) -> str | None:
    """The known field or code ``key`` is most likely a misspelling of, if any is close enough."""
    if len(key) > _LONGEST_REMEMBERED:
        return _closest.__wrapped__(key, tuple(known))
    return _closest(key, tuple(known))


#: Words longer than this are compared each time rather than remembered.
_LONGEST_REMEMBERED = 256


@functools.lru_cache(maxsize=4096)
def _closest(word: str, candidates: tuple[str, ...]) -> str | None:
    # Remembered: comparing a word with every candidate is slow, and an extract repeats
    # its mistakes on line after line.
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _misspellings(instance: Any, schema: dict[str, Any]) -> dict[str, str]:
    """Unknown fields of a closed object that stand for a required field it lacks.

    Maps each such unknown key to the missing required field it resembles. Both
    the ``required`` and the ``additionalProperties`` errors of one object are
    decided from this one function, so a misspelling is reported once, as an
    unknown field, and never again as a missing one.
    """
    if not isinstance(instance, dict) or schema.get("additionalProperties") is not False:
        return {}
    known = list(schema.get("properties", {}))
    required = schema.get("required", [])
    missing = {name for name in required if isinstance(name, str) and name not in instance}
    if not missing:
        return {}
    found: dict[str, str] = {}
    for key in instance:
        if key in known:
            continue
        suggestion = _suggest(str(key), known)
        if suggestion in missing:
            found[str(key)] = suggestion
    return found


def _object_name(err: ValidationError, schema: dict[str, Any]) -> str:
    """How to name the object holding an unknown field: its key, else its schema title."""
    path = list(err.absolute_path)
    if path and isinstance(path[-1], str):
        return path[-1].replace("_", " ")
    return _words(_title(schema) or "this object")


def _unknown_fields(err: ValidationError) -> Iterator[Finding]:
    schema = err.schema if isinstance(err.schema, dict) else {}
    known = list(schema.get("properties", {}))
    instance = err.instance if isinstance(err.instance, dict) else {}
    where = _object_name(err, schema)
    standing_in = _misspellings(instance, schema)
    for key in instance:
        if key in known:
            continue
        suggestion = _suggest(str(key), known)
        if str(key) in standing_in:
            hint = f" Did you mean '{suggestion}'? It is required and missing."
        elif suggestion:
            hint = f" Did you mean '{suggestion}'?"
        else:
            hint = ""
        yield error(
            "SPC-S002",
            pointer(*err.absolute_path, str(key)),
            f"'{excerpt(str(key))}' is not a field of {where}.{hint}",
        )


#: How the parts of a character class read in a sentence.
_CLASS_WORDS = (("A-Za-z", "letters"), ("A-Z", "capital letters"), ("a-z", "small letters"),
                ("0-9", "digits"))  # fmt: skip
_SIMPLE_PATTERN = re.compile(
    r"^\^(?:\[(?P<first>[^\]]+)\])?\[(?P<rest>[^\]]+)\]\{(?P<low>\d+),(?P<high>\d+)\}\$$"
)


def _class_in_words(chars: str) -> str:
    words = []
    for spelt, word in _CLASS_WORDS:
        if spelt in chars:
            words.append(word)
            chars = chars.replace(spelt, "")
    words += [f"'{c}'" for c in chars]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def pattern_in_words(pattern: str) -> str | None:
    """A simple identifier pattern in plain words, or None for any other pattern.

    ``^[A-Za-z0-9][A-Za-z0-9_-]{3,127}$`` reads "4 to 128 characters: letters,
    digits, '_' or '-', starting with a letter or digit", so a finding says
    what the form is, not only that the value is not in it.
    """
    match = _SIMPLE_PATTERN.match(pattern)
    if match is None:
        return None
    extra = 1 if match["first"] else 0
    low, high = int(match["low"]) + extra, int(match["high"]) + extra
    text = f"{low} to {high} characters: {_class_in_words(match['rest'])}"
    if match["first"]:
        first = _class_in_words(match["first"]).replace("letters", "letter")
        first = first.replace("digits", "digit")
        text += f", starting with a {first}"
    return text
