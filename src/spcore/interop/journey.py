"""The case journey in FHIR R4: a case record to a ``Bundle`` and back.

One case is one ``collection`` Bundle. The resources follow the referral
pattern of the Gravity Project SDOH Clinical Care IG (a ``ServiceRequest``
managed by a ``Task``) on UK Core's base resources:

* ``Patient`` — pseudonymous: only the keyed person pseudonym as an
  identifier, gender, UK Core's ethnic category extension, spcore extensions
  for age band and living alone; the core ``patient-interpreterRequired``
  extension;
* ``ServiceRequest`` (the referral) — coded SNOMED CT 871731000000106 only when
  the referral was accepted (the code marks the first interaction of an
  episode when the person accepts); ``reasonCode`` holds the referral
  criteria; a ``Task`` manages it (``rejected`` with its reason and exclusion
  when the referral did not become a case);
* an ``Observation`` coded SNOMED CT 871711000000103 when the person declined;
* ``EpisodeOfCare`` — the case: its identifier, scheme, active-from date,
  closure and closure reasons;
* an ``Encounter`` per contact; a ``CarePlan`` for the co-produced support
  plan, whose activities reference the social prescriptions;
* a ``ServiceRequest`` per social prescription, its performer the community
  group (name and Open Referral UK id);
* the holistic assessment, each RAG rating, each outcome measure and the
  employability outcomes as ``Observation``s. RAG ratings are Observations,
  not Flags: each is a dated rating with the safeguarding answers behind it,
  and the history is kept, whereas a Flag states a current alert;
* an ``Observation`` per window of service use (its period the window, a component
  per service counted), and the cohort as an ``EpisodeOfCare`` extension; a
  comparison person who was not referred gets no referral code.

An empty list and an absent one mean different things in a case record
(concerns asked and none found, or not asked) but FHIR has no empty list:
the resource that would hold it carries the ``recorded-empty`` extension
naming the field. A field stated at the default the model would fill in anyway
(``"contacts": []``, ``"score_name": "score"``) is named by the EpisodeOfCare's
``stated-default`` extension, so the record read back states exactly what the
exported one did. Every resource claims its UK Core profile in ``meta.profile``
(:mod:`spcore.interop.uk_core`). :func:`case_to_bundle` and :func:`bundle_to_case` are
exact inverses: every field of the case record is mapped in ``fhir-mapping.csv``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, get_args

import pydantic

from spcore.findings import Finding, error
from spcore.framework.case_record import CaseRecord, OutcomeMeasure
from spcore.framework.codelists import load as load_codelist
from spcore.framework.enums import Cohort
from spcore.interop import codes, uk_core
from spcore.interop.terminology import (
    SNOMED,
    UCUM,
    code_system_url,
    codes_for,
    extension_url,
    naming_system_url,
    score_coding,
    snomed,
)

INTERPRETER = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
ACT_CODE = "http://terminology.hl7.org/v3-ActCode"
SURVEY = {
    "coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}
    ]
}

#: spcore's codes for the steps of the journey that have no national code.
JOURNEY_CODES: dict[str, str] = {
    "referral": "A referral to a social prescribing scheme (used when no national code applies).",
    "holistic-assessment": "The holistic assessment of the person's needs.",
    "need": "A need identified at the holistic assessment.",
    "rag-rating": "A red/amber/green safeguarding rating of the case.",
    "safeguarding-concern": "A safeguarding question answered 'yes'.",
    "social-services-involved": "Whether social services were involved when the rating was given.",
    "social-prescription": "A connection to a community activity or service.",
    "employability-outcomes": "Employability outcomes the person achieved.",
    "employability-outcome": "One employability outcome.",
    "occupation": "The person's occupation, found at the holistic assessment.",
    "income-source": "A source of the person's income, found at the holistic assessment.",
    "key-professional": "The role of a key professional involved in the person's care.",
    "substance-misuse": "A substance the person misuses, found at the holistic assessment.",
    "health-condition": "A physical or mental health condition found at the holistic assessment.",
    "beyond-red": "A referral exclusion found at the assessment behind a rating ('beyond red').",
    "risk-assessment-completed": "When the full risk assessment of a rating was done.",
    "risk-assessment-approved": "When the Service Manager approved the risk assessment.",
    "risk-assessment-reviewed": "A date the risk assessment was reviewed.",
    "wellbeing-aspects": "The wellbeing aspects the person reports improved.",
    "wellbeing-aspect": "One wellbeing aspect the person reports improved.",
    "social-care-package": "How the person's social care package changed after referral.",
    "window-months": (
        "The length of a window in months: the months after referral a social care package "
        "was compared over, or the stated length of a window of service use."
    ),
    "service-use": "A person's use of health and care services in one window, from one source.",
    "service-use-source": "Where the counts of a window of service use come from.",
    "relative-to-referral": "Whether a window of service use lies before or after the index date.",
    "comparison-index": (
        "The index date of a comparison person who was not referred: it stands in place of a "
        "referral, which did not happen."
    ),
}

#: Contact type -> Encounter.class (v3 ActCode): home visits HH, remote contacts VR, else AMB.
ENCOUNTER_CLASS = {"home-visit": "HH", "telephone": "VR", "video": "VR"}
#: Duration unit -> UCUM code.
UCUM_TIME = {"minute": "min", "hour": "h", "day": "d", "week": "wk"}
#: Person stated gender (NHS Data Dictionary) <-> FHIR administrative gender.
GENDER = {"1": "male", "2": "female", "9": "other", "X": "unknown"}
#: Whole numbers beyond this are left as written: a float can hold no larger one exactly.
_EXACT_INTEGERS = 2**53


def _number(value: float) -> int | float:
    """A number as JSON should carry it: a whole number without a decimal point.

    The case record holds scores and durations as floats, so 7 reads as 7.0; written back
    as 7.0 it would be a different text and, in FHIR, a decimal with one more digit of
    precision than was recorded.
    """
    if value.is_integer() and abs(value) < _EXACT_INTEGERS:
        return int(value)
    return value


def _journey(code: str) -> dict[str, Any]:
    return {"coding": [{"system": code_system_url("case-journey"), "code": code}]}


def _coding(codelist: str, code: str) -> dict[str, str]:
    return {
        "system": code_system_url(codelist),
        "code": code,
        "display": load_codelist(codelist)[code].title,
    }


def _concept(codelist: str, code: str) -> dict[str, Any]:
    return {"coding": [_coding(codelist, code)]}


def _ext(name: str, **value: Any) -> dict[str, Any]:
    return {"url": extension_url(name), **value}


def _empty(field: str) -> dict[str, Any]:
    return _ext("recorded-empty", valueString=field)


def journey_code_system() -> dict[str, Any]:
    """The CodeSystem of :data:`JOURNEY_CODES`."""
    from spcore._version import __version__

    return {
        "resourceType": "CodeSystem",
        "id": "case-journey",
        "url": code_system_url("case-journey"),
        "version": __version__,
        "name": "CaseJourney",
        "title": "spcore case-journey steps",
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "concept": [
            {"code": k, "display": k.replace("-", " "), "definition": v}
            for k, v in JOURNEY_CODES.items()
        ],
    }


#: The score an outcome measure holds when it names none, as the model says.
DEFAULT_SCORE_NAME: str = OutcomeMeasure.model_fields["score_name"].default


# ------------------------------------------------------------------ fields stated at a default


def _stated_defaults(model: pydantic.BaseModel, prefix: str) -> list[str]:
    """The dotted paths of the fields ``model`` was given at their default value.

    A record may state a field the model would fill in anyway (``"contacts": []``,
    ``"score_name": "score"``); the Bundle names each such field, so that the record read
    back states it too and nothing is written that the record did not hold.
    """
    out: list[str] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name not in model.model_fields_set or value is None:
            continue
        field = type(model).model_fields[name]
        if value == field.get_default(call_default_factory=True):
            out.append(prefix + name)
        children = value if isinstance(value, list) else [value]
        for i, child in enumerate(children):
            if isinstance(child, pydantic.BaseModel):
                where = f"{prefix}{name}.{i}." if isinstance(value, list) else f"{prefix}{name}."
                out += _stated_defaults(child, where)
    return out


def _model_of(annotation: Any) -> type[pydantic.BaseModel] | None:
    """The model class inside ``annotation`` (``X``, ``X | None``, ``list[X]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _state_default(
    data: dict[str, Any], model: type[pydantic.BaseModel], path: Any, where: str
) -> None:
    """Set the field at dotted ``path`` of ``data`` to its default, unless a value was read."""
    parts = path.split(".") if isinstance(path, str) and path else []
    node: Any = data
    i = 0
    while i < len(parts) and isinstance(node, dict):
        field = model.model_fields.get(parts[i])
        if field is None:
            break
        if i == len(parts) - 1:
            if field.is_required():
                break  # a field without a default cannot be stated at it
            default = field.get_default(call_default_factory=True)
            # A section at its default is stated as an empty object: its fields stay unstated.
            node.setdefault(parts[i], {} if isinstance(default, pydantic.BaseModel) else default)
            return
        inner = _model_of(field.annotation)
        if inner is None:
            break
        value = node.get(parts[i])
        if isinstance(value, list):
            index = parts[i + 1]
            if not (index.isdigit() and int(index) < len(value) and i + 2 < len(parts)):
                break
            node, i = value[int(index)], i + 2
        else:
            node, i = node.setdefault(parts[i], {}), i + 1
        model = inner
    raise _refuse(
        codes.BAD_ELEMENT,
        where,
        f"{str(path)[:80]!r} names no field of the case record stated at its default.",
    )


# --------------------------------------------------------------------------- export


class _Writer:
    """Builds the Bundle of one case: ids, full URLs and references."""

    def __init__(self, case: CaseRecord) -> None:
        self.case = case
        self.namespace = uuid.uuid5(
            uuid.NAMESPACE_URL, f"https://spcore.dev/case/{case.scheme_id}/{case.case_id}"
        )
        self.entries: list[dict[str, Any]] = []

    def url(self, local: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.namespace, local)}"

    def ref(self, local: str) -> dict[str, str]:
        return {"reference": self.url(local)}

    def add(self, local: str, resource: dict[str, Any]) -> None:
        resource = {"resourceType": resource.pop("resourceType"), "id": local, **resource}
        self.entries.append({"fullUrl": self.url(local), "resource": uk_core.claim(resource)})


