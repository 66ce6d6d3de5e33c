"""Load and faults over loopback: 200 concurrent uploads, a killed server, a second worker.

Each test runs real uvicorn processes on 127.0.0.1 against SQLite and, when
``SPCORE_HUB_TEST_DATABASE`` names a server, PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import select

from spcore.hub.models import ReturnVersion

from .conftest import _postgres_database, populate
from .load import QUARTERS, add_schemes, check_consistent, document, post
from .server import Server

SCHEMES = 20
UPLOADS = 200
#: Uploads in flight at once (the clients' bound).
CONCURRENCY = 20


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: SQLite, or PostgreSQL when a server is given."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    else:
        yield from _postgres_database()


def test_200_concurrent_uploads_from_20_schemes(url: str, tmp_path: Path) -> None:
    sessions = populate(url)
    tokens = add_schemes(sessions, SCHEMES)
    servers = [Server(url, tmp_path / "a.log")]
    if url.startswith("postgresql"):
        servers.append(Server(url, tmp_path / "b.log"))  # two workers, one database
    jobs = []
    for n in range(UPLOADS):
        code = f"LOAD-{n % SCHEMES + 1:02d}"
        quarter = QUARTERS[(n // SCHEMES) % 2]
        # Each scheme and quarter gets five uploads: four distinct, one repeating the first.
        variant = (n // (SCHEMES * 2)) % 4
        jobs.append((servers[n % len(servers)].url, code, quarter, variant))
    try:
        with httpx2.Client() as client, ThreadPoolExecutor(CONCURRENCY) as pool:
            responses = list(
                pool.map(
                    lambda job: post(
                        client, job[0], tokens[job[1]], document(job[1], job[2], job[3])
                    ),
                    jobs,
                )
            )
        # Each scheme's content in force, sent again at once from every scheme, is
        # recognised as the same: no new version.
        with sessions() as session:
            latest = {
                (v.scheme_code, v.period): v.document
                for v in session.scalars(select(ReturnVersion).order_by(ReturnVersion.version))
            }
        with httpx2.Client() as client, ThreadPoolExecutor(CONCURRENCY) as pool:
            repeats = list(
                pool.map(
                    lambda item: post(client, servers[0].url, tokens[item[0][0]], item[1]),
                    latest.items(),
                )
            )
        assert {r.json()["outcome"] for r in repeats} == {"same-as-stored"}
    finally:
        for server in servers:
            server.stop()
    outcomes = Counter(r.json()["outcome"] for r in responses)
    assert set(outcomes) <= {"accepted", "same-as-stored"}, outcomes
    accepted = [r.json() for r in responses if r.status_code == 201]
    versions = check_consistent(sessions)
    # None lost, none duplicated: every 201 answer is one stored version and every
    # stored version was answered 201 once; every distinct content is stored.
    stored = [(v.scheme_code, v.period, v.version) for v in versions]
    answered = [(a["scheme"], a["period"], a["version"]) for a in accepted]
    assert sorted(stored) == sorted(answered)
    assert len(set(stored)) == len(stored)
    contents = {(v.scheme_code, v.period, v.document["notes"]) for v in versions}
    assert contents == {(c, q, f"Variant {v}") for _, c, q, v in jobs}
    sessions.kw["bind"].dispose()


def test_killed_server_loses_nothing_accepted_and_leaves_nothing_partial(
    url: str, tmp_path: Path
) -> None:
    sessions = populate(url)
    tokens = add_schemes(sessions, SCHEMES)
    server = Server(url, tmp_path / "a.log")
    accepted: list[dict[str, object]] = []
    failed = 0

    def send(n: int) -> None:
        nonlocal failed
        code = f"LOAD-{n % SCHEMES + 1:02d}"
        try:
            with httpx2.Client() as client:
                response = post(client, server.url, tokens[code], document(code, QUARTERS[1], n))
        except httpx2.HTTPError:
            failed += 1  # cut off by the kill: the client does not know the outcome
            return
        if response.status_code == 201:
            accepted.append(response.json())
            if len(accepted) == 15:
                server.kill()  # with other uploads still being checked and stored

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(send, range(60)))
    if server.process.poll() is None:
        server.kill()
    assert failed > 0, "the server was killed after every upload had finished"
    versions = check_consistent(sessions)
    stored = {(v.scheme_code, v.period, v.version) for v in versions}
    for answer in accepted:
        assert (answer["scheme"], answer["period"], answer["version"]) in stored
    # The hub starts again on the same database and goes on numbering versions.
    again = Server(url, tmp_path / "b.log")
    try:
        with httpx2.Client() as client:
            response = post(
                client, again.url, tokens["LOAD-01"], document("LOAD-01", QUARTERS[1], 999)
            )
        assert response.status_code == 201
    finally:
        again.stop()
    check_consistent(sessions)
    sessions.kw["bind"].dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skipped without a server)."""
    yield from _postgres_database()


def test_a_second_worker_sees_the_same_state(pg_url: str, tmp_path: Path) -> None:
    url = pg_url
    sessions = populate(url)
    tokens = add_schemes(sessions, 2)
    first, second = Server(url, tmp_path / "a.log"), Server(url, tmp_path / "b.log")
    try:
        with httpx2.Client() as client:
            made = post(client, first.url, tokens["LOAD-01"], document("LOAD-01", QUARTERS[0], 1))
            assert made.status_code == 201
            listed = client.get(
                second.url + "/api/v1/returns",
                headers={"Authorization": f"Bearer {tokens['LOAD-01']}"},
            ).json()
            assert [(v["period"], v["version"]) for v in listed] == [(QUARTERS[0], 1)]
            # The same content through the other worker is the same version.
            again = post(client, second.url, tokens["LOAD-01"], document("LOAD-01", QUARTERS[0], 1))
            assert again.json()["outcome"] == "same-as-stored"
            # Both workers share the session key: a sign-in on one is valid on the other.
            page = client.get(first.url + "/login")
            token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
            client.post(
                first.url + "/login",
                data={
                    "username": "national",
                    "password": "correct horse battery staple",
                    "csrf_token": token,
                },
            )
            # Cookies belong to the host, not the port: the same browser, the other worker.
            dashboard = client.get(second.url + "/dashboard", follow_redirects=False)
            assert dashboard.status_code == 200
            assert "Load scheme 1" in dashboard.text
    finally:
        first.stop()
        second.stop()
    with sessions() as session:
        assert len(session.scalars(select(ReturnVersion)).all()) == 1
    sessions.kw["bind"].dispose()
