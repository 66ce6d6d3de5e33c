"""The finding codes of pseudonymisation (``SPC-P…``), each with its meaning.

Problems that are not specific to pseudonymisation keep the codes of the rest
of spcore: ``SPC-C002``–``SPC-C007`` for a line of the extract that is not a
record at all, as ``spcore cases`` reports it (:data:`spcore.cases.CASE_CODES`),
and ``SPC-S…`` when the pseudonymised record breaks the case-record schema
(:data:`spcore.validation.SCHEMA_CODES`).
"""

from __future__ import annotations

#: Every ``SPC-P`` code, with what it means. Errors stop a key being used or
#: keep a record out of the output; warnings leave the record in.
PSEUDONYMISE_CODES: dict[str, str] = {
    "SPC-P001": "The key file cannot be read (missing, a folder, or not permitted).",
    "SPC-P002": "The key file is not a key: not hex, base64 or raw bytes, or far too large.",
    "SPC-P003": "The key is shorter than 32 bytes.",
    "SPC-P004": "The key is not random enough (all one byte, or very few different bytes).",
    "SPC-P005": "The key file can be read by other users of the computer (warning).",
    "SPC-P006": "A new key cannot be written (the file exists, or the folder is not writable).",
    "SPC-P020": "The NHS number is not valid (its form or Modulus 11 check digit).",
    "SPC-P021": "The NHS number is not written as text.",
    "SPC-P022": "The local case reference is missing, not text, empty or too long.",
    "SPC-P023": "The input already has a person_id; it is computed, never copied.",
    "SPC-P024": "The date of birth is not a real date, or is after the referral date.",
    "SPC-P025": "The age band given differs from the one the date of birth gives (warning).",
    "SPC-P026": "The date of birth makes the person older than anyone has lived (warning).",
    "SPC-P030": "Text in the record holds a valid NHS number; the record is left out.",
    "SPC-P031": "Text in the record holds a word of the person's name or their postcode (warning).",
    "SPC-P032": "Text in the record holds a telephone number, date of birth, email address or "
    "postcode; the field is left out of the output (warning).",
    "SPC-P040": "The output would overwrite the input extract or the key file.",
    "SPC-P041": "The output file cannot be written.",
    "SPC-P042": "A pseudonymised record cannot be written as a CSV row; it is left out.",
}