def _patient(w: _Writer) -> None:
    c = w.case
    d = c.demographics
    patient: dict[str, Any] = {"resourceType": "Patient"}
    extensions = [_ext("age-band", valueCoding=_coding("age-band", d.age_band.value))]
    if d.ethnic_category is not None:
        # UK Core's own extension and code system: the codes are the NHS Data Dictionary's,
        # the same as the ethnic-category codelist (uk-core-r4).
        coding = _coding("ethnic-category", d.ethnic_category.value)
        coding["system"] = uk_core.ETHNIC_CATEGORY_ENGLAND
        extensions.append(
            {"url": uk_core.ETHNIC_CATEGORY_EXTENSION, "valueCodeableConcept": {"coding": [coding]}}
        )
    if d.lives_alone is not None:
        extensions.append(_ext("lives-alone", valueBoolean=d.lives_alone))
    if d.interpreter_needed is not None:
        extensions.append({"url": INTERPRETER, "valueBoolean": d.interpreter_needed})
    patient["extension"] = extensions
    if c.person_id is not None:
        patient["identifier"] = [
            {"system": naming_system_url("person-pseudonym"), "value": c.person_id}
        ]
    if d.gender is not None:
        patient["gender"] = GENDER[d.gender.value]
    w.add("patient", patient)


