"""Pseudonymisation of case extracts with a keyed hash, before they leave a scheme.

    >>> from spcore.pseudonymise import PseudonymKey, Pseudonymiser
    >>> p = Pseudonymiser(PseudonymKey(bytes(range(32))))
    >>> p.person("999 000 0018") == p.person("9990000018")
    True
    >>> p.person("9990000018") == p.case("9990000018", scheme_id="NORTHSHIRE-CONNECT")
    False

* :mod:`~spcore.pseudonymise.keys` — the key file: read, check, make
  (:func:`load_key`, :func:`read_key`, :func:`write_new_key`);
* :mod:`~spcore.pseudonymise.hashing` — HMAC-SHA256 pseudonyms of people
  and cases (:class:`Pseudonymiser`);
* :mod:`~spcore.pseudonymise.identifiable` — the identifiable case record
  and what becomes of each identifying field (:func:`pseudonymise_record`);
* :mod:`~spcore.pseudonymise.extract` — whole extracts (NDJSON or CSV, read
  as ``spcore cases`` reads them), streamed (:func:`pseudonymise_extract`).

Finding codes are in :data:`PSEUDONYMISE_CODES`; see ``docs/pseudonymisation.md``.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.pseudonymise.codes import PSEUDONYMISE_CODES
    from spcore.pseudonymise.extract import (
        ExtractError,
        ExtractSummary,
        pseudonymise_extract,
        pseudonymise_items,
        read_identifiable,
    )
    from spcore.pseudonymise.hashing import Pseudonymiser
    from spcore.pseudonymise.identifiable import (
        IDENTIFIABLE_FIELDS,
        RecordResult,
        Treatment,
        age_band,
        leak_findings,
        mask,
        pseudonymise_record,
    )
    from spcore.pseudonymise.keys import (
        MIN_KEY_BYTES,
        KeyRead,
        PseudonymKey,
        UnusableKeyError,
        decode_key,
        generate_key,
        load_key,
        read_key,
        write_new_key,
    )
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

__all__ = [
    "IDENTIFIABLE_FIELDS",
    "MIN_KEY_BYTES",
    "PSEUDONYMISE_CODES",
    "ExtractError",
    "ExtractSummary",
    "KeyRead",
    "PseudonymKey",
    "Pseudonymiser",
    "RecordResult",
    "Treatment",
    "UnusableKeyError",
    "age_band",
    "decode_key",
    "generate_key",
    "leak_findings",
    "load_key",
    "mask",
    "pseudonymise_extract",
    "pseudonymise_items",
    "pseudonymise_record",
    "read_identifiable",
    "read_key",
    "write_new_key",
]
