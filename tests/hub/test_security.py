"""CSRF on every form, cookies and headers, size limits and bombs, inert HTML, no secrets shown."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest
from sqlalchemy import select

from spcore.hub.models import AuditEvent, ReturnVersion

from .conftest import EXAMPLE, PASSWORD, Hub, as_bytes, csrf, example, upload

#: Every form of the hub: (path, fields besides the token, who is signed in).
FORMS = [
    ("/login", {"username": "northshire", "password": PASSWORD}, None),
    ("/logout", {}, "northshire"),
    ("/upload", {}, "northshire"),
    ("/upload/acknowledge", {"key": "x"}, "northshire"),
]


@pytest.mark.parametrize(("path", "fields", "who"), FORMS)
@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_every_form_refuses_a_missing_or_wrong_csrf_token(
    lite_hub: Hub, path: str, fields: dict[str, str], who: str | None, token: str | None
) -> None:
    client = lite_hub.client(who)
    data = dict(fields)
    if token is not None:
        data["csrf_token"] = token
    files = {"file": ("r.json", EXAMPLE.read_bytes(), "application/json")}
    response = client.post(
        path, data=data, files=files if path == "/upload" else None, follow_redirects=False
    )
    assert response.status_code == 403
    with lite_hub.sessions() as session:
        assert session.scalars(select(ReturnVersion)).first() is None


def test_session_cookie_flags(lite_hub: Hub) -> None:
    client = lite_hub.client()
    response = client.post(
        "/login",
        data={"username": "northshire", "password": PASSWORD, "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "secure" not in cookie  # plain HTTP on loopback in this test


def test_secure_cookie_when_not_on_loopback(sqlite_url: str) -> None:
    from fastapi.testclient import TestClient

    from spcore.hub.app import create_app
    from spcore.hub.settings import HubSettings

    from .conftest import populate

    populate(sqlite_url)
    client = TestClient(create_app(HubSettings(database=sqlite_url)), base_url="https://hub")
    response = client.post(
        "/login",
        data={"username": "northshire", "password": PASSWORD, "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert "; secure" in response.headers["set-cookie"].lower()
    assert "max-age" in response.headers["strict-transport-security"]


def test_security_headers_on_every_kind_of_response(lite_hub: Hub) -> None:
    client = lite_hub.client()
    for path in ("/", "/login", "/no-such-page", "/api/openapi.json", "/static/hub.css"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"


def test_wrong_password_is_refused_and_logged_without_the_password(lite_hub: Hub) -> None:
    client = lite_hub.client()
    response = client.post(
        "/login",
        data={"username": "northshire", "password": "hunter2-wrong", "csrf_token": csrf(client)},
    )
    assert response.status_code == 401
    assert "hunter2-wrong" not in response.text
    with lite_hub.sessions() as session:
        events = session.scalars(select(AuditEvent)).all()
    assert [e.action for e in events] == ["sign-in-failed"]
    assert all("hunter2" not in e.detail + e.actor for e in events)


def test_logout_ends_the_session(lite_hub: Hub) -> None:
    client = lite_hub.client("northshire")
    token = csrf(client, "/dashboard")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_open_redirect_after_sign_in_stays_on_site(lite_hub: Hub) -> None:
    client = lite_hub.client()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            "/login",
            data={
                "username": "northshire",
                "password": PASSWORD,
                "csrf_token": csrf(client),
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/dashboard"


def test_upload_over_the_limit_is_refused_before_reading(lite_hub: Hub) -> None:
    client = lite_hub.client("northshire")
    limit = lite_hub.settings.max_upload_bytes
    response = upload(client, b"{" + b" " * (limit + 200_000) + b"}", "big.json")
    assert response.status_code == 413
    token = {"Authorization": "Bearer spc_x"}
    api = client.post(
        "/api/v1/returns",
        headers=token,
        files={"file": ("big.json", b" " * (limit + 200_000), "application/json")},
    )
    assert api.status_code == 413


def test_upload_just_over_the_hub_limit_is_a_finding(lite_hub: Hub) -> None:
    client = lite_hub.client("northshire")
    limit = lite_hub.settings.max_upload_bytes
    response = upload(client, b" " * (limit + 10), "big.json")
    assert response.status_code == 422
    assert "SPC-H002" in response.text


def test_zip_bomb_workbook_is_refused(lite_hub: Hub) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/worksheets/sheet1.xml", "<a>" + "x" * 200_000_000 + "</a>")
    response = upload(lite_hub.client("northshire"), buffer.getvalue(), "bomb.xlsx")
    assert response.status_code == 422
    assert "Refused" in response.text


def test_xml_entity_bomb_is_refused(lite_hub: Hub) -> None:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<worksheet>&lol2;</worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", lol)
        book.writestr("xl/worksheets/sheet1.xml", lol)
    response = upload(lite_hub.client("northshire"), buffer.getvalue(), "lol.xlsx")
    assert response.status_code == 422


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_scheme_text_with_html_is_rendered_inert(lite_hub: Hub) -> None:
    document = example()
    document["scheme"]["name"] = "Northshire " + SCRIPT
    document["notes"] = SCRIPT
    client = lite_hub.client("northshire")
    first = upload(client, as_bytes(document), SCRIPT + ".json")
    assert "<script>alert" not in first.text
    assert "onerror=alert" not in first.text.replace("onerror=alert(1)&gt;", "")
    for path in ("/dashboard", "/schemes/NORTHSHIRE-CONNECT", "/audit", "/"):
        page = client.get(path).text
        assert "<script>alert" not in page, path
        assert "<img src=x" not in page, path
    national = lite_hub.client("national")
    for path in ("/dashboard", "/audit", "/open-data/national-wide.csv"):
        assert "<script>alert" not in national.get(path).text or path.endswith(".csv")


@pytest.mark.parametrize(
    "value",
    ["' OR '1'='1", "1; DROP TABLE return_version; --", "../../etc/passwd", "%00", "\u202e"],
)
def test_injection_in_parameters_changes_nothing(lite_hub: Hub, value: str) -> None:
    client = lite_hub.client("national")
    assert client.get("/schemes/" + value.replace("/", "%2F")).status_code in (404, 422)
    assert client.get("/versions/" + value.replace("/", "%2F") + "/json").status_code in (
        404,
        422,
    )
    assert client.get("/open-data/" + value.replace("/", "%2F")).status_code == 404
    assert client.get("/login", params={"next": value}).status_code == 200
    anonymous = lite_hub.client()
    anonymous.post(
        "/login",
        data={"username": value, "password": value, "csrf_token": csrf(anonymous)},
    )
    with lite_hub.sessions() as session:
        assert session.scalars(select(ReturnVersion)).all() == []
    assert client.get("/dashboard").status_code == 200  # the tables are all still there


def test_csv_open_data_neutralises_formulas(lite_hub: Hub) -> None:
    document = example()
    document["scheme"]["name"] = '=HYPERLINK("http://evil.example")'
    upload(lite_hub.client("northshire"), as_bytes(document), "r.json")
    text = lite_hub.client().get("/open-data/national-wide.csv").text
    assert ",'=HYPERLINK" in text or "\"'=HYPERLINK" in text


def test_errors_show_no_traceback_or_secret(
    lite_hub: Hub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = lite_hub.client()
    token = "spc_" + "A" * 43
    response = client.post(
        "/api/v1/returns",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("r.json", b"{", "application/json")},
    )
    assert response.status_code == 401
    assert "Traceback" not in response.text
    assert token not in response.text
    assert token not in caplog.text
    assert PASSWORD not in caplog.text
