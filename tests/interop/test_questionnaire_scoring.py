"""Questionnaires from the instrument definitions, and scoring QuestionnaireResponses."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.observation import Observation
from fhirclient.models.questionnaire import Questionnaire
from hypothesis import given
from hypothesis import strategies as st

from spcore.cli import main
from spcore.instruments import score
from spcore.instruments.registry import definitions, get_definition
from spcore.interop import terminology
from spcore.interop.fhir_io import Found
from spcore.interop.questionnaire import questionnaire, questionnaire_url
from spcore.interop.scoring import observations, score_found
from spcore.wording import MAX_ROWS_PRINTED


def _response(instrument: str, answers: dict[str, object], **extra: object) -> dict[str, object]:
    items = []
    for link, value in answers.items():
        key = "valueDecimal" if isinstance(value, float) else "valueInteger"
        items.append({"linkId": link, "answer": [{key: value}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"qr-{instrument}",
        "questionnaire": questionnaire_url(instrument),
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
        "authored": "2025-05-01",
        "item": items,
        **extra,
    }


@pytest.mark.parametrize("definition", definitions(), ids=lambda d: d.id)
def test_every_questionnaire_is_valid_r4(definition: object) -> None:
    resource = questionnaire(definition.id)  # type: ignore[attr-defined]
    Questionnaire(resource, strict=True)  # raises on any structural error
    assert [i["linkId"] for i in resource["item"]] == list(definition.item_ids)  # type: ignore[attr-defined]


@pytest.mark.parametrize("instrument", ["pam", "wellbeing-star", "eq5d5l", "eq5d3l"])
def test_licensed_instruments_carry_identifiers_only(instrument: str) -> None:
    resource = questionnaire(instrument)
    assert all("text" not in item for item in resource["item"])
    assert (
        "licen" in resource["copyright"].lower() or "proprietary" in resource["copyright"].lower()
    )


def test_free_instruments_carry_item_labels() -> None:
    resource = questionnaire("phq9")
    assert all(item.get("text") for item in resource["item"])


def test_a_valid_response_scores_as_the_csv_path_does() -> None:
    answers = {f"item_{n}": 2 for n in range(1, 10)}
    scored = score_found(Found(_response("phq9", answers), 0, ""))
    assert scored.ok
    assert scored.result is not None
    assert scored.result.scores == score("phq9", answers).scores
    obs = observations(scored)
    assert len(obs) == 1
    Observation(obs[0], strict=True)
    codings = {(c["system"], c["code"]) for c in obs[0]["code"]["coding"]}
    assert (terminology.SNOMED, "720433000") in codings
    assert (terminology.LOINC, "44261-6") in codings
    assert obs[0]["valueQuantity"]["value"] == 18


def test_bad_answers_give_the_same_findings_as_spcore_score() -> None:
    answers = {f"item_{n}": 1 for n in range(1, 10)}
    answers["item_3"] = 7
    scored = score_found(Found(_response("phq9", answers), 0, ""))
    expected = score("phq9", answers).findings
    assert [(f.code, f.message) for f in scored.findings] == [(f.code, f.message) for f in expected]
    assert scored.findings[0].path == "/item/2"
    assert observations(scored) == []


def test_an_answer_of_another_type_is_refused_not_read_as_no() -> None:
    response = _response("gad7", {f"item_{n}": 0 for n in range(1, 8)})
    response["item"][0]["answer"] = [{"valueString": "no"}]  # type: ignore[index]
    scored = score_found(Found(response, 0, ""))
    assert [f.code for f in scored.findings] == ["SPC-H004"]
    assert scored.result is None


@pytest.mark.parametrize(
    ("resource", "code"),
    [
        ({"resourceType": "Patient"}, "SPC-H002"),
        ({"resourceType": "QuestionnaireResponse", "questionnaire": "http://x/Q/1"}, "SPC-H003"),
        ({"resourceType": "QuestionnaireResponse", "questionnaire": ["list"]}, "SPC-H003"),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "questionnaire": questionnaire_url("ucla3"),
                "status": "entered-in-error",
            },
            "SPC-H006",
        ),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "questionnaire": questionnaire_url("ucla3"),
                "status": "completed",
                "item": [
                    {"linkId": "left_out", "answer": [{"valueInteger": 1}, {"valueInteger": 2}]}
                ],
            },
            "SPC-H005",
        ),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "questionnaire": questionnaire_url("ucla3"),
                "status": "completed",
                "item": [{"text": "no link"}],
            },
            "SPC-H011",
        ),
    ],
)
def test_bad_resources_give_coded_findings(resource: dict[str, object], code: str) -> None:
    scored = score_found(Found(resource, 0, ""))
    assert code in {f.code for f in scored.findings}
    assert not scored.ok


def test_cli_scores_a_bundle_and_ndjson(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _response("gad7", {f"item_{n}": 1 for n in range(1, 8)})
    bad = _response("swemwbs", {f"item_{n}": 9 for n in range(1, 8)}, id="bad")
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": good}, {"resource": bad}, {}],
    }
    source = tmp_path / "responses.json"
    source.write_text(json.dumps(bundle), encoding="utf-8")
    out = tmp_path / "scores.csv"
    obs = tmp_path / "obs.ndjson"
    assert main(["fhir", "score", str(source), "-o", str(out), "--observations", str(obs)]) == 1
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["resource"] for r in rows] == ["qr-gad7", "bad"]
    assert rows[0]["score"] == "7"
    assert rows[0]["findings"] == ""
    # The form 'spcore score' writes: CODE severity: message, joined by ' | '.
    cells = rows[1]["findings"].split(" | ")
    assert len(cells) == 7
    assert all(cell.startswith("SPC-I004 error: ") for cell in cells)
    # Each score in a column of its own, as 'spcore score' writes it; nothing as JSON.
    assert rows[0]["score_total"] == "7"
    assert rows[0]["band_total"] == rows[0]["band"] == "mild"
    assert rows[1]["score"] == rows[1]["score_total"] == ""
    assert "score_metric" not in rows[1]  # no SWEMWBS was scored: no SWEMWBS columns
    # Standard error names each refused response and where, then sums up.
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{source}: SPC-H007 error: Bundle entry 2 holds no resource. (at /entry/2)"
    assert err[1] == (
        f"{source}: SPC-I004 error: The answer to item_1 (9) is outside the allowed range "
        "1 to 5. (at /entry/1/resource/item/0)"
    )
    assert err[-1] == (
        "spcore: 2 resources read, 1 scored, 1 not scored (SPC-I004 7); "
        f"written to {out} (exit status 1)"
    )
    lines = obs.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    Observation(json.loads(lines[0]), strict=True)

    ndjson = tmp_path / "responses.ndjson"
    ndjson.write_text(json.dumps(good) + "\nnot json\n[1]\n", encoding="utf-8")
    assert main(["fhir", "score", str(ndjson), "-o", str(out)]) == 1
    assert [r["resource"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["qr-gad7"]


def test_cli_columns_do_not_depend_on_the_order_of_responses(tmp_path: Path) -> None:
    gad7 = _response("gad7", {f"item_{n}": 1 for n in range(1, 8)}, id="=HYPERLINK(1)")
    swemwbs = _response("swemwbs", {f"item_{n}": 3 for n in range(1, 8)}, id="s")
    headers = []
    for order in ([gad7, swemwbs], [swemwbs, gad7]):
        source = tmp_path / "responses.ndjson"
        source.write_text("".join(json.dumps(r) + "\n" for r in order), encoding="utf-8")
        out = tmp_path / "scores.csv"
        assert main(["fhir", "score", str(source), "-o", str(out)]) == 0
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        headers.append(list(rows[0]))
        by_id = {r["resource"]: r for r in rows}
        assert by_id["s"]["score_metric"] == "19.25"
        assert by_id["s"]["score_raw"] == "21"
        assert "'=HYPERLINK(1)" in by_id  # a formula is never written as one
    assert headers[0] == headers[1]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe",
        b"{",
        b"[]",
        b'{"resourceType": "Bundle", "entry": 5}',
        b'{"a": 1, "a": 2}',
        b"[" * 5000,
    ],
)
def test_hostile_files_never_raise(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.json"
    source.write_bytes(content)
    status = main(["fhir", "score", str(source), "-o", str(tmp_path / "o.csv")])
    assert status in (0, 1, 2)
    assert "Traceback" not in capsys.readouterr().err


def test_questionnaire_cli_writes_a_valid_bundle(tmp_path: Path) -> None:
    out = tmp_path / "q.json"
    assert main(["fhir", "questionnaire", "all", "-o", str(out)]) == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    Bundle(bundle, strict=True)
    assert len(bundle["entry"]) == len(definitions())
    assert main(["fhir", "questionnaire", "nope"]) == 2


def test_every_code_cites_a_known_source() -> None:
    known = terminology.sources()
    for code in terminology.score_codes():
        assert code.source in known, code
        assert code.locator
    for entry in terminology.social_prescribing_codes().values():
        for key in entry.source.split("; "):
            assert key in known, entry


def test_every_snomed_code_written_passes_the_check_digit() -> None:
    for code in terminology.score_codes():
        if code.system == terminology.SNOMED:
            assert terminology.is_sctid(code.code), code
    for entry in terminology.social_prescribing_codes().values():
        assert terminology.is_sctid(entry.code), entry


def test_swemwbs_is_coded_only_in_the_spcore_code_system() -> None:
    # 718466001 (listed for SWEMWBS) fails the check digit, so no national code is written;
    # the instrument's definition says so and names the CodeSystem that codes it instead.
    scored = score_found(Found(_response("swemwbs", {f"item_{n}": 3 for n in range(1, 8)}), 0, ""))
    written = observations(scored)
    assert {o["code"]["coding"][0]["code"] for o in written} == {"swemwbs.metric", "swemwbs.raw"}
    assert all(len(o["code"]["coding"]) == 1 for o in written)
    note = " ".join(get_definition("swemwbs").notes)
    assert "718466001" in note
    assert terminology.code_system_url("instrument-score") in note


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("871731000000106", True),
        ("871711000000103", True),
        ("445455005", True),
        ("718466001", False),  # listed for SWEMWBS in one source; its check digit fails
        ("871731000000107", False),
        ("12345", False),
        ("0871731000000106", False),
        ("８７１７３１０００００００１０６", False),
    ],
)
def test_sctid_check(text: str, valid: bool) -> None:
    assert terminology.is_sctid(text) is valid


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["linkId", "answer", "item", "valueInteger", "valueString", "status"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=25,
)


@given(_JSON, st.sampled_from(["completed", "in-progress", None, 3]))
def test_arbitrary_responses_never_raise(items: object, status: object) -> None:
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url("phq9"),
        "status": status,
        "item": items,
    }
    scored = score_found(Found(resource, 0, ""))
    assert scored.ok or scored.findings
    observations(scored)


def test_cli_names_at_most_fifty_refused_responses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = [_response("gad7", {"item_1": 9}, id=f"bad-{n}") for n in range(MAX_ROWS_PRINTED + 10)]
    source = tmp_path / "responses.ndjson"
    source.write_text("".join(json.dumps(r) + "\n" for r in bad), encoding="utf-8")
    assert main(["fhir", "score", str(source), "-o", str(tmp_path / "scores.csv")]) == 1
    err = capsys.readouterr().err.splitlines()
    named = {line.split(":")[1] for line in err if line.startswith(f"{source}:")}
    assert len(named) == MAX_ROWS_PRINTED + 1  # fifty lines of the file, and the rest summed
    assert f"{source}: and 10 more resources with findings (each in the findings column)" in err
    assert err[-1].startswith(f"spcore: {MAX_ROWS_PRINTED + 10} resources read, 0 scored, ")
