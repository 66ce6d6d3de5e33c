"""The hub in a real browser: Debian's Chromium driven by Selenium against a real uvicorn.

Skipped when Chromium or its driver is not installed (``.ci/run`` installs
``chromium`` and ``chromium-driver``). The walk runs on SQLite and, when
``SPCORE_HUB_TEST_DATABASE`` names a server (as in ``.ci/run``), on PostgreSQL.
Screenshots are saved under ``$SPCORE_TEST_ARTEFACTS/hub/sqlite`` and ``.../postgresql``
(default ``build/test-artefacts/hub/...``, ignored by git).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLE, PASSWORD, REPO, invalid, populate
from .server import Server

CHROMIUM = "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
    reason="the browser tests need Debian's chromium and chromium-driver "
    "(apt-get install chromium chromium-driver)",
)

ARTEFACTS = Path(os.environ.get("SPCORE_TEST_ARTEFACTS", REPO / "build" / "test-artefacts")) / "hub"


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    """A populated hub served by uvicorn on loopback, on SQLite and on PostgreSQL.

    Its log is ``tmp_path / "server.log"``.
    """
    populate(database_url)
    running = Server(database_url, tmp_path / "server.log")
    yield running
    running.stop()


@pytest.fixture
def shots(database_url: str) -> Path:
    """Where this run's screenshots go: a folder for each kind of database."""
    return ARTEFACTS / database_url.partition(":")[0].partition("+")[0]


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium with a fresh profile, nothing fetched from the network."""
    pytest.importorskip("selenium", reason="the browser tests need selenium (in spcore[dev])")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="spcore-hub-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--window-size=1280,1600",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _shot(driver: Any, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(folder / f"{name}.png"))


def _sign_in(driver: Any, server: Server, username: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    driver.delete_all_cookies()
    driver.get(server.url + "/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "sign-in").click()
    # The next page load must not start before the sign-in's answer has set the cookie.
    WebDriverWait(driver, 60).until(lambda d: "/login" not in d.current_url)


def _upload(driver: Any, server: Server, path: Path) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    driver.get(server.url + "/upload")
    driver.find_element(By.ID, "file").send_keys(str(path))
    driver.find_element(By.ID, "upload").click()
    # A form with a file returns from click() before its answer has loaded: wait for it.
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "outcome"))
    text: str = driver.find_element(By.ID, "outcome").text
    return text


def test_submitter_corrects_a_workbook_and_others_see_what_they_may(
    server: Server, browser: Any, shots: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    from spcore.spreadsheets import write_return

    bad = tmp_path / "northshire-2025-26-Q2.xlsx"
    write_return(invalid(), bad)
    good = REPO / "examples" / "returns" / EXAMPLE.name.replace(".json", ".xlsx")

    _sign_in(browser, server, "northshire")
    assert "Dashboard" in browser.title
    outcome = _upload(browser, server, bad)
    assert outcome.startswith("Refused")
    report = browser.find_element(By.CLASS_NAME, "report").text
    assert "sheet 'Outputs', row" in report
    assert "People rejecting a referral" in report or "people_rejecting_referral" in report
    _shot(browser, shots, "1-refused-workbook")

    outcome = _upload(browser, server, good)
    assert outcome.startswith("Accepted: stored as version 1 of 2025-26 Q2")
    _shot(browser, shots, "2-accepted-workbook")

    browser.get(server.url + "/dashboard")
    grid = browser.find_element(By.ID, "status-grid").text
    assert "Northshire Connect" in grid
    assert "late" in grid or "on time" in grid
    _shot(browser, shots, "3-submitter-dashboard")
    browser.get(server.url + "/schemes/NORTHSHIRE-CONNECT")
    version_link = browser.find_element(By.LINK_TEXT, "JSON").get_attribute("href")
    assert version_link

    _sign_in(browser, server, "eastvale")
    browser.get(server.url + "/schemes/NORTHSHIRE-CONNECT")
    assert "There is no such scheme" in browser.page_source
    browser.get(version_link)
    assert "There is no such version" in browser.page_source
    browser.get(server.url + "/dashboard")
    assert "Northshire" not in browser.find_element(By.TAG_NAME, "main").text
    _shot(browser, shots, "4-other-scheme-refused")

    _sign_in(browser, server, "icb-qwo")
    browser.get(server.url + "/dashboard")
    grid = browser.find_element(By.ID, "status-grid").text
    assert "Commissioner QWO" in grid
    assert "Northshire Connect" in grid
    assert "Eastvale" not in grid
    assert browser.find_element(By.CSS_SELECTOR, "#funnel svg")
    _shot(browser, shots, "5-commissioner-grid")
    server.stop()
    log = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    assert PASSWORD not in log


def test_administrator_makes_a_token_that_submits_then_revokes_it(
    server: Server, browser: Any, shots: Path, tmp_path: Path
) -> None:
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    _sign_in(browser, server, "northshire-admin")
    browser.get(server.url + "/dashboard")  # loaded before it is read
    browser.get(browser.find_element(By.LINK_TEXT, "API tokens").get_attribute("href"))
    browser.find_element(By.ID, "label").send_keys("case system")
    browser.find_element(By.ID, "make").click()
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "new-token"))
    token = browser.find_element(By.ID, "new-token").text
    assert token.startswith("spc_")
    _shot(browser, shots, "6-token-made")

    request = urllib.request.Request(
        server.url + "/api/v1/returns", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200  # the token opens the scheme's API

    browser.get(server.url + "/tokens")
    assert token not in browser.page_source  # shown once only
    browser.find_element(By.CSS_SELECTOR, f'button[aria-label="Revoke {token[:12]}"]').click()
    # The click posts the form and the page is loaded anew: meanwhile an element read is
    # stale, or not there yet.
    loading = (StaleElementReferenceException, NoSuchElementException)
    WebDriverWait(browser, 60, ignored_exceptions=loading).until(
        lambda d: "revoked" in d.find_element(By.ID, "tokens").text
    )
    _shot(browser, shots, "7-token-revoked")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401
    server.stop()
    log = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    assert token not in log
