"""Interoperability: FHIR R4, SNOMED CT code lists, the PRSB standard and Open Referral UK.

* :mod:`spcore.interop.questionnaire` — a FHIR ``Questionnaire`` per instrument;
* :mod:`spcore.interop.scoring` — score ``QuestionnaireResponse``s, write ``Observation``s;
* :mod:`spcore.interop.journey` — a case record to a FHIR ``Bundle`` and back, and the
  canonical JSON form ``spcore fhir import`` writes it in;
* :mod:`spcore.interop.terminology` — canonical URLs, verified national codes and
  their sources, spcore's own ``CodeSystem``s.

Nothing here needs more than spcore's own dependencies; the FHIR model library
used to check the output structurally (``fhirclient``, FHIR R4) is a test
dependency, installed with the ``fhir`` extra.
"""

from spcore.interop.codes import DIRECTORY_CODES, EXTRACT_CODES, FHIR_CODES
from spcore.interop.journey import bundle_to_case, case_json_data, case_to_bundle
from spcore.interop.questionnaire import questionnaire
from spcore.interop.scoring import observations, score_found

__all__ = [
    "DIRECTORY_CODES",
    "EXTRACT_CODES",
    "FHIR_CODES",
    "bundle_to_case",
    "case_json_data",
    "case_to_bundle",
    "observations",
    "questionnaire",
    "score_found",
]
