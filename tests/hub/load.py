"""Helpers of the load and fault tests: many schemes with tokens, many distinct returns."""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

import httpx2
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from spcore.hub.models import ApiToken, Attempt, Organisation, OrgKind, Outcome, ReturnVersion
from spcore.hub.security import new_token, token_digest

from .conftest import example

QUARTERS = ("2025-26 Q1", "2025-26 Q2")


def add_schemes(sessions: sessionmaker[Session], count: int) -> dict[str, str]:
    """``count`` schemes (LOAD-01…) in QWO, each with an API token; code -> token."""
    tokens = {}
    with sessions.begin() as session:
        for n in range(1, count + 1):
            code = f"LOAD-{n:02d}"
            org = Organisation(
                kind=OrgKind.SCHEME, code=code, name=f"Load scheme {n}", commissioner_code="QWO"
            )
            session.add(org)
            session.flush()
            token = new_token()
            session.add(
                ApiToken(organisation_id=org.id, prefix=token[:12], digest=token_digest(token))
            )
            tokens[code] = token
    return tokens


def document(code: str, quarter: str, variant: int) -> dict[str, Any]:
    """A valid return of scheme ``code`` for ``quarter``; ``variant`` changes its content."""
    doc = example()
    doc["scheme"] |= {"id": code, "name": f"Load scheme {int(code[-2:])}"}
    doc["period"] = quarter
    doc["notes"] = f"Variant {variant}"
    return doc


def post(client: httpx2.Client, url: str, token: str, doc: dict[str, Any]) -> httpx2.Response:
    """Submit a return over the API, acknowledging warnings."""
    return client.post(
        url + "/api/v1/returns",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("return.json", json.dumps(doc).encode(), "application/json")},
        data={"acknowledge_warnings": "true"},
        timeout=300,
    )


def canonical_hash(doc: dict[str, Any]) -> str:
    """The content hash the hub gives a document."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def check_consistent(sessions: sessionmaker[Session]) -> list[ReturnVersion]:
    """Assert nothing is partial: every version whole and with its attempt; versions 1..n."""
    with sessions() as session:
        versions = list(session.scalars(select(ReturnVersion).order_by(ReturnVersion.id)))
        accepted = {
            a.version_id: a
            for a in session.scalars(select(Attempt).where(Attempt.outcome == Outcome.ACCEPTED))
        }
    by_key: dict[tuple[str, str], list[ReturnVersion]] = {}
    for version in versions:
        assert version.content_hash == canonical_hash(version.document)
        assert version.original, "a version without its file"
        assert version.id in accepted, "a version without the attempt that stored it"
        by_key.setdefault((version.scheme_code, version.period), []).append(version)
    assert set(accepted) <= {v.id for v in versions}, "an accepted attempt without its version"
    for stored in by_key.values():
        numbers = [v.version for v in stored]
        assert numbers == list(range(1, len(stored) + 1)), numbers
        times = [v.submitted_at for v in stored]
        assert times == sorted(times)
        hashes = [v.content_hash for v in stored]
        assert all(a != b for a, b in itertools.pairwise(hashes))
    return versions
