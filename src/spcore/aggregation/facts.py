"""The scheme-facts file: what a return needs that case records cannot say.

Case records describe people; a quarterly return also states facts about
the scheme itself (nhse-cof-2018, Phase 1 outputs 7, 8, 9 and 11): its identity,
its link workers and their salaries, its volunteers and the total invested,
and optionally the community-group survey. These come from a small YAML or
JSON file, checked like any spcore document: every problem is a finding with
a JSON Pointer into the file, never an exception. An example is
``examples/cases/scheme-facts.yaml``; ``docs/aggregation.md`` describes it.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import Field
from pydantic import ValidationError as PydanticError

from spcore import limits, strict_yaml
from spcore.excerpt import excerpt
from spcore.findings import Finding, error, pointer
from spcore.framework.quantities import Duration
from spcore.framework.quarterly_return import (
    ImpactOnCommunityGroups,
    ImpactOnSystem,
    Investment,
    LinkWorkers,
    LinkWorkerSalaries,
    Scheme,
    Volunteers,
)
from spcore.framework.types import Closed, Count, LongText
from spcore.validation import loading
from spcore.validation.loading import Loaded, parse_object, read_json_file
from spcore.validation.schema_findings import findings_from_errors

#: Largest facts file read, in bytes (see :mod:`spcore.limits`).
MAX_FACTS_BYTES = limits.FACTS_FILE_BYTES

#: Most findings reported for one facts file: past this, the rest add nothing.
MAX_FACTS_FINDINGS = 100


class SchemeFacts(Closed):
    """Facts about the scheme for one quarter, merged into the return built from case records."""

    scheme: Scheme = Field(title="Scheme", description="The scheme making the return.")
    prepared_on: dt.date | None = Field(
        default=None,
        title="Date prepared",
        description="The date the return was prepared (YYYY-MM-DD).",
    )
    link_workers: LinkWorkers | None = Field(
        default=None, title="Link workers", description="Output 7: the number of link workers."
    )
    link_worker_salaries: LinkWorkerSalaries | None = Field(
        default=None,
        title="Link worker salaries",
        description="Output 8: the salaries of link workers.",
    )
    volunteers: Volunteers | None = Field(
        default=None, title="Volunteers", description="Output 9: the number of volunteers."
    )
    total_investment: Investment | None = Field(
        default=None,
        title="Total investment",
        description="Output 11: total investment in the connector scheme.",
    )
    average_time_per_person: Duration | None = Field(
        default=None,
        title="Average time spent with each person",
        description=(
            "Output 10, used only when no contact in the case records has a duration: the "
            "scheme's own figure."
        ),
    )
    families_supported_without_cases: Count | None = Field(
        default=None,
        title="Families supported without becoming cases",
        description=(
            "Families the service supported in the quarter that did not become cases on its "
            "system, or are related to people who disengaged (family-action-2018, "
            '"Monitoring and impact measurement"): case records cannot show them.'
        ),
    )
    impact_on_system: ImpactOnSystem | None = Field(
        default=None,
        title="Impact on the health and care system",
        description=(
            "Service use before and after referral and the staff morale surveys "
            "(nhse-cof-2018); impact on social care packages comes from the case records "
            "when they record it."
        ),
    )
    impact_on_community_groups: ImpactOnCommunityGroups | None = Field(
        default=None,
        title="Impact on community groups",
        description="What community groups taking referrals report (nhse-cof-2018 survey).",
    )
    notes: LongText | None = Field(
        default=None,
        title="Notes",
        description="Commentary on the figures. Never include anything that identifies a person.",
    )


#: Where each fact goes in the return.
FACT_POINTERS: dict[str, str] = {
    "scheme": "/scheme",
    "prepared_on": "/prepared_on",
    "link_workers": "/outputs/link_workers",
    "link_worker_salaries": "/outputs/link_worker_salaries",
    "volunteers": "/outputs/volunteers",
    "total_investment": "/outputs/total_investment",
    "average_time_per_person": "/outputs/average_time_per_person",
    "families_supported_without_cases": "/monitoring/families_supported_without_cases",
    "impact_on_system": "/impact_on_system",
    "impact_on_community_groups": "/impact_on_community_groups",
    "notes": "/notes",
}


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = SchemeFacts.model_json_schema(mode="validation")
    cls = jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _plain(value: Any) -> Any:
    """YAML reads ``2025-10-14`` as a date; the schema, like JSON, expects text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def parse_yaml_text(text: str) -> Loaded:
    """Parse facts written in YAML; syntax, aliases and repeated keys are ``SPC-A010``."""
    try:
        # Depth is judged on the parsed document by parse_object (SPC-F004), as for JSON.
        data = _plain(strict_yaml.load(text, max_depth=None))
    except strict_yaml.StrictYamlError as problem:
        return Loaded(None, (_yaml_finding(problem),))
    return parse_object(data)


