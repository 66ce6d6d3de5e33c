"""The registry of instruments: id -> :class:`~spcore.instruments.engine.Instrument`.

The ids are the codes of the ``outcome-instrument`` codelist.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Final

from spcore.instruments.definitions import InstrumentDefinition

if TYPE_CHECKING:
    from spcore.instruments.engine import Instrument

#: Where each instrument is defined: id -> (module of ``spcore.instruments``, name), in
#: the order they are listed. A module is imported when one of its instruments is first
#: asked for, so checking a return that reports three instruments loads those three.
_DEFINED_IN: Final[dict[str, tuple[str, str]]] = {
    "swemwbs": ("wemwbs", "SWEMWBS"),
    "wemwbs": ("wemwbs", "WEMWBS"),
    "ons4": ("ons", "ONS4"),
    "ons-loneliness": ("ons", "ONS_LONELINESS"),
    "ucla3": ("ucla", "UCLA3"),
    "eq5d5l": ("euroqol", "EQ5D5L"),
    "eq5d3l": ("euroqol", "EQ5D3L"),
    "wsas": ("wsas", "WSAS"),
    "phq9": ("phq", "PHQ9"),
    "gad7": ("phq", "GAD7"),
    "pam": ("pam", "PAM"),
    "wellbeing-star": ("wellbeing_star", "WELLBEING_STAR"),
    "mycaw": ("mycaw", "MYCAW"),
    "rotherham8": ("rotherham", "ROTHERHAM8"),
}


class _Registry(Mapping[str, "Instrument"]):
    """The instruments by id, each loaded when first asked for (a read-only mapping)."""

    def __getitem__(self, instrument_id: str) -> Instrument:
        module, name = _DEFINED_IN[instrument_id]
        instrument: Instrument = getattr(
            importlib.import_module(f"spcore.instruments.{module}"), name
        )
        return instrument

    def __iter__(self) -> Iterator[str]:
        return iter(_DEFINED_IN)

    def __len__(self) -> int:
        return len(_DEFINED_IN)

    def __contains__(self, instrument_id: object) -> bool:
        return instrument_id in _DEFINED_IN

    def __repr__(self) -> str:
        return f"<instruments {', '.join(_DEFINED_IN)}>"


#: Every instrument, by id, in the order they are listed.
INSTRUMENTS: Mapping[str, Instrument] = _Registry()

#: The registry ids, in order.
INSTRUMENT_IDS: tuple[str, ...] = tuple(INSTRUMENTS)


def get_instrument(instrument_id: str) -> Instrument:
    """The instrument with ``instrument_id`` (``KeyError`` if unknown)."""
    return INSTRUMENTS[instrument_id]


def get_definition(instrument_id: str) -> InstrumentDefinition:
    """The definition of the instrument with ``instrument_id`` (``KeyError`` if unknown)."""
    return INSTRUMENTS[instrument_id].definition


def definitions() -> list[InstrumentDefinition]:
    """Every instrument definition, in registry order."""
    return [inst.definition for inst in INSTRUMENTS.values()]
