"""Scoring FHIR ``QuestionnaireResponse``s and writing each score as an ``Observation``.

A response names its instrument through ``questionnaire`` (the canonical URL
of one of spcore's Questionnaires, see :mod:`spcore.interop.questionnaire`);
its answers are read by ``linkId`` and scored by :func:`spcore.instruments.score`,
so a bad answer gets exactly the findings ``spcore score`` gives it (with the
path pointing into the response). An answer spcore cannot read as a number
(text, a code, a date) is refused (``SPC-H004``), never read as "no".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from spcore.findings import Finding, error, has_errors, pointer, warning
from spcore.instruments import score as score_response
from spcore.instruments.engine import ScoreResult
from spcore.instruments.registry import get_definition
from spcore.interop import codes, uk_core
from spcore.interop.fhir_io import Found
from spcore.interop.questionnaire import instrument_for
from spcore.interop.terminology import UCUM, codes_for, score_coding

SCORABLE_STATUSES = frozenset({"completed", "amended"})
UNSCORABLE_STATUSES = frozenset({"entered-in-error", "stopped"})


@attrs.frozen
class ScoredResponse:
    """One QuestionnaireResponse with its scores (``result`` is None when it was not scored)."""

    found: Found
    instrument: str | None
    result: ScoreResult | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """True when the response was scored without errors."""
        return self.result is not None and not has_errors(self.findings)


def _items(items: Any, base: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every item (nested groups flattened), with its pointer tokens."""
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        here = (*base, "item", index)
        yield here, item
        if isinstance(item, dict):
            yield from _items(item.get("item"), here)


def _answer(item: dict[str, Any], where: tuple[str | int, ...]) -> tuple[object, Finding | None]:
    answers = item.get("answer", [])
    if not isinstance(answers, list):
        return None, error(codes.BAD_ELEMENT, pointer(*where, "answer"), "answer must be a list.")
    if not answers:
        return None, None
    if len(answers) > 1:
        return None, error(
            codes.REPEATED_ANSWER,
            pointer(*where, "answer"),
            f"Item '{item.get('linkId')}' has {len(answers)} answers; it takes one.",
        )
    answer = answers[0]
    if not isinstance(answer, dict):
        return None, error(
            codes.BAD_ELEMENT, pointer(*where, "answer", 0), "An answer must be an object."
        )
    values = {k: v for k, v in answer.items() if k.startswith("value")}
    if set(values) == {"valueInteger"} and type(values["valueInteger"]) is int:
        return values["valueInteger"], None
    if set(values) == {"valueDecimal"} and type(values["valueDecimal"]) in (int, float):
        return values["valueDecimal"], None
    kinds = ", ".join(sorted(values)) or "no value"
    return None, error(
        codes.ANSWER_NOT_UNDERSTOOD,
        pointer(*where, "answer", 0),
        f"Item '{item.get('linkId')}' is answered with {kinds}; spcore reads only valueInteger "
        "or valueDecimal answers, so the response is not scored.",
    )


def _read_answers(
    resource: dict[str, Any],
) -> tuple[dict[str, object], dict[str, str], list[Finding]]:
    """linkId -> answer, linkId -> pointer, findings."""
    answers: dict[str, object] = {}
    where: dict[str, str] = {}
    findings: list[Finding] = []
    for tokens, item in _items(resource.get("item", []), ()):
        if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
            findings.append(error(codes.BAD_ELEMENT, pointer(*tokens), "An item needs a linkId."))
            continue
        if "item" in item and "answer" not in item:
            continue  # a group: its items are read in turn
        link = item["linkId"]
        if link in answers:
            findings.append(
                error(codes.REPEATED_ANSWER, pointer(*tokens), f"Item '{link}' appears twice.")
            )
            continue
        value, problem = _answer(item, tokens)
        if problem is not None:
            findings.append(problem)
        answers[link] = value
        where[link] = pointer(*tokens)
    return answers, where, findings


def _status_findings(resource: dict[str, Any]) -> list[Finding]:
    status = resource.get("status")
    if status in SCORABLE_STATUSES:
        return []
    if status in UNSCORABLE_STATUSES:
        return [
            error(codes.NOT_COMPLETED, "/status", f"The response is '{status}'; it is not scored.")
        ]
    return [
        warning(
            codes.NOT_COMPLETED,
            "/status",
            f"The response's status is {status!r}, not completed or amended; it is scored as it "
            "stands.",
        )
    ]


def score_found(found: Found) -> ScoredResponse:
    """Score one resource found in a file."""
    resource = found.resource
    kind = resource.get("resourceType")
    if kind != "QuestionnaireResponse":
        finding = error(
            codes.WRONG_RESOURCE_TYPE,
            found.path,
            f"A {str(kind)[:40]} cannot be scored; give QuestionnaireResponse resources.",
        )
        return ScoredResponse(found, None, None, (finding,))
    canonical = resource.get("questionnaire")
    instrument = instrument_for(canonical) if isinstance(canonical, str) else None
    if instrument is None:
        finding = error(
            codes.UNKNOWN_QUESTIONNAIRE,
            "/questionnaire",
            f"The questionnaire {str(canonical)[:120]!r} is not one of spcore's Questionnaires "
            "(https://spcore.dev/fhir/Questionnaire/<instrument id>).",
        )
        return ScoredResponse(found, None, None, (finding,))
    findings = _status_findings(resource)
    answers, where, problems = _read_answers(resource)
    findings += problems
    if has_errors(findings):
        return ScoredResponse(found, instrument, None, tuple(findings))
    result = score_response(instrument, answers)
    for f in result.findings:
        link = f.path.lstrip("/").split("/", 1)[0]
        path = where.get(link, f.path)
        findings.append(attrs.evolve(f, path=path))
    return ScoredResponse(found, instrument, result, tuple(findings))


def observations(scored: ScoredResponse) -> list[dict[str, Any]]:
    """One Observation per score of a scored response (none when it was not scored)."""
    if not scored.ok or scored.result is None or scored.instrument is None:
        return []
    resource = scored.found.resource
    definition = get_definition(scored.instrument)
    out = []
    for score in definition.scores:
        value = scored.result.scores.get(score.name)
        if value is None:
            continue
        coding = [c.coding() for c in codes_for(definition.id, score.name)]
        coding.append(score_coding(definition.id, score.name))
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "survey",
                        }
                    ]
                }
            ],
            "code": {"coding": coding, "text": f"{definition.name}: {score.label}"},
            "valueQuantity": {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"},
        }
        if isinstance(resource.get("id"), str):
            observation["id"] = f"{resource['id']}-{score.name}".replace("_", "-")[:64]
            observation["derivedFrom"] = [{"reference": f"QuestionnaireResponse/{resource['id']}"}]
        for source, target in (("subject", "subject"), ("encounter", "encounter")):
            if isinstance(resource.get(source), dict):
                observation[target] = resource[source]
        if isinstance(resource.get("authored"), str):
            observation["effectiveDateTime"] = resource["authored"]
        band = scored.result.bands.get(score.name)
        if band:
            observation["interpretation"] = [{"text": band}]
        out.append(uk_core.claim(observation))
    return out
