"""The registry of instruments: id -> :class:`~spcore.instruments.engine.Instrument`.

The ids are the codes of the ``outcome-instrument`` codelist.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from spcore.instruments.definitions import InstrumentDefinition
from spcore.instruments.engine import Instrument
from spcore.instruments.euroqol import EQ5D3L, EQ5D5L
from spcore.instruments.mycaw import MYCAW
from spcore.instruments.ons import ONS4, ONS_LONELINESS
from spcore.instruments.pam import PAM
from spcore.instruments.phq import GAD7, PHQ9
from spcore.instruments.rotherham import ROTHERHAM8
from spcore.instruments.ucla import UCLA3
from spcore.instruments.wellbeing_star import WELLBEING_STAR
from spcore.instruments.wemwbs import SWEMWBS, WEMWBS
from spcore.instruments.wsas import WSAS

#: Every instrument, by id, in the order they are listed.
INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType(
    {
        inst.id: inst
        for inst in (
            SWEMWBS,
            WEMWBS,
            ONS4,
            ONS_LONELINESS,
            UCLA3,
            EQ5D5L,
            EQ5D3L,
            WSAS,
            PHQ9,
            GAD7,
            PAM,
            WELLBEING_STAR,
            MYCAW,
            ROTHERHAM8,
        )
    }
)

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