def _yaml_finding(problem: strict_yaml.StrictYamlError) -> Finding:
    kind = strict_yaml.ProblemKind
    if problem.kind is kind.TOO_DEEP:
        return loading.too_deep()
    where = f" at line {problem.line}" if problem.line else ""
    reason = {
        kind.ALIAS: "it uses a YAML anchor or alias (& or *); write every value out in full",
        kind.DUPLICATE_KEY: f"the key '{excerpt(problem.detail)}' appears twice in one object",
    }.get(problem.kind, problem.detail)
    return error("SPC-A010", "", f"The facts file is not valid YAML{where}: {reason}.")


def read_facts_file(path: str | Path) -> Loaded:
    """Read a facts file (``.json`` as JSON, anything else as YAML) into a document or findings."""
    file = Path(path)
    if file.suffix.lower() == ".json":
        return read_json_file(file, MAX_FACTS_BYTES)
    problem: Finding | None = None
    try:
        # A folder fails here too (IsADirectoryError), with the system's own words.
        with file.open("rb") as handle:
            raw = handle.read(MAX_FACTS_BYTES + 1)
        text = raw.decode("utf-8-sig") if len(raw) <= MAX_FACTS_BYTES else None
    except OSError as exc:
        problem = error("SPC-F001", "", f"'{file}' cannot be read: {exc.strerror or exc}.")
    except UnicodeDecodeError as exc:
        problem = error("SPC-F006", "", f"The file is not UTF-8 text (byte {exc.start}).")
    else:
        if text is not None:
            return parse_yaml_text(text)
        problem = error("SPC-F002", "", f"The file is larger than {MAX_FACTS_BYTES:,} bytes.")
    return Loaded(None, (problem,))


def parse_facts(data: Any) -> tuple[SchemeFacts | None, list[Finding]]:
    """Check parsed facts against the facts schema and build :class:`SchemeFacts`.

    Returns ``(None, findings)`` when anything is wrong: the facts are used
    whole or not at all.
    """
    loaded = parse_object(data)
    if loaded.data is None:
        return None, list(loaded.findings)
    errors = _validator().iter_errors(loaded.data)
    findings = list(itertools.islice(findings_from_errors(errors), MAX_FACTS_FINDINGS))
    if findings:
        return None, findings
    try:
        return SchemeFacts.model_validate(loaded.data), []
    except PydanticError as exc:
        return None, [
            error("SPC-S009", pointer(*(str(p) for p in e["loc"])), _sentence(e["msg"]))
            for e in exc.errors(include_url=False)
        ]


def _sentence(text: str) -> str:
    text = text.removeprefix("Value error, ")
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def load_facts(path: str | Path) -> tuple[SchemeFacts | None, list[Finding]]:
    """Read and check the facts file at ``path``; never raises for bad content."""
    loaded = read_facts_file(path)
    if loaded.data is None:
        return None, list(loaded.findings)
    return parse_facts(loaded.data)