def _referral(w: _Writer) -> None:
    c = w.case
    r = c.referral
    accepted = r.rejection is None
    status = "revoked" if not accepted else ("completed" if c.closure else "active")
    if c.cohort is Cohort.COMPARISON_NOT_REFERRED:
        # The date stands in for a referral that never happened: no referral code at all.
        code = _journey("comparison-index")
    else:
        code = {"coding": [snomed("referral")]} if accepted else _journey("referral")
    w.add(
        "referral",
        {
            "resourceType": "ServiceRequest",
            "extension": [
                _ext("referrer-type", valueCoding=_coding("referrer-type", r.referrer_type.value))
            ],
            "status": status,
            "intent": "order",
            "code": code,
            "subject": w.ref("patient"),
            "authoredOn": r.date.isoformat(),
            "reasonCode": [_concept("referral-criterion", k.value) for k in r.criteria],
        },
    )
    task: dict[str, Any] = {
        "resourceType": "Task",
        "status": "rejected" if not accepted else ("completed" if c.closure else "in-progress"),
        "intent": "order",
        "focus": w.ref("referral"),
        "for": w.ref("patient"),
        "authoredOn": r.date.isoformat(),
    }
    if r.rejection is not None:
        task["statusReason"] = _concept("referral-rejection-reason", r.rejection.reason.value)
        task["executionPeriod"] = {"end": r.rejection.date.isoformat()}
        if r.rejection.exclusion is not None:
            task["reasonCode"] = _concept("referral-exclusion", r.rejection.exclusion.value)
        if r.rejection.reason.value == "declined-by-person":
            w.add(
                "declined",
                {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {"coding": [snomed("declined")]},
                    "subject": w.ref("patient"),
                    "effectiveDateTime": r.rejection.date.isoformat(),
                    "focus": [w.ref("referral")],
                },
            )
    w.add("referral-task", task)


def _episode(w: _Writer) -> None:
    c = w.case
    episode: dict[str, Any] = {"resourceType": "EpisodeOfCare", "extension": []}
    if c.schema_uri is not None:
        episode["extension"].append(_ext("case-record-schema", valueUri=c.schema_uri))
    if c.cohort is not None:
        episode["extension"].append(_ext("cohort", valueCoding=_coding("cohort", c.cohort.value)))
    if c.service_use == []:
        episode["extension"].append(_empty("service_use"))
    episode["extension"] += [
        _ext("stated-default", valueString=path) for path in _stated_defaults(c, "")
    ]
    if c.closure is not None:
        episode["extension"].append(
            _ext(
                "closure-reason", valueCoding=_coding("case-closure-reason", c.closure.reason.value)
            )
        )
        if c.closure.disengagement_reason is not None:
            episode["extension"].append(
                _ext(
                    "disengagement-reason",
                    valueCoding=_coding(
                        "disengagement-reason", c.closure.disengagement_reason.value
                    ),
                )
            )
    if not episode["extension"]:
        del episode["extension"]
    episode["identifier"] = [{"system": naming_system_url("case-id"), "value": c.case_id}]
    rejected = c.referral.rejection is not None
    episode["status"] = "finished" if c.closure else ("cancelled" if rejected else "active")
    episode["patient"] = w.ref("patient")
    episode["managingOrganization"] = {
        "identifier": {"system": naming_system_url("scheme-id"), "value": c.scheme_id}
    }
    episode["referralRequest"] = [w.ref("referral")]
    period = {}
    if c.support_offered.active_from is not None:
        period["start"] = c.support_offered.active_from.isoformat()
    if c.closure is not None:
        period["end"] = c.closure.date.isoformat()
    if period:
        episode["period"] = period
    w.add("episode", episode)


def _contacts(w: _Writer) -> None:
    for i, contact in enumerate(w.case.support_offered.contacts):
        encounter: dict[str, Any] = {
            "resourceType": "Encounter",
            "status": "finished",
            "class": {"system": ACT_CODE, "code": ENCOUNTER_CLASS.get(contact.type.value, "AMB")},
            "type": [_concept("contact-type", contact.type.value)],
            "subject": w.ref("patient"),
            "episodeOfCare": [w.ref("episode")],
            "period": {"start": contact.date.isoformat(), "end": contact.date.isoformat()},
        }
        if contact.duration is not None:
            encounter["length"] = {
                "value": _number(contact.duration.value),
                "unit": contact.duration.unit,
                "system": UCUM,
                "code": UCUM_TIME[contact.duration.unit],
            }
        w.add(f"contact-{i}", encounter)


def _prescriptions(w: _Writer) -> None:
    so = w.case.support_offered
    for i, sp in enumerate(so.social_prescriptions):
        request: dict[str, Any] = {"resourceType": "ServiceRequest"}
        if sp.five_ways is not None:
            request["extension"] = [
                _ext("five-ways", valueCoding=_coding("five-ways-to-wellbeing", f.value))
                for f in sp.five_ways
            ]
            if not sp.five_ways:
                request["extension"] = [_empty("five_ways")]
        request |= {
            "status": "active",
            "intent": "order",
            "category": [_journey("social-prescription")],
            "code": _concept("intervention-type", sp.intervention_type.value),
            "subject": w.ref("patient"),
            "authoredOn": sp.date.isoformat(),
        }
        performer: dict[str, Any] = {}
        if sp.directory_id is not None:
            performer["identifier"] = {
                "system": naming_system_url("open-referral-service"),
                "value": sp.directory_id,
            }
        if sp.community_group is not None:
            performer["display"] = sp.community_group
        if performer:
            request["performer"] = [performer]
        w.add(f"prescription-{i}", request)
    if so.support_plan_date is not None:
        w.add(
            "support-plan",
            {
                "resourceType": "CarePlan",
                "status": "completed" if w.case.closure else "active",
                "intent": "plan",
                "subject": w.ref("patient"),
                "created": so.support_plan_date.isoformat(),
                "activity": [
                    {"reference": w.ref(f"prescription-{i}")}
                    for i in range(len(so.social_prescriptions))
                ],
            },
        )


#: Coded findings of the holistic assessment: (field, component code, codelist, is a list).
#: Each becomes components of the assessment Observation, in order.
ASSESSMENT_FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    ("needs", "need", "referral-criterion", True),
    ("occupation", "occupation", "occupation", False),
    ("income_sources", "income-source", "income-source", True),
    ("key_professionals", "key-professional", "professional-role", True),
    ("substance_misuse", "substance-misuse", "substance", True),
    ("health_conditions", "health-condition", "health-condition", True),
)

