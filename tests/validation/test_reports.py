"""Validation reports: one finding per misspelling, and the text, JSON and HTML formats."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import spcore
import spcore.validation
from spcore import validate_return
from spcore.findings import Finding, error, warning
from spcore.framework.bibliography import readable
from spcore.validation import ValidationReport
from spcore.validation.render_common import clean
from spcore.validation.render_html import render_html
from spcore.validation.render_json import FORMAT_VERSION, render_json, report_schema
from spcore.validation.render_text import WIDTH, render_text
from spcore.validation.rendering import FORMATS, render_reports

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"
INVALID = ROOT / "examples" / "returns" / "invalid"


def valid_doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VALID.read_text(encoding="utf-8"))
    return data


# -- one finding per misspelling ---------------------------------------------


def test_misspelt_required_field_is_reported_once() -> None:
    doc = valid_doc()
    doc["outputs"]["people_refered"] = doc["outputs"].pop("people_referred")
    (finding,) = validate_return(doc).findings
    assert finding.code == "SPC-S002"
    assert finding.path == "/outputs/people_refered"
    assert finding.message == (
        "'people_refered' is not a field of outputs. "
        "Did you mean 'people_referred'? It is required and missing."
    )


def test_misspellings_in_every_list_entry_drop_every_missing_field() -> None:
    doc = valid_doc()
    for group in doc["outputs"]["community_groups"]["groups"]:
        group["nmae"] = group.pop("name")
    findings = validate_return(doc).findings
    assert {f.code for f in findings} == {"SPC-S002"}
    assert [f.path for f in findings] == [
        "/outputs/community_groups/groups/0/nmae",
        "/outputs/community_groups/groups/1/nmae",
    ]
    assert all("Did you mean 'name'? It is required and missing." in f.message for f in findings)


def test_misspelling_inside_an_optional_section_is_reported_once() -> None:
    doc = valid_doc()
    groups = doc["impact_on_community_groups"]
    groups["groups_surveyd"] = groups.pop("groups_surveyed")
    (finding,) = validate_return(doc).findings
    assert (finding.code, finding.path) == (
        "SPC-S002",
        "/impact_on_community_groups/groups_surveyd",
    )
    assert finding.message.endswith("Did you mean 'groups_surveyed'? It is required and missing.")


def test_unrelated_unknown_field_leaves_missing_field_reported() -> None:
    doc = valid_doc()
    del doc["outputs"]["volunteers"]
    doc["outputs"]["comments"] = "none"
    found = {(f.code, f.path) for f in validate_return(doc).findings}
    assert found == {("SPC-S001", "/outputs/volunteers"), ("SPC-S002", "/outputs/comments")}


def test_misspelling_of_a_field_that_is_present_is_not_called_missing() -> None:
    doc = valid_doc()
    doc["outputs"]["people_refered"] = 3  # people_referred is still there
    (finding,) = validate_return(doc).findings
    assert finding.message.endswith("Did you mean 'people_referred'?")


# -- shared fixtures -----------------------------------------------------------


def bad_groups(n: int) -> dict[str, Any]:
    """A return whose ``n`` community groups each have a negative referral count."""
    doc = valid_doc()
    doc["outputs"]["community_groups"]["groups"] = [
        {"name": f"Group {i}", "referrals": -1} for i in range(n)
    ]
    return doc


HOSTILE_KEY = "<script>alert(\"x\")</script> & 'q'"


def hostile_doc() -> dict[str, Any]:
    """A return with markup, quotes and ampersands in a field name and in a value."""
    doc = valid_doc()
    doc["outputs"][HOSTILE_KEY] = 1
    doc["scheme"]["model"] = HOSTILE_KEY
    return doc


def mixed_report() -> ValidationReport:
    """A report with errors in two sections and a warning."""
    return ValidationReport(
        "mixed.json",
        (
            error("SPC-S006", "/period", "Bad period."),
            error("SPC-S005", "/outputs/people_referred", "Negative."),
            warning("SPC-R999", "/outputs/people_benefiting", "Unusually high."),
        ),
    )


# -- text ----------------------------------------------------------------------


def test_text_header_gives_verdict_and_counts() -> None:
    text = render_text([mixed_report(), validate_return(VALID)])
    lines = text.splitlines()
    assert lines[0] == "mixed.json"
    assert lines[1] == "  NOT valid: 2 errors, 1 warning."
    assert "  valid: no errors, no warnings." in lines
    assert lines[-1] == "Checked 2 files: 1 valid, 1 not valid, 0 cannot be read."


def test_text_puts_errors_first_then_sections_in_document_order() -> None:
    text = render_text([mixed_report()])
    order = [
        "Errors (these must be put right)",
        "Reporting period",
        "Phase 1 outputs",
        "SPC-S005 People referred: 1 finding",
        "Warnings (worth a second look)",
        "SPC-R999 People directly benefiting: 1 finding",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_text_shows_five_of_three_hundred_and_counts_the_rest() -> None:
    report = validate_return(bad_groups(300))
    text = render_text([report])
    assert "SPC-S005 Groups referred to › Referrals to the group: 300 findings" in text
    assert text.count("- /outputs/community_groups/groups/") == 5
    assert "- /outputs/community_groups/groups/4/referrals" in text
    assert "- /outputs/community_groups/groups/5/referrals" not in text
    assert "... and 295 more like this (--max-per-group to show more)." in text
    # Every row says the same, so the sentence is written once, not 300 (or 5) times.
    assert text.count("must be at least 0") == 1
    assert "      In each place: 'Referrals to the group' must be at least 0" in text
    everything = render_text([report], max_per_group=None)
    assert everything.count("- /outputs/community_groups/groups/") == 300
    assert "more like this" not in everything


def test_text_points_at_the_spreadsheet_when_there_is_one() -> None:
    report = attrs.evolve(
        validate_return(INVALID / "negative-count.json"),
        locations={"/outputs/people_referred": "sheet 'Outputs', row 3 (People referred)"},
    )
    text = render_text([report])
    assert "- sheet 'Outputs', row 3 (People referred)" in text
    assert "- /outputs/people_referred" not in text


@given(
    source=st.text(max_size=200),
    path=st.text(max_size=200).map(lambda t: "/" + t),
    message=st.text(max_size=400),
)
def test_text_fits_eighty_columns_and_writes_no_control_characters(
    source: str, path: str, message: str
) -> None:
    report = ValidationReport(source, (error("SPC-S008", path, message),))
    text = render_text([report])
    for line in text.splitlines():
        assert len(line) <= WIDTH
        assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in line)


def test_text_escapes_terminal_control_sequences() -> None:
    report = ValidationReport("f.json", (error("SPC-S008", "/x", "red \x1b[31m here"),))
    assert "red \\x1b[31m here" in render_text([report])


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" not in render_text([mixed_report()])
    coloured = render_text([mixed_report()], colour=True)
    assert "\x1b[1;31mNOT valid\x1b[0m" in coloured


# -- JSON ----------------------------------------------------------------------


def _json_reports() -> list[ValidationReport]:
    spreadsheet = attrs.evolve(
        validate_return(INVALID / "negative-count.json"),
        locations={"/outputs": "sheet 'Outputs'"},
    )
    return [
        validate_return(VALID),
        validate_return(bad_groups(300)),
        validate_return(INVALID / "not-json.json"),
        spreadsheet,
        mixed_report(),
        validate_return(hostile_doc()),
    ]


def test_json_output_validates_against_its_schema() -> None:
    schema = report_schema()
    Draft202012Validator.check_schema(schema)
    document = json.loads(render_json(_json_reports()))
    errors = list(Draft202012Validator(schema).iter_errors(document))
    assert errors == []


def test_schema_refuses_what_the_format_does_not_allow() -> None:
    validator = Draft202012Validator(report_schema())
    document = json.loads(render_json([mixed_report()]))
    document["reports"][0]["findings"][0]["severity"] = "fatal"
    assert not validator.is_valid(document)
    document = json.loads(render_json([mixed_report()]))
    del document["reports"][0]["groups"]
    assert not validator.is_valid(document)


def test_json_report_shape() -> None:
    document = json.loads(render_json(_json_reports()))
    assert document["format_version"] == FORMAT_VERSION
    assert document["spcore_version"] == spcore.__version__
    assert document["standard_version"] == spcore.STANDARD_VERSION
    assert document["summary"] == {
        "files": 6,
        "valid": 1,
        "not_valid": 4,
        "unreadable": 1,
        "error": 300 + 1 + 1 + 2 + 2,
        "warning": 1,
    }
    many = document["reports"][1]
    (group,) = many["groups"]
    assert group["count"] == 300
    assert group["findings"] == list(range(300))  # JSON lists every finding
    assert group["meaning"] == spcore.validation.FINDING_CODES["SPC-S005"]
    spreadsheet = document["reports"][3]
    assert spreadsheet["findings"][0]["location"] == "sheet 'Outputs'"
    assert document["reports"][0]["findings"][0:1] == []


def test_json_group_positions_point_at_their_findings() -> None:
    for report in json.loads(render_json(_json_reports()))["reports"]:
        positions = sorted(i for g in report["groups"] for i in g["findings"])
        assert positions == list(range(len(report["findings"])))
        for group in report["groups"]:
            for i in group["findings"]:
                assert report["findings"][i]["code"] == group["code"]
                assert report["findings"][i]["severity"] == group["severity"]


def test_to_dict_is_the_json_report_entry() -> None:
    report = mixed_report()
    assert json.loads(render_json([report]))["reports"][0] == report.to_dict()


def test_every_report_key_is_documented() -> None:
    docs = (ROOT / "docs" / "validation-reports.md").read_text(encoding="utf-8")
    keys: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(report_schema())
    assert len(keys) > 20
    missing = sorted(k for k in keys if f"`{k}`" not in docs)
    assert missing == []


# -- HTML ----------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects what a browser would see: tags, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs_)))
        if tag not in {"meta", "br", "hr", "img", "link", "input"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, tag
        assert self.open[-1] == tag, (tag, self.open[-5:])
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str, css: str | None = None) -> int:
        return sum(
            1
            for t, a in self.tags
            if t == tag and (css is None or css in (a.get("class") or "").split())
        )


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.open == []  # every element closed, in order
    return parser


def test_html_structure() -> None:
    reports = [validate_return(VALID), mixed_report(), validate_return(bad_groups(300))]
    page = parse(render_html(reports))
    assert page.count("html") == page.count("head") == page.count("body") == 1
    assert page.count("style") == 1
    assert page.count("tr") == 1 + len(reports)  # heading row, then one per file
    assert page.count("section", "file") == len(reports)
    assert page.count("article", "group") == 3 + 1
    assert page.count("details") == 1
    text = " ".join(page.text)
    assert "No problems found." in text
    assert spcore.validation.FINDING_CODES["SPC-S005"] in text
    assert "... and 295 more like this" in text
    # The rest fold away, but are all there.
    # (and the first once more, in the note that the business rules wait for it)
    assert len(re.findall(r"/groups/[0-9]+/referrals", text)) == 300 + 1


def test_html_is_self_contained() -> None:
    page = parse(render_html(_json_reports()))
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
    for _, attributes in page.tags:
        assert "src" not in attributes
        assert not any(name.startswith("on") for name in attributes)
        href = attributes.get("href")
        assert href is None or href.startswith("#")
    assert "url(" not in render_html(_json_reports())  # no fetch from CSS either


def test_html_escapes_everything_from_the_input(tmp_path: Path) -> None:
    name = tmp_path / 'a<b>&"c".json'
    name.write_text(json.dumps(hostile_doc()), encoding="utf-8")
    report = validate_return(name)
    assert {f.code for f in report.findings} == {"SPC-S002", "SPC-S004"}
    markup = render_html([report])
    page = parse(markup)
    assert page.count("script") == 0
    assert "<script>" not in markup
    text = "".join(page.text)
    assert HOSTILE_KEY in text  # shown to the reader exactly as written
    assert 'a<b>&"c".json' in text


def test_html_shows_rule_title_and_rationale(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = {
        "title": "Benefiting <= referred",
        "rationale": "Nobody benefits without being referred & counted.",
        "source": "nhse-cof-2018, Phase 1 output 1.",
    }
    monkeypatch.setattr(spcore.validation, "RULES", {"SPC-R999": rule}, raising=False)
    text = " ".join(parse(render_html([mixed_report()])).text)
    assert "Benefiting <= referred" in text
    assert "Why: Nobody benefits without being referred & counted." in text
    # The key is shown as its short reference from the bibliography.
    assert (
        "Source: NHS England (2018), Common Outcomes Framework (draft), Phase 1 output 1." in text
    )
    assert "nhse-cof-2018" not in text


# -- library entry points ------------------------------------------------------


def test_report_render_and_render_reports_agree() -> None:
    report = mixed_report()
    for fmt in FORMATS:
        assert report.render(fmt) == render_reports([report], fmt)
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render_reports([report], "pdf")


def test_report_summary_properties() -> None:
    report = mixed_report()
    assert not report.is_valid
    assert report.counts() == {"error": 2, "warning": 1}
    assert report.verdict == "NOT valid"
    assert [g.code for g in report.groups()] == ["SPC-S006", "SPC-S005", "SPC-R999"]
    assert report.where(report.findings[0]) == "/period"
    assert report.where(error("SPC-F003", "", "m")) == "the whole document"


def test_different_messages_in_a_group_are_each_shown() -> None:
    report = ValidationReport(
        "r.json",
        (
            error("SPC-S005", "/outputs/community_groups/groups/0/referrals", "Found -1."),
            error("SPC-S005", "/outputs/community_groups/groups/1/referrals", "Found -2."),
        ),
    )
    (group,) = report.groups()
    assert group.shared_message is None
    text = render_text([report])
    assert "In each place" not in text
    assert "        Found -1.\n" in text
    assert "        Found -2.\n" in text
    html_text = " ".join(parse(render_html([report])).text)
    assert "Found -1." in html_text
    assert "Found -2." in html_text


def test_html_says_a_shared_message_once() -> None:
    markup = render_html([validate_return(bad_groups(300))])
    assert markup.count("must be at least 0") == 1
    assert "In each place: " in markup


_PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "h5",
    "p", "table", "caption", "thead", "tbody", "tr", "th", "td", "a", "span", "section",
    "article", "code", "strong", "ul", "li", "details", "summary",
}  # fmt: skip


@given(
    source=st.text(max_size=60),
    path=st.text(max_size=60).map(lambda t: "/" + t),
    message=st.text(min_size=1, max_size=120),
)
def test_html_never_lets_input_become_markup(source: str, path: str, message: str) -> None:
    report = ValidationReport(source, (error("SPC-S008", path, message),))
    page = parse(render_html([report]))
    assert {tag for tag, _ in page.tags} <= _PAGE_TAGS
    assert clean(message) in "".join(page.text)


def test_html_explains_a_registered_business_rule() -> None:
    rules = getattr(spcore.validation, "RULES", ())
    if not rules:
        pytest.skip("no business rules registered")
    rule = next(iter(rules.values() if isinstance(rules, dict) else rules))
    report = ValidationReport("r.json", (Finding(rule.code, rule.severity, "/period", "Odd."),))
    text = " ".join(parse(render_html([report])).text)
    assert text.count(rule.title) == 1  # its title, not repeated as its meaning
    assert f"Why: {rule.rationale}" in text
    assert f"Source: {readable(rule.source)}" in text
    assert rule.title in render_text([report])


def test_a_ten_thousand_character_field_name_still_reads_in_every_format() -> None:
    doc = valid_doc()
    doc["outputs"]["<b>" + "x" * 10_000] = 1
    report = validate_return(doc)
    (finding,) = report.findings
    assert finding.code == "SPC-S002"
    assert all(len(line) <= WIDTH for line in render_text([report]).splitlines())
    assert len(finding.message) < 200  # the message clips the name
    assert parse(render_html([report])).count("b") == 0
    assert json.loads(render_json([report]))["reports"][0]["findings"][0]["path"] == finding.path


def test_a_report_says_the_rules_wait_for_schema_errors() -> None:
    from pathlib import Path

    from spcore.validation.rendering import render_reports

    bad = Path(__file__).parents[2] / "examples/returns/invalid/bad-quarter.json"
    report = spcore.validate_return(bad)
    assert not report.rules_checked
    assert report.waiting is not None
    assert "wait for the schema errors" in report.waiting
    assert "/period" in report.waiting
    for form in ("text", "html"):
        assert "have not been checked yet" in " ".join(render_reports([report], form).split())
    good = spcore.validate_return(Path(bad).parents[1] / "northshire-connect-2025-26-Q2.json")
    assert good.rules_checked
    assert good.waiting is None
    # The JSON report carries the same sentence, and says whether the rules ran.
    document = json.loads(render_json([report, good]))
    Draft202012Validator(report_schema()).validate(document)
    waiting, checked = document["reports"]
    assert (waiting["rules_checked"], waiting["waiting"]) == (False, report.waiting)
    assert (checked["rules_checked"], checked["waiting"]) == (True, None)
