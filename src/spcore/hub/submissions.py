"""Submitting a return: check it, refuse it or keep it as a new immutable version.

An upload is read by the library's own readers (JSON, or a workbook or CSV
file through the spreadsheet guards), validated by
:func:`spcore.validation.returns.validate_loaded`, checked against the
scheme's stored returns by the across-returns rules (SPC-R050–R052), and
then, in one database transaction:

* refused (errors) — an attempt is recorded with its findings, nothing else;
* held (warnings not yet acknowledged) — an attempt is recorded and the
  upload waits for its submitter to acknowledge them;
* the same as the version in force — an attempt is recorded, no new version;
* accepted — a new version numbered one above the last for the scheme and
  quarter is written beside the older ones (which stay, superseded).

Because the version row, the attempt and the audit event are written in one
transaction, a process killed part-way leaves either all of them or none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import attrs
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spcore.findings import Finding, error
from spcore.framework.periods import FinancialQuarter, QuarterError
from spcore.hub.models import (
    Attempt,
    AuditEvent,
    Organisation,
    OrgKind,
    Outcome,
    ReturnVersion,
    utcnow,
)
from spcore.validation.loading import Loaded
from spcore.validation.report import ValidationReport, sort_findings
from spcore.validation.returns import parse_return, validate_loaded
from spcore.validation.rules import RuleContext, cross_return_findings
from spcore.validation.sources import SUFFIXES, read_document

#: Tries at writing a version when another worker took the same number first.
MAX_VERSION_TRIES = 20


@attrs.frozen
class Checked:
    """An upload read and checked: its report, and its document when it could be read."""

    report: ValidationReport
    document: dict[str, Any] | None
    filename: str

    @property
    def scheme_code(self) -> str | None:
        """The scheme identifier the return gives, if it gives one."""
        scheme = (self.document or {}).get("scheme")
        code = scheme.get("id") if isinstance(scheme, dict) else None
        return code if isinstance(code, str) else None

    @property
    def period(self) -> str | None:
        """The quarter the return is for, if it says."""
        period = (self.document or {}).get("period")
        if not isinstance(period, str):
            return None
        try:
            return str(FinancialQuarter.parse(period))  # one spelling per quarter
        except QuarterError:
            return None


@attrs.frozen
class Submission:
    """What became of an upload."""

    outcome: Outcome
    checked: Checked
    attempt_id: int
    version: ReturnVersion | None = None


def safe_filename(name: str | None) -> str:
    """The upload's file name as shown and stored: no folders, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:200] or "upload"


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the return's canonical JSON, so the same figures hash the same in any form."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _with(report: ValidationReport, *extra: Finding) -> ValidationReport:
    return attrs.evolve(report, findings=sort_findings([*report.findings, *extra]))


def read_upload(data: bytes, filename: str | None, *, today: dt.date, max_bytes: int) -> Checked:
    """Read and validate an uploaded file with the library's readers and guards."""
    name = safe_filename(filename)
    if len(data) > max_bytes:
        finding = error(
            "SPC-H002",
            "",
            f"The upload is {len(data):,} bytes; the hub accepts returns up to "
            f"{max_bytes:,} bytes.",
        )
        return Checked(ValidationReport(name, (finding,), readable=False), None, name)
    if not data:
        finding = error("SPC-H003", "", "The upload is empty; choose the return's file.")
        return Checked(ValidationReport(name, (finding,), readable=False), None, name)
    suffix = Path(name).suffix.lower()
    # The readers work on files (the workbook reader opens a zip); the file
    # lives only while it is read. An unknown suffix is reported by the reader.
    stored_suffix = suffix if suffix in SUFFIXES else ".unknown"
    with tempfile.TemporaryDirectory(prefix="spcore-hub-") as folder:
        path = Path(folder) / f"upload{stored_suffix}"
        path.write_bytes(data)
        source = read_document(path)
    loaded: Loaded = source.loaded
    report = validate_loaded(loaded, name, source.locations, today=today)
    return Checked(report, loaded.data if report.readable else None, name)


