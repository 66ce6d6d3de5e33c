"""Fixtures of the hub's tests: a migrated database (SQLite, and PostgreSQL when given), people.

PostgreSQL tests run when ``SPCORE_HUB_TEST_DATABASE`` names a server
(``postgresql+psycopg://USER@127.0.0.1:PORT/postgres``); each test gets a
database of its own, dropped afterwards. ``.ci/run`` starts a throwaway server
and sets it; without it those tests are skipped with that reason.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the hub's libraries are missing: pip install -e '.[hub]'")

from fastapi.testclient import TestClient
from sqlalchemy import make_url
from sqlalchemy.orm import Session, sessionmaker

from spcore.hub.app import create_app
from spcore.hub.database import make_engine, migrate
from spcore.hub.models import Organisation, OrgKind, Role, User
from spcore.hub.security import hash_password
from spcore.hub.settings import HubSettings

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"

#: When the tests run: after the example return was prepared (14 October 2025),
#: before 2025-26 Q2's return is due (30 September + 30 days).
NOW = dt.datetime(2025, 10, 20, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()

PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)

POSTGRES_ENV = "SPCORE_HUB_TEST_DATABASE"
NO_POSTGRES = f"PostgreSQL tests need {POSTGRES_ENV}=postgresql+psycopg://USER@HOST:PORT/postgres"

#: user name -> (organisation code, role)
PEOPLE: dict[str, tuple[str, Role]] = {
    "northshire": ("NORTHSHIRE-CONNECT", Role.SUBMITTER),
    "northshire-viewer": ("NORTHSHIRE-CONNECT", Role.VIEWER),
    "northshire-admin": ("NORTHSHIRE-CONNECT", Role.ADMINISTRATOR),
    "eastvale": ("EASTVALE-LINK", Role.SUBMITTER),
    "icb-qwo": ("QWO", Role.VIEWER),
    "icb-qoq": ("QOQ", Role.VIEWER),
    "national": ("NATIONAL", Role.ADMINISTRATOR),
}


def example() -> dict[str, Any]:
    """The bundled example return (Northshire Connect, 2025-26 Q2, commissioner QWO)."""
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def as_bytes(document: dict[str, Any]) -> bytes:
    """A return as the bytes of a JSON file."""
    return json.dumps(document, indent=2).encode("utf-8")


def eastvale() -> dict[str, Any]:
    """A return of Eastvale Link, commissioned by QOQ."""
    document = example()
    document["scheme"] |= {
        "id": "EASTVALE-LINK",
        "name": "Eastvale Link",
        "commissioner_code": "QOQ",
    }
    return document


def invalid() -> dict[str, Any]:
    """Northshire's return with an error: a negative count."""
    document = example()
    document["outputs"]["people_rejecting_referral"] = -3
    return document


def _postgres_database() -> Iterator[str]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(NO_POSTGRES)
    import psycopg

    name = f"hub_{uuid.uuid4().hex[:12]}"
    admin = make_url(base).set(drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite database (for tests whose subject is not the database)."""
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


def populate(url: str) -> sessionmaker[Session]:
    """Migrate the database and add the organisations and people of :data:`PEOPLE`."""
    migrate(url)
    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    with sessions.begin() as session:
        orgs = {
            "NATIONAL": Organisation(kind=OrgKind.NATIONAL, code="NATIONAL", name="National team"),
            "QWO": Organisation(kind=OrgKind.COMMISSIONER, code="QWO", name="ICB QWO"),
            "QOQ": Organisation(kind=OrgKind.COMMISSIONER, code="QOQ", name="ICB QOQ"),
            "NORTHSHIRE-CONNECT": Organisation(
                kind=OrgKind.SCHEME,
                code="NORTHSHIRE-CONNECT",
                name="Northshire Connect",
                commissioner_code="QWO",
            ),
            "EASTVALE-LINK": Organisation(
                kind=OrgKind.SCHEME,
                code="EASTVALE-LINK",
                name="Eastvale Link",
                commissioner_code="QOQ",
            ),
        }
        session.add_all(orgs.values())
        session.flush()
        for username, (code, role) in PEOPLE.items():
            session.add(
                User(
                    username=username,
                    password_hash=_HASH,
                    organisation_id=orgs[code].id,
                    role=role,
                )
            )
    return sessions


class Hub:
    """A hub under test: its app, its database, and browsers (test clients) for its people."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sessions = populate(url)
        self.settings = HubSettings(database=url, secure_cookies=False, now=lambda: NOW)
        self.app = create_app(self.settings)

    def client(self, username: str | None = None) -> TestClient:
        """A client, signed in as ``username`` when given."""
        client = TestClient(self.app)
        if username is not None:
            login(client, username)
        return client


def csrf(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of the form on ``path``."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None, f"no CSRF token on {path}"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the login form."""
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf(client)},
        follow_redirects=False,
    )


def upload(client: TestClient, data: bytes, filename: str = "return.json") -> Any:
    """Upload a file through the web form."""
    token = csrf(client, "/upload")
    return client.post(
        "/upload",
        data={"csrf_token": token},
        files={"file": (filename, data, "application/octet-stream")},
    )


@pytest.fixture
def hub(database_url: str) -> Iterator[Hub]:
    """A populated hub on SQLite and on PostgreSQL."""
    made = Hub(database_url)
    yield made
    made.app.state.engine.dispose()
    made.sessions.kw["bind"].dispose()


@pytest.fixture
def lite_hub(sqlite_url: str) -> Iterator[Hub]:
    """A populated hub on SQLite only."""
    made = Hub(sqlite_url)
    yield made
    made.app.state.engine.dispose()
    made.sessions.kw["bind"].dispose()
