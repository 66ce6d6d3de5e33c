"""The published JSON Schemas, bundled, and an offline resolver for them.

The files here are exact copies of the repository's ``schemas/`` folder
(a test keeps them identical). Every ``$ref`` between them resolves from
this package through :func:`registry`; nothing is ever fetched over the
network, and a ``$ref`` to any other URI fails instead of being retrieved.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING, Any

from spcore import strict_json

# jsonschema and referencing load when a validator or the registry is first
# built, not when the package is imported (listing or exporting schemas, and
# ``spcore --help``, need neither).
if TYPE_CHECKING:
    import jsonschema
    import referencing

SUFFIX = ".schema.json"


def names() -> list[str]:
    """Names of the bundled schemas (``quarterly-return``, ``case-record``, ...)."""
    folder = resources.files(__name__)
    return sorted(p.name[: -len(SUFFIX)] for p in folder.iterdir() if p.name.endswith(SUFFIX))


def text(name: str) -> str:
    """The bundled schema ``name`` as committed text."""
    if name not in names():
        raise KeyError(f"no schema called {name!r}; known: {', '.join(names())}")
    return (resources.files(__name__) / f"{name}{SUFFIX}").read_text(encoding="utf-8")


@functools.cache
def _load(name: str) -> str:
    return text(name)


def load(name: str) -> dict[str, Any]:
    """The bundled schema ``name``, parsed (a fresh copy each call)."""
    data: dict[str, Any] = strict_json.loads_bundled(_load(name))
    return data


def _refuse(uri: str) -> referencing.Resource[Any]:
    import referencing.exceptions

    raise referencing.exceptions.NoSuchResource(uri)


@functools.cache
def registry() -> referencing.Registry[Any]:
    """A registry holding every bundled schema under its ``$id``; unknown URIs are refused."""
    import referencing
    from referencing.jsonschema import DRAFT202012

    resources_ = [
        (schema["$id"], DRAFT202012.create_resource(schema))
        for schema in (load(n) for n in names())
    ]
    return referencing.Registry(retrieve=_refuse).with_resources(resources_)  # type: ignore[call-arg]


@functools.cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """A draft 2020-12 validator for schema ``name``, with format checking, resolving offline."""
    import jsonschema

    schema = load(name)
    cls = jsonschema.Draft202012Validator
    return cls(schema, registry=registry(), format_checker=cls.FORMAT_CHECKER)


@functools.cache
def compiled(name: str, *, reference_dates: bool = True) -> Any:
    """A compiled (``jsonschema-rs``) draft 2020-12 validator for schema ``name``, offline.

    Many times faster than :func:`validator`, which stays the definition of
    what is valid: where the two read the schema differently the compiled one
    is the stricter (its ``$`` does not match before a final newline), so a
    document it accepts the reference accepts too. With ``reference_dates``
    (the default) ``format: date`` is checked by the reference's own check,
    since ``jsonschema-rs`` alone also accepts the year 0000. Other schemas are
    read from this package as ``$ref`` reaches them; any other URI is refused.
    """
    import jsonschema_rs

    formats = {"date": _reference_date} if reference_dates else None
    return jsonschema_rs.Draft202012Validator(
        load(name), validate_formats=True, formats=formats, retriever=_bundled
    )


def _reference_date(value: object) -> bool:
    import jsonschema

    return bool(jsonschema.Draft202012Validator.FORMAT_CHECKER.conforms(value, "date"))


def _bundled(uri: str) -> dict[str, Any]:
    # Every $id is .../NAME.schema.json: the file is found by its name, then its $id checked.
    name = uri.rpartition("/")[2].removesuffix(SUFFIX)
    if name in names():
        schema = load(name)
        if schema["$id"] == uri:
            return schema
    raise ValueError(f"{uri} is not a bundled spcore schema")


def schema_id(name: str) -> str:
    """The ``$id`` of bundled schema ``name``."""
    value: str = load(name)["$id"]
    return value
