"""Finding codes raised by :mod:`spcore.interop`.

``SPC-H`` codes are about FHIR input (HL7), ``SPC-D`` about service directories
(Open Referral UK / HSDS) and ``SPC-T`` about SNOMED CT-coded GP-record
extracts. Codes keep their meaning for ever; a retired code is never reused.
Unreadable files are reported with the ``SPC-F`` codes every spcore reader
shares.
"""

from __future__ import annotations

NOT_A_RESOURCE = "SPC-H001"
WRONG_RESOURCE_TYPE = "SPC-H002"
UNKNOWN_QUESTIONNAIRE = "SPC-H003"
ANSWER_NOT_UNDERSTOOD = "SPC-H004"
REPEATED_ANSWER = "SPC-H005"
NOT_COMPLETED = "SPC-H006"
EMPTY_ENTRY = "SPC-H007"
MISSING_RESOURCE = "SPC-H008"
BROKEN_REFERENCE = "SPC-H009"
UNKNOWN_CODE = "SPC-H010"
BAD_ELEMENT = "SPC-H011"
CASE_REFUSED = "SPC-H012"
TOO_MANY_RESOURCES = "SPC-H013"
UK_CORE_PROFILE_NOT_CLAIMED = "SPC-H014"
UK_CORE_CONSTRAINT = "SPC-H015"

#: Every FHIR finding code -> what it means.
FHIR_CODES: dict[str, str] = {
    NOT_A_RESOURCE: "A JSON object is not a FHIR resource (it has no resourceType).",
    WRONG_RESOURCE_TYPE: "A resource is of a type this reader does not take here.",
    UNKNOWN_QUESTIONNAIRE: "A QuestionnaireResponse names no questionnaire spcore publishes.",
    ANSWER_NOT_UNDERSTOOD: (
        "An answer is of a type spcore cannot read as a score (text, a code, a date); it is "
        "refused, never read as 'no'."
    ),
    REPEATED_ANSWER: "An item is answered more than once, or appears twice.",
    NOT_COMPLETED: "The QuestionnaireResponse is not completed or amended.",
    EMPTY_ENTRY: "A Bundle entry holds no resource.",
    MISSING_RESOURCE: "A case Bundle lacks a resource every case journey has.",
    BROKEN_REFERENCE: "A reference names a resource the Bundle does not hold.",
    UNKNOWN_CODE: "A coding uses a code or code system the case record cannot hold.",
    BAD_ELEMENT: "An element has the wrong shape or type for the spcore profile.",
    CASE_REFUSED: "The case record read from the Bundle is not a valid case record.",
    TOO_MANY_RESOURCES: "A file holds more resources than spcore reads at once.",
    UK_CORE_PROFILE_NOT_CLAIMED: (
        "A resource of a type UK Core profiles does not name that profile in meta.profile."
    ),
    UK_CORE_CONSTRAINT: "A resource breaks a constraint of its UK Core profile.",
}

DIRECTORY_UNREADABLE = "SPC-D001"
DIRECTORY_SCHEMA = "SPC-D002"
DIRECTORY_DUPLICATE_ID = "SPC-D003"
DIRECTORY_BROKEN_LINK = "SPC-D004"
DIRECTORY_UNKNOWN_ID = "SPC-D005"
DIRECTORY_NO_SERVICES = "SPC-D006"
DIRECTORY_TYPE_DIFFERS = "SPC-D007"

#: Every directory finding code -> what it means.
DIRECTORY_CODES: dict[str, str] = {
    DIRECTORY_UNREADABLE: "A directory file or folder cannot be read as HSDS JSON.",
    DIRECTORY_SCHEMA: "An HSDS object breaks the HSDS 3.0 schema.",
    DIRECTORY_DUPLICATE_ID: "Two objects of one kind share an id.",
    DIRECTORY_BROKEN_LINK: (
        "An object names an organization, service or location the directory lacks."
    ),
    DIRECTORY_UNKNOWN_ID: "A social prescription's directory_id is not a service in the directory.",
    DIRECTORY_NO_SERVICES: "The directory holds no services.",
    DIRECTORY_TYPE_DIFFERS: (
        "A social prescription's intervention type is not one the directory lists for its service."
    ),
}

EXTRACT_UNREADABLE = "SPC-T001"
EXTRACT_COLUMNS = "SPC-T002"
EXTRACT_BAD_DATE = "SPC-T003"
EXTRACT_BAD_CODE = "SPC-T004"
EXTRACT_NO_PERSON = "SPC-T005"
EXTRACT_BAD_ROW = "SPC-T006"

#: Every GP-record extract finding code -> what it means.
EXTRACT_CODES: dict[str, str] = {
    EXTRACT_UNREADABLE: "The GP-record extract cannot be read.",
    EXTRACT_COLUMNS: "The extract lacks a column it needs (person_id, date, code).",
    EXTRACT_BAD_DATE: "An event's date is not a calendar date (YYYY-MM-DD).",
    EXTRACT_BAD_CODE: "An event's code is not a SNOMED CT concept id (6-18 digits, check digit).",
    EXTRACT_NO_PERSON: "An event has no pseudonymous person id.",
    EXTRACT_BAD_ROW: "A row has more cells than the header.",
}
