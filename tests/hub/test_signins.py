"""Sign-ins kept on the server: signing out, disabling and expiry end them; guessing is limited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from spcore.cli import main
from spcore.hub.app import create_app
from spcore.hub.database import make_engine
from spcore.hub.models import AuditEvent, SignIn
from spcore.hub.settings import SESSION_MAX_AGE, SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW, HubSettings

from .conftest import NOW, PASSWORD, Hub, csrf, login, populate


class Clock:
    """A hub clock the test moves."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clocked(database_url: str) -> Iterator[tuple[TestClient, Clock, str]]:
    """A hub on SQLite and PostgreSQL whose clock the test moves, its client and URL."""
    populate(database_url)
    clock = Clock()
    app = create_app(HubSettings(database=database_url, secure_cookies=False, now=clock))
    yield TestClient(app), clock, database_url
    app.state.engine.dispose()


def signed_in(client: TestClient) -> bool:
    """True when the client's cookie opens a page for signed-in people."""
    return client.get("/upload", follow_redirects=False).status_code == 200


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(hub: Hub) -> None:
    browser = hub.client("northshire")
    assert signed_in(browser)
    copy = TestClient(hub.app, cookies=dict(browser.cookies))
    assert signed_in(copy)
    browser.post("/logout", data={"csrf_token": csrf(browser, "/upload")})
    assert not signed_in(browser)
    assert not signed_in(copy)  # the cookie's signature is still good; its sign-in is not
    with hub.sessions() as session:
        (row,) = session.scalars(select(SignIn)).all()
        assert row.ended_at is not None


def test_signing_in_again_ends_the_earlier_sign_in_of_that_browser(hub: Hub) -> None:
    browser = hub.client("northshire")
    before = TestClient(hub.app, cookies=dict(browser.cookies))
    login(browser, "northshire")
    assert signed_in(browser)
    assert not signed_in(before)


def test_disabling_a_user_signs_them_out(
    hub: Hub, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    browser = hub.client("northshire")
    assert signed_in(browser)
    assert main(["hub", "user", "disable", "northshire", "--database", database_url]) == 0
    assert "signed out of 1 session" in capsys.readouterr().out
    assert not signed_in(browser)
    assert login(browser, "northshire").status_code == 401


def test_a_sign_in_ends_after_its_maximum_age_by_the_hub_clock(
    clocked: tuple[TestClient, Clock, str],
) -> None:
    client, clock, _ = clocked
    login(client, "northshire")
    clock.now = NOW + dt.timedelta(seconds=SESSION_MAX_AGE - 60)
    assert signed_in(client)
    clock.now = NOW + dt.timedelta(seconds=SESSION_MAX_AGE + 1)
    assert not signed_in(client)


def test_failed_sign_ins_are_limited_per_user_name(
    clocked: tuple[TestClient, Clock, str],
) -> None:
    client, clock, url = clocked
    for attempt in range(SIGN_IN_ATTEMPTS):
        clock.now = NOW + dt.timedelta(seconds=attempt)
        assert login(client, "northshire", "wrong password").status_code == 401
    # The right password is not even checked now, and the page says why and for how long.
    refused = login(client, "northshire", PASSWORD)
    assert refused.status_code == 429
    minutes = int(SIGN_IN_WINDOW.total_seconds() // 60)
    assert f"Try again in {minutes} minutes" in refused.text
    assert not signed_in(client)
    # A user name that does not exist is refused the same way once guessed at as often.
    for _ in range(SIGN_IN_ATTEMPTS):
        login(client, "nobody-at-all", "guess")
    assert login(client, "nobody-at-all", "guess").status_code == 429
    # Other people are not affected.
    other = TestClient(client.app)
    assert login(other, "eastvale").status_code == 303
    # Once the first failures leave the window, the right password works again.
    clock.now = NOW + SIGN_IN_WINDOW + dt.timedelta(seconds=SIGN_IN_ATTEMPTS)
    assert login(client, "northshire", PASSWORD).status_code == 303
    assert signed_in(client)
    engine = make_engine(url)
    try:
        with sessionmaker(engine)() as session:
            actions = session.scalars(
                select(AuditEvent.action).where(AuditEvent.actor == "northshire")
            ).all()
    finally:
        engine.dispose()
    assert actions.count("sign-in-failed") == SIGN_IN_ATTEMPTS
    assert actions.count("sign-in-refused") == 1
    assert actions.count("signed-in") == 1
