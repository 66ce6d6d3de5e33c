"""Who may do what: every page and API endpoint for every role, and guessed ids."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from spcore.hub.models import ReturnVersion

from .conftest import EXAMPLE, Hub, as_bytes, eastvale, upload


def _stored(hub: Hub) -> dict[str, int]:
    """Store one Northshire (QWO) and one Eastvale (QOQ) return; their version ids."""
    upload(hub.client("northshire"), EXAMPLE.read_bytes(), EXAMPLE.name)
    upload(hub.client("eastvale"), as_bytes(eastvale()), "eastvale.json")
    with hub.sessions() as session:
        return {v.scheme_code: v.id for v in session.scalars(select(ReturnVersion))}


#: who -> schemes they may see
SEES = {
    "northshire": {"NORTHSHIRE-CONNECT"},
    "northshire-viewer": {"NORTHSHIRE-CONNECT"},
    "northshire-admin": {"NORTHSHIRE-CONNECT"},
    "eastvale": {"EASTVALE-LINK"},
    "icb-qwo": {"NORTHSHIRE-CONNECT"},
    "icb-qoq": {"EASTVALE-LINK"},
    "national": {"NORTHSHIRE-CONNECT", "EASTVALE-LINK"},
}


def test_each_role_sees_only_its_schemes_and_versions(hub: Hub) -> None:
    ids = _stored(hub)
    for who, visible in SEES.items():
        client = hub.client(who)
        dashboard = client.get("/dashboard").text
        for scheme, version_id in ids.items():
            page = client.get(f"/schemes/{scheme}")
            download = client.get(f"/versions/{version_id}/original")
            as_json = client.get(f"/versions/{version_id}/json")
            if scheme in visible:
                assert page.status_code == 200, (who, scheme)
                assert download.status_code == 200
                assert as_json.json()["scheme"]["id"] == scheme
                assert f"/schemes/{scheme}" in dashboard
            else:
                assert page.status_code == 404, (who, scheme)
                assert download.status_code == 404
                assert as_json.status_code == 404
                assert f"/schemes/{scheme}" not in dashboard


def test_guessed_ids_and_versions_reveal_nothing(hub: Hub) -> None:
    ids = _stored(hub)
    client = hub.client("eastvale")
    for guess in (*ids.values(), 0, 99, -1, 10**12):
        response = client.get(f"/versions/{guess}/original")
        if guess == ids["EASTVALE-LINK"]:
            continue
        assert response.status_code in (404, 422)
        assert "Northshire" not in response.text
    assert client.get("/schemes/NO-SUCH-SCHEME").status_code == 404
    assert client.get("/versions/abc/original").status_code == 422


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("northshire", 200),
        ("northshire-admin", 200),
        ("northshire-viewer", 403),
        ("icb-qwo", 403),
        ("national", 403),
    ],
)
def test_only_a_schemes_submitters_upload(lite_hub: Hub, who: str, status: int) -> None:
    client = lite_hub.client(who)
    assert client.get("/upload").status_code == status
    if status == 403:
        token = client.get("/dashboard").text.split('name="csrf_token" value="')[1].split('"')[0]
        posted = client.post(
            "/upload",
            data={"csrf_token": token},
            files={"file": ("r.json", EXAMPLE.read_bytes(), "application/json")},
        )
        assert posted.status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [("national", 200), ("northshire-admin", 200), ("northshire", 403), ("icb-qwo", 403)],
)
def test_audit_log_is_for_administrators(lite_hub: Hub, who: str, status: int) -> None:
    assert lite_hub.client(who).get("/audit").status_code == status


def test_scheme_administrator_sees_only_its_own_events(lite_hub: Hub) -> None:
    _stored(lite_hub)
    own = lite_hub.client("northshire-admin").get("/audit").text
    assert "northshire" in own
    assert "eastvale" not in own
    everything = lite_hub.client("national").get("/audit").text
    assert "eastvale" in everything


@pytest.mark.parametrize(
    "path", ["/dashboard", "/upload", "/audit", "/schemes/NORTHSHIRE-CONNECT", "/versions/1/json"]
)
def test_signed_out_visitors_are_sent_to_sign_in(lite_hub: Hub, path: str) -> None:
    response = lite_hub.client().get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "path", ["/", "/open-data", "/open-data/national-wide.csv", "/api/docs", "/api/openapi.json"]
)
def test_public_pages_need_no_sign_in(lite_hub: Hub, path: str) -> None:
    assert lite_hub.client().get(path).status_code == 200


def test_api_needs_a_valid_unrevoked_token(lite_hub: Hub) -> None:
    client = lite_hub.client()
    files = {"file": ("r.json", EXAMPLE.read_bytes(), "application/json")}
    assert client.post("/api/v1/returns", files=files).status_code == 401
    bad = {"Authorization": "Bearer spc_not-a-token"}
    assert client.post("/api/v1/returns", files=files, headers=bad).status_code == 401
    assert client.get("/api/v1/returns", headers=bad).status_code == 401
    # A browser session is not an API credential.
    signed_in = lite_hub.client("northshire")
    assert signed_in.post("/api/v1/returns", files=files).status_code == 401


def test_commissioner_grid_lists_its_schemes(hub: Hub) -> None:
    _stored(hub)
    grid = hub.client("icb-qwo").get("/dashboard").text
    assert 'id="status-grid"' in grid
    assert "Northshire Connect" in grid
    assert "Eastvale Link" not in grid
    assert "on time" in grid
