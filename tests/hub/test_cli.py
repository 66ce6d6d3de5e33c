"""``spcore hub`` commands: migrate, organisations, people, tokens (created, used, revoked)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from spcore.cli import main
from spcore.hub.app import create_app
from spcore.hub.settings import HubSettings

from .conftest import EXAMPLE


def test_token_created_works_once_revoked_is_refused(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["hub", "migrate", "--database", sqlite_url]) == 0
    assert "migrated from an empty database to" in capsys.readouterr().out
    assert main(["hub", "migrate", "--database", sqlite_url]) == 0
    assert "already at migration" in capsys.readouterr().out
    db = ["--database", sqlite_url]
    assert main(["hub", "org", "add", "scheme", "NORTHSHIRE-CONNECT", "Northshire", *db]) == 0
    assert main(["hub", "org", "add", "scheme", "NORTHSHIRE-CONNECT", "Again", *db]) == 2
    monkeypatch.setenv("SPCORE_HUB_PASSWORD", "short")
    assert (
        main(["hub", "user", "add", "a", "--org", "NORTHSHIRE-CONNECT", "--role", "viewer", *db])
        == 2
    )
    capsys.readouterr()
    long_label = ["--label", "x" * 201]
    assert main(["hub", "token", "create", "--scheme", "NORTHSHIRE-CONNECT", *long_label, *db]) == 2
    assert "at most 200 characters" in capsys.readouterr().err
    assert main(["hub", "token", "create", "--scheme", "NORTHSHIRE-CONNECT", *db]) == 0
    captured = capsys.readouterr()
    token = captured.out.strip()
    assert token.startswith("spc_")
    assert token not in captured.err
    client = TestClient(create_app(HubSettings(database=sqlite_url, secure_cookies=False)))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/returns", headers=headers).status_code == 200
    assert main(["hub", "token", "list", *db]) == 0
    listing = capsys.readouterr().out
    assert token not in listing
    assert token[:12] in listing
    assert main(["hub", "token", "revoke", token[:12], *db]) == 0
    assert main(["hub", "token", "revoke", token[:12], *db]) == 0  # again: nothing changes
    assert client.get("/api/v1/returns", headers=headers).status_code == 401
    files = {"file": ("r.json", EXAMPLE.read_bytes(), "application/json")}
    assert client.post("/api/v1/returns", headers=headers, files=files).status_code == 401


def test_commands_refuse_an_unmigrated_database(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["hub", "user", "list", "--database", sqlite_url]) == 2
    assert "spcore hub migrate" in capsys.readouterr().err


def test_demo_refuses_a_hub_with_organisations(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from .conftest import populate

    populate(sqlite_url)
    assert main(["hub", "demo", "--database", sqlite_url]) == 2
    assert "already has organisations" in capsys.readouterr().err
