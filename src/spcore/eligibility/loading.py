"""Reading a rule file safely and turning it into a :class:`RuleSet`, or findings.

A rule file is checked *before* any person is evaluated. Every problem
becomes a finding with a JSON Pointer into the file; nothing raises.

Guards against hostile or broken files: size (more than
:data:`MAX_RULE_FILE_BYTES` is refused unread), YAML aliases and anchors
(refused, so "billion laughs" bombs cannot expand), nesting depth (more than
:data:`MAX_DEPTH` levels is refused before the structure is built) and
duplicate keys (refused, since YAML would otherwise keep the last silently).
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from spcore import limits, strict_json, strict_yaml
from spcore.eligibility import engine as e
from spcore.eligibility import rulefile as m
from spcore.excerpt import excerpt
from spcore.findings import Finding, error, escape_pointer_token, pointer

#: Largest rule file read, in bytes (see :mod:`spcore.limits`).
MAX_RULE_FILE_BYTES = limits.RULE_FILE_BYTES
#: Deepest nesting of objects and lists accepted.
MAX_DEPTH = limits.MAX_DEPTH


def _too_deep() -> Finding:
    return error(
        "SPC-E004",
        "",
        f"The rule file nests more than {MAX_DEPTH} levels deep; simplify the rules.",
    )


def _yaml_finding(problem: strict_yaml.StrictYamlError) -> Finding:
    kind = strict_yaml.ProblemKind
    if problem.kind is kind.ALIAS:
        return error(
            "SPC-E003",
            "",
            f"Line {problem.line or 0} uses a YAML anchor or alias (& or *); rule files must "
            "write every value out in full.",
        )
    if problem.kind is kind.TOO_DEEP:
        return _too_deep()
    if problem.kind is kind.DUPLICATE_KEY:
        return error(
            "SPC-E005",
            "",
            f"Line {problem.line} repeats the key '{excerpt(problem.detail)}'; each key may "
            "appear only once in an object.",
        )
    where = f" at line {problem.line}" if problem.line else ""
    where += f", column {problem.column}" if problem.line and problem.column else ""
    return error(
        "SPC-E002", "", f"The rule file is not valid YAML or JSON{where}: {problem.detail}."
    )


def read_rule_data(text: str, *, json_only: bool = False) -> tuple[Any, list[Finding]]:
    """Parse rule-file text (YAML, or JSON which YAML also reads) with the guards.

    Returns the data (``None`` on failure) and findings.
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_RULE_FILE_BYTES:
        return None, [_too_large()]
    if json_only:
        try:
            return strict_json.loads(text, max_depth=MAX_DEPTH), []
        except strict_json.StrictJsonError as exc:
            return None, [_json_finding(exc)]
    try:
        return strict_yaml.load(text, max_depth=MAX_DEPTH), []
    except strict_yaml.StrictYamlError as problem:
        return None, [_yaml_finding(problem)]


def _json_finding(exc: strict_json.StrictJsonError) -> Finding:
    kind = strict_json.JsonProblem
    if exc.kind is kind.TOO_DEEP:
        return _too_deep()
    if exc.kind is kind.DUPLICATE_KEY:
        line = f"Line {exc.line} repeats" if exc.line else "The rule file repeats"
        return error(
            "SPC-E005",
            "",
            f"{line} the key '{exc.detail}'; each key may appear only once in an object.",
        )
    return error("SPC-E002", "", f"The rule file is not valid JSON: {exc.sentence()}.")


def _too_large() -> Finding:
    return error(
        "SPC-E001",
        "",
        f"The rule file is larger than {MAX_RULE_FILE_BYTES // (1024 * 1024)} MB; a rule file "
        "is a few kilobytes of criteria, not data.",
    )


def load_rules(path: str | Path) -> tuple[e.RuleSet | None, list[Finding]]:
    """Read, check and build the rule file at ``path``.

    ``.json`` files are read as JSON; anything else as YAML. Raises
    ``OSError`` only when the file cannot be opened at all (the CLI turns
    that into a one-line error); every problem with the content is a finding.
    """
    file = Path(path)
    if file.stat().st_size > MAX_RULE_FILE_BYTES:
        return None, [_too_large()]
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            error(
                "SPC-E002",
                "",
                f"The rule file is not UTF-8 text (byte {exc.start}); save it as UTF-8.",
            )
        ]
    data, findings = read_rule_data(text, json_only=file.suffix.lower() == ".json")
    if findings:
        return None, findings
    return parse_rules(data)


def parse_rules(data: Any) -> tuple[e.RuleSet | None, list[Finding]]:
    """Validate already-parsed rule data and build the :class:`RuleSet`.

    Returns ``(None, findings)`` when anything is wrong: a rule file is used
    whole or not at all.
    """
    if _depth(data) > MAX_DEPTH:
        return None, [_too_deep()]
    try:
        model = m.EligibilityRules.model_validate(data)
    except ValidationError as exc:
        findings = [_translate(err) for err in exc.errors()]
        return None, _dedupe(findings)
    return build(model), []


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for f in findings:
        key = (f.code, f.path, f.message)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


_KNOWN = sorted({*m.COMBINATORS, *m.CRITERIA})
_TYPE_WORDS = {
    "bool_type": "true or false",
    "int_type": "a whole number",
    "float_type": "a number",
    "string_type": "text",
    "list_type": "a list",
    "model_type": "an object",
    "dict_type": "an object",
    "model_attributes_type": "an object",
}