#: Dates of a rating's risk assessment: (field, component code, a list of dates).
RISK_ASSESSMENT_DATES: tuple[tuple[str, str, bool], ...] = (
    ("completed_on", "risk-assessment-completed", False),
    ("approved_on", "risk-assessment-approved", False),
    ("reviewed_on", "risk-assessment-reviewed", True),
)


def _assessment(w: _Writer) -> None:
    n = w.case.needs_and_concerns
    values = {field: getattr(n, field) for field, _, _, _ in ASSESSMENT_FIELDS}
    if n.assessment_date is None and all(v is None for v in values.values()):
        return
    obs: dict[str, Any] = {"resourceType": "Observation"}
    empties = [_empty(field) for field, value in values.items() if value == []]
    if empties:
        obs["extension"] = empties
    obs |= {"status": "final", "code": _journey("holistic-assessment"), "subject": w.ref("patient")}
    if n.assessment_date is not None:
        obs["effectiveDateTime"] = n.assessment_date.isoformat()
    components = []
    for field, code, codelist, many in ASSESSMENT_FIELDS:
        value = values[field]
        items = (value or []) if many else ([] if value is None else [value])
        components += [
            {"code": _journey(code), "valueCodeableConcept": _concept(codelist, item.value)}
            for item in items
        ]
    if components:
        obs["component"] = components
    w.add("assessment", obs)


def _ratings(w: _Writer) -> None:
    for i, entry in enumerate(w.case.needs_and_concerns.rag_history):
        obs: dict[str, Any] = {"resourceType": "Observation"}
        if entry.concerns == []:
            obs["extension"] = [_empty("concerns")]
        obs |= {
            "status": "final",
            "code": _journey("rag-rating"),
            "subject": w.ref("patient"),
            "effectiveDateTime": entry.date.isoformat(),
            "valueCodeableConcept": _concept("rag-rating", entry.rating.value),
        }
        components: list[dict[str, Any]] = [
            {
                "code": _journey("safeguarding-concern"),
                "valueCodeableConcept": _concept("safeguarding-question", q.value),
            }
            for q in entry.concerns or []
        ]
        if entry.social_services_involved is not None:
            components.append(
                {
                    "code": _journey("social-services-involved"),
                    "valueBoolean": entry.social_services_involved,
                }
            )
        if entry.beyond_red is not None:
            components.append(
                {
                    "code": _journey("beyond-red"),
                    "valueCodeableConcept": _concept("referral-exclusion", entry.beyond_red.value),
                }
            )
        risk = entry.risk_assessment
        if risk is not None:
            for field, code, many in RISK_ASSESSMENT_DATES:
                value = getattr(risk, field)
                days = (value or []) if many else ([] if value is None else [value])
                components += [
                    {"code": _journey(code), "valueDateTime": day.isoformat()} for day in days
                ]
        if components:
            obs["component"] = components
        w.add(f"rag-{i}", obs)


def _measures(w: _Writer) -> None:
    from spcore.instruments.registry import INSTRUMENTS

    for i, m in enumerate(w.case.outcomes.measures):
        instrument = m.instrument.value
        known = INSTRUMENTS.get(instrument)
        name = m.score_name
        resolved = known.definition.headline if known is not None and name == "score" else name
        coding = [c.coding() for c in codes_for(instrument, resolved)]
        coding.append(score_coding(instrument, name))
        extensions = [
            _ext(
                "assessment-timepoint",
                valueCoding=_coding("assessment-timepoint", m.timepoint.value),
            )
        ]
        if m.value_set is not None:
            extensions.append(_ext("value-set", valueCode=m.value_set))
        w.add(
            f"measure-{i}",
            {
                "resourceType": "Observation",
                "extension": extensions,
                "status": "final",
                "category": [SURVEY],
                "code": {"coding": coding},
                "subject": w.ref("patient"),
                "effectiveDateTime": m.date.isoformat(),
                "valueQuantity": {
                    "value": _number(m.score),
                    "unit": "{score}",
                    "system": UCUM,
                    "code": "{score}",
                },
            },
        )
    employability = w.case.outcomes.employability
    if employability is not None:
        obs: dict[str, Any] = {"resourceType": "Observation"}
        if not employability:
            obs["extension"] = [_empty("employability")]
        obs |= {
            "status": "final",
            "code": _journey("employability-outcomes"),
            "subject": w.ref("patient"),
        }
        if employability:
            obs["component"] = [
                {
                    "code": _journey("employability-outcome"),
                    "valueCodeableConcept": _concept("employability-outcome", e.value),
                }
                for e in employability
            ]
        w.add("employability", obs)
    _coded_list(w, "wellbeing_aspects", "wellbeing-aspects", "wellbeing-aspect", "wellbeing-aspect")
    care = w.case.outcomes.social_care_package
    if care is not None:
        w.add(
            "social-care-package",
            {
                "resourceType": "Observation",
                "status": "final",
                "code": _journey("social-care-package"),
                "subject": w.ref("patient"),
                "effectiveDateTime": care.reviewed_on.isoformat(),
                "valueCodeableConcept": _concept("social-care-package-change", care.change.value),
                "component": [
                    {"code": _journey("window-months"), "valueInteger": care.window_months}
                ],
            },
        )


def _coded_list(w: _Writer, field: str, code: str, component: str, codelist: str) -> None:
    """An outcome held as a list of codes: one Observation, a component per code."""
    values = getattr(w.case.outcomes, field)
    if values is None:
        return
    obs: dict[str, Any] = {"resourceType": "Observation"}
    if not values:
        obs["extension"] = [_empty(field)]
    obs |= {"status": "final", "code": _journey(code), "subject": w.ref("patient")}
    if values:
        obs["component"] = [
            {"code": _journey(component), "valueCodeableConcept": _concept(codelist, v.value)}
            for v in values
        ]
    w.add(field.replace("_", "-"), obs)