def _latest(session: Session, scheme_code: str, period: str) -> ReturnVersion | None:
    return session.scalar(
        select(ReturnVersion)
        .where(ReturnVersion.scheme_code == scheme_code, ReturnVersion.period == period)
        .order_by(ReturnVersion.version.desc())
        .limit(1)
    )


def in_force(session: Session, scheme_code: str) -> list[ReturnVersion]:
    """The version in force of each quarter of a scheme, oldest quarter first."""
    newest = (
        select(ReturnVersion.period, func.max(ReturnVersion.version).label("v"))
        .where(ReturnVersion.scheme_code == scheme_code)
        .group_by(ReturnVersion.period)
        .subquery()
    )
    rows = session.scalars(
        select(ReturnVersion)
        .join(
            newest,
            (ReturnVersion.period == newest.c.period) & (ReturnVersion.version == newest.c.v),
        )
        .where(ReturnVersion.scheme_code == scheme_code)
    ).all()
    return sorted(rows, key=lambda v: v.period)


def across_returns(session: Session, checked: Checked, today: dt.date) -> list[Finding]:
    """SPC-R050–R052 between the upload and the scheme's stored returns of other quarters."""
    if checked.document is None or not checked.report.is_valid or checked.scheme_code is None:
        return []
    # The stored returns come first: where the identities disagree, the ones
    # already kept set the reference the upload is compared with.
    contexts = []
    for stored in in_force(session, checked.scheme_code):
        if stored.period == checked.period:
            continue  # the upload supersedes it: not a second return for the quarter
        try:
            parsed = parse_return(stored.document)
        except ValueError:
            continue  # stored under an older standard the model no longer reads
        contexts.append(
            RuleContext(
                parsed,
                stored.document,
                today,
                f"the stored return for {stored.period} (version {stored.version})",
            )
        )
    if not contexts:
        return []
    new = len(contexts)
    contexts.append(
        RuleContext(parse_return(checked.document), checked.document, today, checked.filename)
    )
    return [f for index, f in cross_return_findings(contexts) if index in (new, None)]


def check(
    session: Session,
    organisation: Organisation,
    data: bytes,
    filename: str | None,
    *,
    today: dt.date,
    max_bytes: int,
) -> Checked:
    """Read, validate and check an upload for ``organisation`` (nothing is written)."""
    return against_hub(
        session, organisation, read_upload(data, filename, today=today, max_bytes=max_bytes), today
    )


def against_hub(
    session: Session, organisation: Organisation, checked: Checked, today: dt.date
) -> Checked:
    """An upload already read and validated, checked against who sends it and what is stored."""
    extra: list[Finding] = []
    code = checked.scheme_code
    if checked.report.readable and code is not None and code != organisation.code:
        extra.append(
            error(
                "SPC-H001",
                "/scheme/id",
                f"The return is for scheme '{code[:64]}', but you submit for "
                f"'{organisation.code}'; upload this scheme's own return.",
            )
        )
    extra += across_returns(session, checked, today)
    if extra:
        checked = attrs.evolve(checked, report=_with(checked.report, *extra))
    return checked


def _attempt(
    organisation: Organisation,
    checked: Checked,
    outcome: Outcome,
    actor: str,
    via: str,
    at: dt.datetime,
) -> Attempt:
    counts = checked.report.counts()
    return Attempt(
        organisation_id=organisation.id,
        scheme_code=organisation.code,
        period=checked.period,
        filename=checked.filename,
        outcome=outcome,
        errors=counts["error"],
        warnings=counts["warning"],
        report=checked.report.to_dict(),
        submitted_by=actor,
        via=via,
        submitted_at=at,
    )


def audit(
    session: Session,
    actor: str,
    action: str,
    detail: str = "",
    organisation_id: int | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add an event to the audit log (in the caller's transaction)."""
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            detail=detail[:2000],
            organisation_id=organisation_id,
            at=at or utcnow(),
        )
    )


