"""API tokens on the web: administrators make and revoke them; nobody else can."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from spcore.hub.models import ApiToken, AuditEvent

from .conftest import EXAMPLE, Hub, csrf


def _make(client: TestClient, scheme: str = "", label: str = "case system") -> Any:
    data = {"csrf_token": csrf(client, "/tokens"), "label": label}
    if scheme:
        data["scheme"] = scheme
    return client.post("/tokens", data=data)


def _shown(page: str) -> str:
    found = re.search(r'<code id="new-token">([^<]+)</code>', page)
    assert found is not None, "the new token is not on the page"
    return found.group(1)


def _submit(hub: Hub, token: str) -> int:
    files = {"file": (EXAMPLE.name, EXAMPLE.read_bytes(), "application/json")}
    client = hub.client()
    response = client.post(
        "/api/v1/returns", headers={"Authorization": f"Bearer {token}"}, files=files
    )
    return response.status_code


def test_a_scheme_administrator_makes_a_token_that_submits_and_revokes_it(hub: Hub) -> None:
    client = hub.client("northshire-admin")
    assert 'href="/tokens"' in client.get("/dashboard").text
    made = _make(client)
    assert made.status_code == 200
    assert made.headers["Cache-Control"] == "no-store"
    token = _shown(made.text)
    assert _submit(hub, token) == 201  # stored
    # Listed by its first characters only: the token itself is never shown again.
    listing = client.get("/tokens").text
    assert token[:12] in listing
    assert token not in listing
    with hub.sessions() as session:
        [kept] = session.scalars(select(ApiToken)).all()
        assert kept.label == "case system"
        assert kept.organisation.code == "NORTHSHIRE-CONNECT"
        token_id = kept.id
    revoked = client.post(
        "/tokens/revoke",
        data={"csrf_token": csrf(client, "/tokens"), "token_id": str(token_id)},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert _submit(hub, token) == 401
    assert "revoked" in client.get("/tokens").text
    with hub.sessions() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        actions = [(e.actor, e.action, e.detail) for e in events if e.action.startswith("token")]
    assert actions == [
        ("northshire-admin", "token-created", token[:12]),
        ("northshire-admin", "token-revoked", token[:12]),
    ]


@pytest.mark.parametrize("who", ["northshire", "northshire-viewer", "icb-qwo", "icb-qoq"])
def test_only_administrators_of_a_scheme_or_the_national_team_manage_tokens(
    hub: Hub, who: str
) -> None:
    client = hub.client(who)
    assert 'href="/tokens"' not in client.get("/dashboard").text
    assert client.get("/tokens").status_code == 403
    token = csrf(client, "/dashboard")
    refused = client.post(
        "/tokens", data={"csrf_token": token, "scheme": "NORTHSHIRE-CONNECT", "label": "x"}
    )
    assert refused.status_code == 403
    with hub.sessions() as session:
        assert session.scalars(select(ApiToken)).all() == []


def test_signed_out_visitors_are_sent_to_sign_in(hub: Hub) -> None:
    response = hub.client().get("/tokens", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?next=/tokens"


def test_the_national_team_chooses_the_scheme(hub: Hub) -> None:
    client = hub.client("national")
    page = client.get("/tokens").text
    assert 'value="NORTHSHIRE-CONNECT"' in page
    assert 'value="EASTVALE-LINK"' in page
    assert _make(client).status_code == 422
    made = _make(client, "EASTVALE-LINK", "eastvale's system")
    with hub.sessions() as session:
        [kept] = session.scalars(select(ApiToken)).all()
        assert kept.organisation.code == "EASTVALE-LINK"
    assert _shown(made.text).startswith(kept.prefix)


def test_another_schemes_tokens_cannot_be_made_seen_or_revoked(hub: Hub) -> None:
    national = hub.client("national")
    _make(national, "EASTVALE-LINK", "eastvale's system")
    with hub.sessions() as session:
        [eastvale] = session.scalars(select(ApiToken)).all()
        prefix, token_id = eastvale.prefix, eastvale.id
    client = hub.client("northshire-admin")
    assert prefix not in client.get("/tokens").text
    made = _make(client, "EASTVALE-LINK")  # another scheme's code: refused
    assert made.status_code == 422
    refused = client.post(
        "/tokens/revoke", data={"csrf_token": csrf(client, "/tokens"), "token_id": str(token_id)}
    )
    assert refused.status_code == 404
    for guess, status in (("99", 404), ("0", 422), ("-1", 422), ("9" * 30, 422), ("x", 422)):
        response = client.post(
            "/tokens/revoke", data={"csrf_token": csrf(client, "/tokens"), "token_id": guess}
        )
        assert response.status_code == status, guess
    with hub.sessions() as session:
        kept = session.get(ApiToken, token_id)
        assert kept is not None
        assert kept.revoked_at is None


def test_every_form_needs_its_csrf_token_and_labels_are_bounded(hub: Hub) -> None:
    client = hub.client("northshire-admin")
    assert client.post("/tokens", data={"label": "x"}).status_code == 403
    too_long = _make(client, label="x" * 201)
    assert too_long.status_code == 422
    assert "at most 200 characters" in too_long.text
    with hub.sessions() as session:
        assert session.scalars(select(ApiToken)).all() == []
