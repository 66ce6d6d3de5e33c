"""Submitting returns: refused, held for warnings, accepted as versions, the same twice."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select

from spcore.hub.models import Attempt, AuditEvent, Outcome, ReturnVersion
from spcore.validation import render_reports, validate_return

from .conftest import EXAMPLE, TODAY, Hub, as_bytes, example, invalid, upload


def _versions(hub: Hub) -> list[ReturnVersion]:
    with hub.sessions() as session:
        return list(session.scalars(select(ReturnVersion).order_by(ReturnVersion.id)))


def test_valid_return_is_stored_as_version_1(hub: Hub) -> None:
    client = hub.client("northshire")
    response = upload(client, EXAMPLE.read_bytes(), EXAMPLE.name)
    assert response.status_code == 200
    assert "Accepted: stored as version 1 of 2025-26 Q2" in response.text
    [version] = _versions(hub)
    assert (version.scheme_code, version.period, version.version) == (
        "NORTHSHIRE-CONNECT",
        "2025-26 Q2",
        1,
    )
    assert version.original == EXAMPLE.read_bytes()
    assert version.submitted_by == "northshire"
    canonical = json.dumps(example(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert version.content_hash == hashlib.sha256(canonical.encode()).hexdigest()


def test_refused_return_is_an_attempt_and_shows_the_report_as_validate_does(hub: Hub) -> None:
    client = hub.client("northshire")
    data = as_bytes(invalid())
    response = upload(client, data, "bad.json")
    assert response.status_code == 422
    assert "Refused" in response.text
    assert _versions(hub) == []
    with hub.sessions() as session:
        [attempt] = session.scalars(select(Attempt)).all()
    assert attempt.outcome is Outcome.REFUSED
    assert attempt.errors >= 1
    # The grouped findings are exactly those of `spcore validate --format html`.
    report = validate_return(invalid(), today=TODAY)
    html = render_reports([report], "html")
    body = html.split("<main>", 1)[1].split("</main>", 1)[0]
    expected = body.replace("&lt;object&gt;", "bad.json")
    assert expected in response.text


def test_workbook_findings_name_the_sheet_and_row(hub: Hub, tmp_path: object) -> None:
    from pathlib import Path

    from spcore.spreadsheets import write_return

    path = Path(str(tmp_path)) / "bad.xlsx"
    write_return(invalid(), path)
    response = upload(hub.client("northshire"), path.read_bytes(), "bad.xlsx")
    assert response.status_code == 422
    assert "sheet &#x27;Outputs&#x27;, row" in response.text or "sheet 'Outputs', row" in (
        response.text
    )


def test_same_content_twice_is_one_version_and_a_change_supersedes(hub: Hub) -> None:
    client = hub.client("northshire")
    upload(client, EXAMPLE.read_bytes(), EXAMPLE.name)
    # The same figures in another form (compact JSON) are the same content.
    again = upload(client, json.dumps(example()).encode(), "again.json")
    assert "nothing new was stored" in again.text
    changed = example()
    changed["notes"] = "Revised after a recount."
    revised = upload(client, as_bytes(changed), "revised.json")
    assert "stored as version 2" in revised.text
    versions = _versions(hub)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].document == example()  # the first version is kept as it was
    with hub.sessions() as session:
        outcomes = [a.outcome for a in session.scalars(select(Attempt).order_by(Attempt.id))]
    assert outcomes == [Outcome.ACCEPTED, Outcome.SAME_AS_STORED, Outcome.ACCEPTED]


def test_warnings_must_be_acknowledged(hub: Hub) -> None:
    client = hub.client("northshire")
    upload(client, EXAMPLE.read_bytes(), EXAMPLE.name)
    q1 = example()
    q1["period"] = "2025-26 Q1"
    q1["prepared_on"] = "2025-07-14"
    q1["scheme"]["provider"] = "Northshire Community Action Ltd"  # differs: SPC-R052
    held = upload(client, as_bytes(q1), "q1.json")
    assert "SPC-R052" in held.text
    assert "has warnings" in held.text
    assert len(_versions(hub)) == 1
    key = held.text.split('name="key" value="', 1)[1].split('"', 1)[0]
    token = held.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post("/upload/acknowledge", data={"key": key, "csrf_token": token})
    assert "stored as version 1 of 2025-26 Q1" in done.text
    assert len(_versions(hub)) == 2
    # The held upload is used once.
    again = client.post("/upload/acknowledge", data={"key": key, "csrf_token": token})
    assert again.status_code == 404


def test_return_of_another_scheme_is_refused(hub: Hub) -> None:
    response = upload(hub.client("eastvale"), EXAMPLE.read_bytes(), EXAMPLE.name)
    assert response.status_code == 422
    assert "SPC-H001" in response.text
    assert _versions(hub) == []


def test_versions_are_never_updated(hub: Hub) -> None:
    client = hub.client("northshire")
    upload(client, EXAMPLE.read_bytes(), EXAMPLE.name)
    [before] = _versions(hub)
    for n in range(3):
        changed = example()
        changed["notes"] = f"Revision {n}"
        upload(client, as_bytes(changed), f"r{n}.json")
    versions = _versions(hub)
    assert versions[0].content_hash == before.content_hash
    assert versions[0].original == before.original
    assert [v.version for v in versions] == [1, 2, 3, 4]


def test_api_submission_with_a_token(hub: Hub) -> None:
    from spcore.hub.models import ApiToken, Organisation
    from spcore.hub.security import new_token, token_digest

    token = new_token()
    with hub.sessions.begin() as session:
        org = session.scalar(select(Organisation).where(Organisation.code == "NORTHSHIRE-CONNECT"))
        assert org is not None
        session.add(ApiToken(organisation_id=org.id, prefix=token[:12], digest=token_digest(token)))
    client = hub.client()
    headers = {"Authorization": f"Bearer {token}"}
    files = {"file": ("return.json", EXAMPLE.read_bytes(), "application/json")}
    response = client.post("/api/v1/returns", headers=headers, files=files)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["outcome"] == "accepted"
    assert body["version"] == 1
    assert body["report"]["valid"] is True
    assert client.post("/api/v1/returns", headers=headers, files=files).status_code == 200
    bad = {"file": ("bad.json", as_bytes(invalid()), "application/json")}
    refused = client.post("/api/v1/returns", headers=headers, files=bad)
    assert refused.status_code == 422
    assert refused.json()["report"]["counts"]["error"] >= 1
    listed = client.get("/api/v1/returns", headers=headers).json()
    assert [(v["period"], v["version"]) for v in listed] == [("2025-26 Q2", 1)]
    with hub.sessions() as session:
        details = " ".join(e.detail + e.actor for e in session.scalars(select(AuditEvent)))
        refused_count = session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.outcome == Outcome.REFUSED)
        )
    assert token not in details  # the token is never logged, only its prefix
    assert refused_count == 1


def test_migrations_create_exactly_the_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from spcore.hub.database import make_engine, migrate
    from spcore.hub.models import Base

    assert migrate(database_url)[1] == migrate(database_url)[0]  # a second run changes nothing
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