def submit(
    session: Session,
    organisation: Organisation,
    data: bytes,
    filename: str | None,
    *,
    actor: str,
    via: str,
    today: dt.date,
    max_bytes: int,
    acknowledged: bool,
    at: dt.datetime | None = None,
) -> Submission:
    """Check an upload and record what becomes of it, in one transaction (committed).

    Args:
        session: the session to write with (its open work is committed with the upload).
        organisation: the scheme submitting (only schemes submit).
        data: the file's bytes; filename: its name (the suffix picks the reader).
        actor: who submits (a user name, or ``token:PREFIX``); via: ``web`` or ``api``.
        today: the date returns are checked against.
        max_bytes: the largest upload read.
        acknowledged: the submitter has read the warnings and submits anyway.
        at: when (now unless given; the demonstration back-dates).
    """
    if organisation.kind is not OrgKind.SCHEME:
        raise ValueError("only a scheme submits returns")
    # Reading and validating need no database: done before the transaction, so
    # the write lock (SQLite's is for the whole database) is held only to store.
    read = read_upload(data, filename, today=today, max_bytes=max_bytes)
    for _ in range(MAX_VERSION_TRIES):
        try:
            result = _store(
                session, organisation, read, data, actor, via, today, acknowledged, at or utcnow()
            )
            session.commit()
            return result
        except IntegrityError:
            # Another worker wrote the same version number first: check again.
            session.rollback()
        except BaseException:
            session.rollback()
            raise
    raise RuntimeError("the return could not be stored: too many concurrent submissions")


def _store(
    session: Session,
    organisation: Organisation,
    read: Checked,
    data: bytes,
    actor: str,
    via: str,
    today: dt.date,
    acknowledged: bool,
    at: dt.datetime,
) -> Submission:
    checked = against_hub(session, organisation, read, today)
    report = checked.report
    if not report.is_valid or checked.document is None or checked.period is None:
        attempt = _attempt(organisation, checked, Outcome.REFUSED, actor, via, at)
        session.add(attempt)
        session.flush()
        audit(
            session, actor, "refused", f"{checked.filename}: {report.verdict}", organisation.id, at
        )
        return Submission(Outcome.REFUSED, checked, attempt.id)
    if report.warnings and not acknowledged:
        attempt = _attempt(organisation, checked, Outcome.AWAITING_ACKNOWLEDGEMENT, actor, via, at)
        session.add(attempt)
        session.flush()
        return Submission(Outcome.AWAITING_ACKNOWLEDGEMENT, checked, attempt.id)
    digest = content_hash(checked.document)
    latest = _latest(session, organisation.code, checked.period)
    if latest is not None and latest.content_hash == digest:
        attempt = _attempt(organisation, checked, Outcome.SAME_AS_STORED, actor, via, at)
        attempt.version_id = latest.id
        session.add(attempt)
        session.flush()
        audit(
            session,
            actor,
            "resubmitted-same",
            f"{checked.period} v{latest.version}",
            organisation.id,
            at,
        )
        return Submission(Outcome.SAME_AS_STORED, checked, attempt.id, latest)
    scheme = checked.document.get("scheme") or {}
    version = ReturnVersion(
        scheme_code=organisation.code,
        period=checked.period,
        version=(latest.version + 1) if latest is not None else 1,
        commissioner_code=scheme.get("commissioner_code"),
        content_hash=digest,
        document=checked.document,
        filename=checked.filename,
        original=data,
        report=report.to_dict(),
        submitted_by=actor,
        via=via,
        submitted_at=at,
    )
    session.add(version)
    session.flush()
    attempt = _attempt(organisation, checked, Outcome.ACCEPTED, actor, via, at)
    attempt.version_id = version.id
    session.add(attempt)
    if version.commissioner_code:
        organisation.commissioner_code = version.commissioner_code
    audit(
        session,
        actor,
        "accepted",
        f"{checked.period} v{version.version} {digest[:12]}",
        organisation.id,
        at,
    )
    session.flush()
    return Submission(Outcome.ACCEPTED, checked, attempt.id, version)
