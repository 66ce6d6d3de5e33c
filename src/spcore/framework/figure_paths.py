"""Where each figure of a quarterly return lives, read from the return's own model.

A figure is named by a JSON Pointer pattern into the return:

* ``/outputs/people_referred`` — one value;
* ``/outputs/referred_by_age_band/*`` — every member of a breakdown (a map
  from code to count) or of a list;
* ``/impact_on_person/instruments/{i}/people_with_baseline`` — the same
  figure of each item of a list, taken item by item;
* ``#/outputs/community_groups/groups`` — the number of items a list holds.

:func:`figure_shape` says what kind of value a pattern names (a count, money,
staff time, or a number of items), its title, and the codes a breakdown may
use; :func:`count_figures` walks the model for every count it holds. Both
read :class:`~spcore.framework.quarterly_return.QuarterlyReturn`, so a field
added to the return is found without being listed here.
"""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Iterator
from typing import Any, NamedTuple

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from spcore.framework.quantities import Duration, Money, Staffing
from spcore.framework.quarterly_return import QuarterlyReturn
from spcore.framework.types import MAX_COUNT

#: Sections of a return that describe the return itself rather than report a figure.
NOT_FIGURES = ("/disclosure_control",)


class ValueKind(enum.StrEnum):
    """What kind of number a figure is, which decides how it is read, compared and shown."""

    COUNT = "count"
    MONEY = "money"
    STAFFING = "staffing"
    DURATION = "duration"
    ITEMS = "items"


class FigureShape(NamedTuple):
    """What a pointer pattern names in the return's model.

    Attributes:
        kind: the kind of number.
        title: the title of the field (of the list, for a number of items).
        codes: for a member of a breakdown (``.../*``), the codes it may use, in codelist order.
        signed: a count that may be negative (a change).
        nullable: the figure may be written ``null`` (withheld, or not given).
        description: the schema description of the field (of the breakdown, for a member).
    """

    kind: ValueKind
    title: str
    codes: tuple[str, ...] = ()
    signed: bool = False
    nullable: bool = False
    description: str = ""


def _strip(annotation: Any) -> Any:
    """The annotation without ``None`` and ``Annotated`` wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _metadata(annotation: Any, info: FieldInfo | None) -> list[Any]:
    """Every constraint attached to ``annotation`` (through its wrappers) and ``info``."""
    found: list[Any] = list(info.metadata) if info is not None else []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            for item in extra:
                found.extend(getattr(item, "metadata", [item]))
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return found
            annotation = args[0]
        else:
            return found


def _is_count(annotation: Any, info: FieldInfo | None) -> tuple[bool, bool]:
    """(a count, a signed count): an ``int`` bounded by :data:`MAX_COUNT`."""
    if _strip(annotation) is not int:
        return False, False
    bounds = {
        type(m).__name__: getattr(m, type(m).__name__.lower(), None)
        for m in _metadata(annotation, info)
    }
    if bounds.get("Le") != MAX_COUNT:
        return False, False
    return True, bounds.get("Ge") == -MAX_COUNT


def _leaf(annotation: Any, info: FieldInfo | None, title: str) -> FigureShape:
    bare = _strip(annotation)
    if isinstance(bare, type) and issubclass(bare, Money):
        return FigureShape(ValueKind.MONEY, title)
    if isinstance(bare, type) and issubclass(bare, Staffing):
        return FigureShape(ValueKind.STAFFING, title)
    if isinstance(bare, type) and issubclass(bare, Duration):
        return FigureShape(ValueKind.DURATION, title)
    is_count, signed = _is_count(annotation, info)
    if is_count:
        return FigureShape(ValueKind.COUNT, title, signed=signed)
    raise KeyError(f"not a figure: {title}")


@functools.cache  # a pure function of the model; the rules ask for each pattern many times
def figure_shape(pattern: str) -> FigureShape:
    """What ``pattern`` names in the return's model.

    Raises:
        KeyError: the pattern names no number of the return.
    """
    items = pattern.startswith("#")
    tokens = pattern.lstrip("#").split("/")[1:]
    annotation: Any = QuarterlyReturn
    info: FieldInfo | None = None
    title = description = ""
    codes: tuple[str, ...] = ()
    for token in tokens:
        bare = _strip(annotation)
        origin = typing.get_origin(bare)
        if isinstance(bare, type) and issubclass(bare, BaseModel):
            info = bare.model_fields[token]
            annotation, title, codes = info.annotation, info.title or token, ()
            description = info.description or ""
        elif origin is dict:
            key, value = typing.get_args(bare)
            key = _strip(key)
            # Keys from a codelist are checked; free keys (an instrument's categories) are not.
            members: list[Any] = list(key) if isinstance(key, enum.EnumMeta) else []
            allowed = tuple(str(m.value) for m in members)
            codes = allowed if token == "*" else ()
            if allowed and token != "*" and token not in allowed:
                raise KeyError(f"{token!r} is not a code of {title}")
            annotation, info = value, None
        elif origin is list:
            (annotation,) = typing.get_args(bare)
            info = None
        else:
            raise KeyError(f"{pattern} goes below a value at {token!r}")
    if items:
        if typing.get_origin(_strip(annotation)) is not list:
            raise KeyError(f"{pattern} does not name a list")
        return FigureShape(ValueKind.ITEMS, title, description=description)
    shape = _leaf(annotation, info, title)
    return shape._replace(codes=codes, nullable=_nullable(annotation), description=description)


def _nullable(annotation: Any) -> bool:
    """True when ``annotation`` (through its wrappers) allows ``None``."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(a is type(None) or _nullable(a) for a in typing.get_args(annotation))
    return False


def count_figures(model: type[BaseModel] = QuarterlyReturn, base: str = "") -> Iterator[str]:
    """Every count of the return as a pointer pattern, lists and breakdowns as ``*``.

    Sections in :data:`NOT_FIGURES` (disclosure control) are passed over.
    """
    for name, info in model.model_fields.items():
        here = f"{base}/{name}"
        if here in NOT_FIGURES:
            continue
        yield from _counts_in(info.annotation, info, here)


def _counts_in(annotation: Any, info: FieldInfo | None, here: str) -> Iterator[str]:
    bare = _strip(annotation)
    origin = typing.get_origin(bare)
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        if not issubclass(bare, (Money, Staffing, Duration)):
            yield from count_figures(bare, here)
    elif origin is dict:
        yield from _counts_in(typing.get_args(bare)[1], None, f"{here}/*")
    elif origin is list:
        yield from _counts_in(typing.get_args(bare)[0], None, f"{here}/*")
    elif _is_count(annotation, info)[0]:
        yield here