def _service_use(w: _Writer) -> None:
    """One Observation per window: the window is its period, a component per service counted.

    A window is the unit the record holds (one source, one side of the index date), and a
    window may count no service at all, so the window rather than each count is the resource.
    """
    for i, window in enumerate(w.case.service_use or []):
        components: list[dict[str, Any]] = [
            {
                "code": _journey("service-use-source"),
                "valueCodeableConcept": _concept("service-use-source", window.source.value),
            },
            {
                "code": _journey("relative-to-referral"),
                "valueCodeableConcept": _concept(
                    "service-use-period", window.relative_to_referral.value
                ),
            },
            {"code": _journey("window-months"), "valueInteger": window.months},
        ]
        components += [
            {"code": _concept("service", service.value), "valueInteger": count}
            for service, count in window.counts.items()
        ]
        w.add(
            f"service-use-{i}",
            {
                "resourceType": "Observation",
                "status": "final",
                "code": _journey("service-use"),
                "subject": w.ref("patient"),
                "effectivePeriod": {
                    "start": window.start_on.isoformat(),
                    "end": window.end_on.isoformat(),
                },
                "component": components,
            },
        )


#: The parts of the Bundle, in the order they are written.
_PARTS: tuple[Callable[[_Writer], None], ...] = (
    _patient,
    _referral,
    _episode,
    _assessment,
    _ratings,
    _contacts,
    _prescriptions,
    _measures,
    _service_use,
)


def case_to_bundle(case: CaseRecord) -> dict[str, Any]:
    """The FHIR R4 ``collection`` Bundle of one case record."""
    w = _Writer(case)
    for part in _PARTS:
        part(w)
    bundle = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(w.namespace, "bundle")),
        "meta": {"profile": [extension_url("case-journey-bundle")]},
        "type": "collection",
        "entry": w.entries,
    }
    return uk_core.claim(bundle)


# --------------------------------------------------------------------------- import


