"""The whole documentation site builds with ``mkdocs build --strict`` (about five seconds).

Strict mode turns every broken link, missing page and mkdocstrings problem
into a failure. Skipped when the ``docs`` extra is not installed; ``.ci/run``
installs it and builds the site as well.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_site_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    pytest.importorskip("mkdocstrings_handlers.python")
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    for page in (
        "index.html",
        "reference/schemas/quarterly-return.html",
        "reference/schemas/quarterly-return.schema.json",
        "reference/codelists/age-band.html",
        "reference/findings.html",
        "instruments/swemwbs.html",
        "api/spcore.html",
    ):
        assert (site / page).is_file(), page
    # Relative links only: the site works from any address or from disk.
    assert 'href="/' not in (site / "reference/schemas/quarterly-return.html").read_text()