def _path(loc: tuple[int | str, ...]) -> str:
    tokens = [t for t in loc if not (isinstance(t, str) and t.startswith(m.TAG_PREFIX))]
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def _show(value: Any) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return excerpt(text)


def _translate(err: Any) -> Finding:
    """Turn one pydantic error into a finding a commissioner can act on."""
    kind: str = err["type"]
    loc: tuple[int | str, ...] = tuple(err["loc"])
    path = _path(loc)
    value = err.get("input")
    where = path or "the top level"
    if kind == "invalid_rule":
        if not isinstance(value, dict):
            return error(
                "SPC-E011",
                path,
                f"At {where}: a rule must be an object with one key (all, any, not or a "
                f"criterion name), not {_show(value)}.",
            )
        if len(value) != 1:
            keys = ", ".join(str(k) for k in value) or "no keys"
            return error(
                "SPC-E011",
                path,
                f"At {where}: a rule must have exactly one key (all, any, not or a criterion "
                f"name), but has {keys}; put several criteria inside 'all' or 'any'.",
            )
        key = str(next(iter(value)))
        close = difflib.get_close_matches(key, _KNOWN, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        return error(
            "SPC-E010",
            path + pointer(key),
            f"At {where}: '{key}' is not a known criterion.{hint} Known: {', '.join(_KNOWN)}.",
        )
    if kind == "too_short" and loc and loc[-1] in ("all", "any"):
        return error(
            "SPC-E012",
            path,
            f"At {where}: '{loc[-1]}' needs at least one rule inside it.",
        )
    if kind == "extra_forbidden":
        return error(
            "SPC-E015",
            path,
            f"At {where}: '{loc[-1]}' is not an allowed property here; check the spelling.",
        )
    if kind == "missing":
        return error(
            "SPC-E016",
            path,
            f"At {where}: the required property '{loc[-1]}' is missing.",
        )
    if kind in _TYPE_WORDS:
        return error(
            "SPC-E013",
            path,
            f"At {where}: expected {_TYPE_WORDS[kind]}, found {_show(value)}.",
        )
    message = str(err["msg"]).removeprefix("Value error, ")
    return error("SPC-E014", path, f"At {where}: {message} (found {_show(value)}).")


# --- from the boundary model to the engine ------------------------------------------

_FLAG_LABELS = {
    "in_secondary_care": "in secondary care",
    "parent_of_child_patient": "parent of a child patient",
    "lives_alone": "lives alone",
    "social_isolation": "presenting with a social problem or isolation",
    "frequent_diffuse_issues": "presenting frequently with diffuse issues",
    "mild_to_moderate_mental_health": "mild to moderate mental health condition",
    "known_condition_not_using_services": "known condition, not using health services",
    "at_risk_of_developing_condition": "at risk of developing or worsening a condition",
}

_RANGE_LABELS = {
    "long_term_conditions": ("long-term conditions", False),
    "weekly_medication_spend_gbp": ("weekly medication spend", True),
    "clinical_contacts_per_month": ("clinical contacts per month", False),
}


def _bounds(r: m.AgeRange | m.CountRange | m.AmountRange) -> e.Bounds:
    return e.Bounds(r.at_least, r.more_than, r.at_most, r.less_than)


def _node(rule: Any, path: str) -> e.Node:
    if isinstance(rule, m.AllRule):
        return e.AllOf(tuple(_node(p, f"{path}/all/{i}") for i, p in enumerate(rule.all)), path)
    if isinstance(rule, m.AnyRule):
        return e.AnyOf(tuple(_node(p, f"{path}/any/{i}") for i, p in enumerate(rule.any)), path)
    if isinstance(rule, m.NotRule):
        return e.Not(_node(rule.not_, f"{path}/not"), path)
    name = next(iter(type(rule).model_fields))
    params = getattr(rule, name)
    here = f"{path}/{name}"
    if isinstance(rule, m.AgeRule):
        return e.Age(_bounds(rule.age), here)
    if name in _FLAG_LABELS:
        return e.Flag(name, bool(params), _FLAG_LABELS[name], here)
    if name in _RANGE_LABELS:
        label, money = _RANGE_LABELS[name]
        return e.InRange(name, _bounds(params), label, money, here)
    if isinstance(rule, m.DischargedWithinRule):
        w = rule.discharged_within
        return e.DischargedWithin(w.months, w.weeks, w.days, here)
    if isinstance(rule, m.NoReferralExclusionRule):
        return e.NoExclusion(tuple(dict.fromkeys(rule.no_referral_exclusion.exclusions)), here)
    if isinstance(rule, m.PamLevelRule):
        return e.PamLevel(frozenset(rule.pam_level.levels), here)
    if isinstance(rule, m.ReferralCriterionRule):
        return e.ReferralCriterion(tuple(dict.fromkeys(rule.referral_criterion.any_of)), here)
    raise AssertionError(f"criterion {name} has no engine node")  # a programming error


def build(model: m.EligibilityRules) -> e.RuleSet:
    """Turn a validated rule-file model into the engine's rule set."""
    return e.RuleSet(
        id=model.id,
        title=model.title,
        rule=_node(model.rule, "/rule"),
        description=model.description,
        source=model.source,
    )