class _RefusedError(Exception):
    """Stops reading one Bundle with the finding that explains why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _refuse(code: str, path: str, message: str) -> _RefusedError:
    return _RefusedError(error(code, path, message))


class _Reader:
    """Reads one case Bundle: resources by full URL and by kind."""

    def __init__(self, bundle: dict[str, Any]) -> None:
        if bundle.get("resourceType") != "Bundle":
            raise _refuse(
                codes.WRONG_RESOURCE_TYPE,
                "/resourceType",
                f"Expected a Bundle, found {str(bundle.get('resourceType'))[:40]!r}.",
            )
        entries = bundle.get("entry")
        if not isinstance(entries, list):
            raise _refuse(codes.MISSING_RESOURCE, "/entry", "The Bundle has no entries.")
        self.by_url: dict[str, tuple[int, dict[str, Any]]] = {}
        self.entries: list[tuple[int, dict[str, Any]]] = []
        for i, entry in enumerate(entries):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
                raise _refuse(
                    codes.EMPTY_ENTRY, f"/entry/{i}", f"Bundle entry {i} holds no resource."
                )
            self.entries.append((i, resource))
            url = entry.get("fullUrl")
            if isinstance(url, str):
                self.by_url[url] = (i, resource)
            if isinstance(resource.get("id"), str):
                self.by_url[f"{resource['resourceType']}/{resource['id']}"] = (i, resource)

    def of_type(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
        return [(i, r) for i, r in self.entries if r["resourceType"] == kind]

    def one(self, kind: str) -> tuple[int, dict[str, Any]]:
        found = self.of_type(kind)
        if len(found) != 1:
            raise _refuse(
                codes.MISSING_RESOURCE,
                "/entry",
                f"A case Bundle holds exactly one {kind}; this one holds {len(found)}.",
            )
        return found[0]

    def resolve(self, ref: Any, path: str, kind: str) -> tuple[int, dict[str, Any]]:
        target = ref.get("reference") if isinstance(ref, dict) else None
        if not isinstance(target, str) or target not in self.by_url:
            raise _refuse(
                codes.BROKEN_REFERENCE,
                path,
                f"The reference {str(target)[:80]!r} names no resource in the Bundle.",
            )
        index, resource = self.by_url[target]
        if resource["resourceType"] != kind:
            raise _refuse(
                codes.BROKEN_REFERENCE,
                path,
                f"The reference should name a {kind} but names a {resource['resourceType']}.",
            )
        return index, resource


def _code_of(concept: Any, codelist: str, path: str, system: str | None = None) -> str:
    """The code of ``codelist`` in a CodeableConcept or Coding (from ``system``, by default
    spcore's CodeSystem of the codelist)."""
    codings = concept.get("coding") if isinstance(concept, dict) else None
    if isinstance(concept, dict) and "system" in concept:
        codings = [concept]  # a bare Coding
    system = system or code_system_url(codelist)
    for coding in codings if isinstance(codings, list) else []:
        if isinstance(coding, dict) and coding.get("system") == system:
            code = coding.get("code")
            if isinstance(code, str) and code in load_codelist(codelist):
                return code
            raise _refuse(
                codes.UNKNOWN_CODE, path, f"{str(code)[:60]!r} is not a code of {system}."
            )
    raise _refuse(codes.UNKNOWN_CODE, path, f"No coding from {system} is given.")


def _extensions(resource: dict[str, Any], path: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    raw = resource.get("extension", [])
    if not isinstance(raw, list):
        raise _refuse(codes.BAD_ELEMENT, f"{path}/extension", "extension must be a list.")
    for ext in raw:
        if not isinstance(ext, dict) or not isinstance(ext.get("url"), str):
            raise _refuse(codes.BAD_ELEMENT, f"{path}/extension", "Every extension needs a url.")
        out.setdefault(ext["url"], []).append(ext)
    return out


def _one_ext(exts: dict[str, list[dict[str, Any]]], url: str, key: str) -> Any:
    found = exts.get(url, [])
    return found[0].get(key) if found else None


def _empties(exts: dict[str, list[dict[str, Any]]]) -> set[str]:
    return {e.get("valueString", "") for e in exts.get(extension_url("recorded-empty"), [])}


def _date(value: Any, path: str) -> str:
    if not isinstance(value, str) or len(value) < 10:
        raise _refuse(
            codes.BAD_ELEMENT, path, f"Expected a date (YYYY-MM-DD), found {str(value)[:40]!r}."
        )
    return value[:10]


def _journey_code(resource: dict[str, Any]) -> str | None:
    codings = (
        resource.get("code", {}).get("coding", []) if isinstance(resource.get("code"), dict) else []
    )
    for coding in codings if isinstance(codings, list) else []:
        if isinstance(coding, dict) and coding.get("system") == code_system_url("case-journey"):
            code = coding.get("code")
            return code if isinstance(code, str) else None
    return None


def _components(resource: dict[str, Any], path: str) -> list[tuple[str | None, dict[str, Any]]]:
    raw = resource.get("component", [])
    if not isinstance(raw, list):
        raise _refuse(codes.BAD_ELEMENT, f"{path}/component", "component must be a list.")
    return [(_journey_code(c) if isinstance(c, dict) else None, c) for c in raw]


def _read(reader: _Reader) -> dict[str, Any]:
    e_index, episode = reader.one("EpisodeOfCare")
    ep = f"/entry/{e_index}/resource"
    p_index, patient = reader.resolve(episode.get("patient"), f"{ep}/patient", "Patient")
    pp = f"/entry/{p_index}/resource"
    refs = episode.get("referralRequest")
    if not isinstance(refs, list) or len(refs) != 1:
        raise _refuse(
            codes.MISSING_RESOURCE,
            f"{ep}/referralRequest",
            "The EpisodeOfCare must reference its one referral ServiceRequest.",
        )
    r_index, referral = reader.resolve(refs[0], f"{ep}/referralRequest/0", "ServiceRequest")
    rp = f"/entry/{r_index}/resource"
    ids = episode.get("identifier")
    case_id = (
        ids[0].get("value") if isinstance(ids, list) and ids and isinstance(ids[0], dict) else None
    )
    org = episode.get("managingOrganization", {})
    scheme = org.get("identifier", {}).get("value") if isinstance(org, dict) else None
    ep_ext = _extensions(episode, ep)
    pa_ext = _extensions(patient, pp)
    case: dict[str, Any] = {}
    schema = _one_ext(ep_ext, extension_url("case-record-schema"), "valueUri")
    if schema is not None:
        case["$schema"] = schema
    case["case_id"] = case_id
    pids = patient.get("identifier")
    if isinstance(pids, list) and pids:
        case["person_id"] = pids[0].get("value") if isinstance(pids[0], dict) else None
    case["scheme_id"] = scheme
    case["referral"] = _read_referral(reader, referral, rp)
    case["demographics"] = _read_demographics(patient, pa_ext, pp)
    for section, part in (
        ("needs_and_concerns", _read_needs(reader)),
        ("support_offered", _read_support(reader, episode, ep)),
        ("outcomes", _read_outcomes(reader)),
    ):
        if part:
            case[section] = part
    cohort = _one_ext(ep_ext, extension_url("cohort"), "valueCoding")
    if cohort is not None:
        case["cohort"] = _code_of(cohort, "cohort", f"{ep}/extension")
    windows = _read_service_use(reader)
    if windows or "service_use" in _empties(ep_ext):
        case["service_use"] = windows
    for i, e in enumerate(ep_ext.get(extension_url("stated-default"), [])):
        _state_default(case, CaseRecord, e.get("valueString"), f"{ep}/extension/{i}")
    if episode.get("status") == "finished":
        period = episode.get("period", {})
        closure: dict[str, Any] = {
            "date": _date(
                period.get("end") if isinstance(period, dict) else None, f"{ep}/period/end"
            ),
            "reason": _code_of(
                _one_ext(ep_ext, extension_url("closure-reason"), "valueCoding"),
                "case-closure-reason",
                f"{ep}/extension",
            ),
        }
        dis = _one_ext(ep_ext, extension_url("disengagement-reason"), "valueCoding")
        if dis is not None:
            closure["disengagement_reason"] = _code_of(
                dis, "disengagement-reason", f"{ep}/extension"
            )
        case["closure"] = closure
    return case


def _read_referral(reader: _Reader, referral: dict[str, Any], rp: str) -> dict[str, Any]:
    exts = _extensions(referral, rp)
    out: dict[str, Any] = {
        "date": _date(referral.get("authoredOn"), f"{rp}/authoredOn"),
        "referrer_type": _code_of(
            _one_ext(exts, extension_url("referrer-type"), "valueCoding"),
            "referrer-type",
            f"{rp}/extension",
        ),
        "criteria": [
            _code_of(c, "referral-criterion", f"{rp}/reasonCode/{i}")
            for i, c in enumerate(referral.get("reasonCode", []) or [])
        ],
    }
    for t_index, task in reader.of_type("Task"):
        tp = f"/entry/{t_index}/resource"
        focus = task.get("focus", {})
        if reader.resolve(focus, f"{tp}/focus", "ServiceRequest")[1] is not referral:
            continue
        if task.get("status") == "rejected":
            rejection: dict[str, Any] = {
                "date": _date(
                    task.get("executionPeriod", {}).get("end"), f"{tp}/executionPeriod/end"
                ),
                "reason": _code_of(
                    task.get("statusReason"), "referral-rejection-reason", f"{tp}/statusReason"
                ),
            }
            if task.get("reasonCode") is not None:
                rejection["exclusion"] = _code_of(
                    task["reasonCode"], "referral-exclusion", f"{tp}/reasonCode"
                )
            out["rejection"] = rejection
    return out


def _read_demographics(
    patient: dict[str, Any], exts: dict[str, list[dict[str, Any]]], pp: str
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "age_band": _code_of(
            _one_ext(exts, extension_url("age-band"), "valueCoding"), "age-band", f"{pp}/extension"
        )
    }
    gender = patient.get("gender")
    if gender is not None:
        back = {v: k for k, v in GENDER.items()}
        if gender not in back:
            raise _refuse(
                codes.UNKNOWN_CODE,
                f"{pp}/gender",
                f"{str(gender)[:20]!r} is not a FHIR administrative gender.",
            )
        out["gender"] = back[gender]
    ethnic = _one_ext(exts, uk_core.ETHNIC_CATEGORY_EXTENSION, "valueCodeableConcept")
    if ethnic is not None:
        out["ethnic_category"] = _code_of(
            ethnic, "ethnic-category", f"{pp}/extension", uk_core.ETHNIC_CATEGORY_ENGLAND
        )
    else:
        # Bundles written by spcore 0.1 carry spcore's own extension.
        legacy = _one_ext(exts, extension_url("ethnic-category"), "valueCoding")
        if legacy is not None:
            out["ethnic_category"] = _code_of(legacy, "ethnic-category", f"{pp}/extension")
    for field, url in (
        ("lives_alone", extension_url("lives-alone")),
        ("interpreter_needed", INTERPRETER),
    ):
        value = _one_ext(exts, url, "valueBoolean")
        if value is not None:
            out[field] = value
    return out


def _observations(reader: _Reader, code: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"/entry/{i}/resource", r)
        for i, r in reader.of_type("Observation")
        if _journey_code(r) == code
    ]


def _read_needs(reader: _Reader) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, obs in _observations(reader, "holistic-assessment")[:1]:
        if obs.get("effectiveDateTime") is not None:
            out["assessment_date"] = _date(obs["effectiveDateTime"], f"{path}/effectiveDateTime")
        components = _components(obs, path)
        empties = _empties(_extensions(obs, path))
        for field, component, codelist, many in ASSESSMENT_FIELDS:
            found = [
                _code_of(c.get("valueCodeableConcept"), codelist, f"{path}/component/{i}")
                for i, (code, c) in enumerate(components)
                if code == component
            ]
            if many and (found or field in empties):
                out[field] = found
            elif not many and found:
                out[field] = found[0]
    history = []
    for path, obs in _observations(reader, "rag-rating"):
        entry: dict[str, Any] = {
            "date": _date(obs.get("effectiveDateTime"), f"{path}/effectiveDateTime"),
            "rating": _code_of(
                obs.get("valueCodeableConcept"), "rag-rating", f"{path}/valueCodeableConcept"
            ),
        }
        concerns = []
        for i, (code, c) in enumerate(_components(obs, path)):
            if code == "safeguarding-concern":
                concerns.append(
                    _code_of(
                        c.get("valueCodeableConcept"),
                        "safeguarding-question",
                        f"{path}/component/{i}",
                    )
                )
            elif code == "social-services-involved":
                entry["social_services_involved"] = c.get("valueBoolean")
            elif code == "beyond-red":
                entry["beyond_red"] = _code_of(
                    c.get("valueCodeableConcept"), "referral-exclusion", f"{path}/component/{i}"
                )
            else:
                for field, risk_code, many in RISK_ASSESSMENT_DATES:
                    if code != risk_code:
                        continue
                    day = _date(c.get("valueDateTime"), f"{path}/component/{i}/valueDateTime")
                    risk = entry.setdefault("risk_assessment", {})
                    if many:
                        risk.setdefault(field, []).append(day)
                    else:
                        risk[field] = day
        if concerns or "concerns" in _empties(_extensions(obs, path)):
            entry["concerns"] = concerns
        history.append(entry)
    if history:
        out["rag_history"] = history
    return out


def _read_support(reader: _Reader, episode: dict[str, Any], ep: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    period = episode.get("period", {})
    if isinstance(period, dict) and period.get("start") is not None:
        out["active_from"] = _date(period["start"], f"{ep}/period/start")
    plans = reader.of_type("CarePlan")
    if plans:
        i, plan = plans[0]
        out["support_plan_date"] = _date(plan.get("created"), f"/entry/{i}/resource/created")
    contacts = []
    for i, enc in reader.of_type("Encounter"):
        path = f"/entry/{i}/resource"
        types = enc.get("type")
        contact: dict[str, Any] = {
            "date": _date(enc.get("period", {}).get("start"), f"{path}/period/start"),
            "type": _code_of(
                types[0] if isinstance(types, list) and types else None,
                "contact-type",
                f"{path}/type",
            ),
        }
        length = enc.get("length")
        if isinstance(length, dict):
            back = {v: k for k, v in UCUM_TIME.items()}
            if length.get("system") != UCUM or length.get("code") not in back:
                raise _refuse(
                    codes.UNKNOWN_CODE,
                    f"{path}/length",
                    "The contact length must be in UCUM min, h, d or wk.",
                )
            contact["duration"] = {"value": length.get("value"), "unit": back[length["code"]]}
        contacts.append(contact)
    if contacts:
        out["contacts"] = contacts
    prescriptions = []
    for i, sr in reader.of_type("ServiceRequest"):
        path = f"/entry/{i}/resource"
        category = sr.get("category")
        if not (
            isinstance(category, list)
            and category
            and _journey_code({"code": category[0]}) == "social-prescription"
        ):
            continue
        exts = _extensions(sr, path)
        item: dict[str, Any] = {
            "date": _date(sr.get("authoredOn"), f"{path}/authoredOn"),
            "intervention_type": _code_of(sr.get("code"), "intervention-type", f"{path}/code"),
        }
        performers = sr.get("performer")
        if isinstance(performers, list) and performers and isinstance(performers[0], dict):
            performer = performers[0]
            if performer.get("display") is not None:
                item["community_group"] = performer["display"]
            ident = performer.get("identifier")
            if isinstance(ident, dict) and ident.get("value") is not None:
                item["directory_id"] = ident["value"]
        ways = [
            _code_of(e.get("valueCoding"), "five-ways-to-wellbeing", f"{path}/extension")
            for e in exts.get(extension_url("five-ways"), [])
        ]
        if ways or "five_ways" in _empties(exts):
            item["five_ways"] = ways
        prescriptions.append(item)
    if prescriptions:
        out["social_prescriptions"] = prescriptions
    return out


def _read_outcomes(reader: _Reader) -> dict[str, Any]:
    measures = []
    prefix = code_system_url("instrument-score")
    for i, obs in reader.of_type("Observation"):
        path = f"/entry/{i}/resource"
        codings = obs.get("code", {}).get("coding", []) if isinstance(obs.get("code"), dict) else []
        own = [c for c in codings if isinstance(c, dict) and c.get("system") == prefix]
        if not own:
            continue
        instrument, _, score_name = str(own[0].get("code", "")).partition(".")
        if instrument not in load_codelist("outcome-instrument"):
            raise _refuse(
                codes.UNKNOWN_CODE,
                f"{path}/code",
                f"{instrument[:40]!r} is not an outcome instrument.",
            )
        exts = _extensions(obs, path)
        quantity = obs.get("valueQuantity")
        measure: dict[str, Any] = {
            "instrument": instrument,
            "timepoint": _code_of(
                _one_ext(exts, extension_url("assessment-timepoint"), "valueCoding"),
                "assessment-timepoint",
                f"{path}/extension",
            ),
            "date": _date(obs.get("effectiveDateTime"), f"{path}/effectiveDateTime"),
            "score": quantity.get("value") if isinstance(quantity, dict) else None,
        }
        if score_name != DEFAULT_SCORE_NAME:
            measure["score_name"] = score_name
        value_set = _one_ext(exts, extension_url("value-set"), "valueCode")
        if value_set is not None:
            measure["value_set"] = value_set
        measures.append(measure)
    out: dict[str, Any] = {"measures": measures} if measures else {}
    for path, obs in _observations(reader, "employability-outcomes")[:1]:
        out["employability"] = [
            _code_of(
                c.get("valueCodeableConcept"), "employability-outcome", f"{path}/component/{i}"
            )
            for i, (code, c) in enumerate(_components(obs, path))
            if code == "employability-outcome"
        ]
    for path, obs in _observations(reader, "wellbeing-aspects")[:1]:
        out["wellbeing_aspects"] = [
            _code_of(c.get("valueCodeableConcept"), "wellbeing-aspect", f"{path}/component/{i}")
            for i, (code, c) in enumerate(_components(obs, path))
            if code == "wellbeing-aspect"
        ]
    for path, obs in _observations(reader, "social-care-package")[:1]:
        care: dict[str, Any] = {
            "reviewed_on": _date(obs.get("effectiveDateTime"), f"{path}/effectiveDateTime"),
            "change": _code_of(
                obs.get("valueCodeableConcept"),
                "social-care-package-change",
                f"{path}/valueCodeableConcept",
            ),
        }
        for code, c in _components(obs, path):
            if code == "window-months":
                care["window_months"] = c.get("valueInteger")
        out["social_care_package"] = care
    return out


def _read_service_use(reader: _Reader) -> list[dict[str, Any]]:
    windows = []
    for path, obs in _observations(reader, "service-use"):
        period = obs.get("effectivePeriod")
        if not isinstance(period, dict):
            raise _refuse(
                codes.BAD_ELEMENT,
                f"{path}/effectivePeriod",
                "A window of service use needs its effectivePeriod (start and end).",
            )
        window: dict[str, Any] = {}
        counts: dict[str, Any] = {}
        service_system = code_system_url("service")
        for i, (code, c) in enumerate(_components(obs, path)):
            where = f"{path}/component/{i}"
            if code == "service-use-source":
                window["source"] = _code_of(
                    c.get("valueCodeableConcept"), "service-use-source", where
                )
            elif code == "relative-to-referral":
                window["relative_to_referral"] = _code_of(
                    c.get("valueCodeableConcept"), "service-use-period", where
                )
            elif code == "window-months":
                window["months"] = c.get("valueInteger")
            else:
                service = _code_of(c.get("code"), "service", f"{where}/code", service_system)
                if service in counts:
                    raise _refuse(
                        codes.BAD_ELEMENT,
                        where,
                        f"The service {service!r} is counted twice in one window.",
                    )
                counts[service] = c.get("valueInteger")
        window["start_on"] = _date(period.get("start"), f"{path}/effectivePeriod/start")
        window["end_on"] = _date(period.get("end"), f"{path}/effectivePeriod/end")
        window["counts"] = counts
        windows.append(window)
    return windows


def bundle_to_case(bundle: dict[str, Any]) -> tuple[CaseRecord | None, list[Finding]]:
    """Read one case Bundle back into a case record; findings say why it could not be."""
    try:
        data = _read(_Reader(bundle))
    except _RefusedError as exc:
        return None, [exc.finding]
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        # An element of a shape the profile does not allow (a list where an object belongs).
        return None, [
            error(
                codes.BAD_ELEMENT,
                "",
                "An element has a shape the case-journey profile does not allow "
                f"({type(exc).__name__}).",
            )
        ]
    try:
        return CaseRecord.model_validate(data), []
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        return None, [
            error(
                codes.CASE_REFUSED,
                "",
                f"The case record read from the Bundle is not valid: {where}: {first['msg']}.",
            )
        ]


def _whole_numbers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    if isinstance(value, float):
        return _number(value)
    return value


def case_json_data(record: CaseRecord) -> dict[str, Any]:
    """A case record in its canonical JSON form, the form ``spcore fhir import`` writes.

    Only the fields the record states are written, never one the model filled in with its
    default (``"score_name": "score"``, an empty ``rag_history``), and no ``null``; whole
    numbers are written without a decimal point (a score of 7 stays ``7``, not ``7.0``).
    The keys follow the model's order. The record read back from a Bundle states exactly
    the fields the exported record stated, so its form is the exported record's form.
    """
    data = record.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_unset=True)
    out: dict[str, Any] = _whole_numbers(data)
    return out


#: SNOMED CT system, re-exported for readers of the Bundle.
__all__ = [
    "JOURNEY_CODES",
    "SNOMED",
    "bundle_to_case",
    "case_json_data",
    "case_to_bundle",
    "journey_code_system",
]
