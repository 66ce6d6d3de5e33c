"""Every command of the hub's documentation and of the README's hub line runs as written.

Pages are run like the how-tos (``tests/docs/test_howtos.py``): console
blocks' ``$`` lines in order in a scratch folder holding ``examples/``,
Python blocks in one namespace. Two differences a server needs: a
``spcore hub serve`` line starts the server in the background and waits
until it answers (it is stopped at the end of the page), and a ``pip install -e``
line is not run but what it makes true is checked: spcore imported from this
checkout, with the hub's libraries (the README walk, ``.ci/readme-walk``, runs
the line as written in a fresh environment). The PostgreSQL page runs with
``SPCORE_HUB_DATABASE`` naming a fresh database (skipped without a server).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import REPO, _postgres_database

DOCS = REPO / "docs" / "hub"
PAGES = sorted(DOCS.glob("*.md"))
README_LINE = "pip install -e '.[hub]' && spcore hub demo && spcore hub serve"


def _howtos() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "spcore_howtos", REPO / "tests" / "docs" / "test_howtos.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


howtos = _howtos()


def _port(command: str) -> int:
    words = shlex.split(command)
    return int(words[words.index("--port") + 1]) if "--port" in words else 8000


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Runner:
    """Runs a page's commands; keeps the servers it starts, to stop them."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.servers: list[subprocess.Popen[bytes]] = []

    def run(self, command: str, status: int = 0) -> None:
        if command.startswith("spcore hub serve"):
            self.serve(command)
            return
        if command.startswith("pip install -e"):
            _installed_from_here(command)
            return
        done = subprocess.run(
            command,
            shell=True,
            executable="/bin/bash",
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert "Traceback (most recent call last)" not in done.stderr, done.stderr[-3000:]
        assert done.returncode == status, (
            f"`{command}` exited {done.returncode}, expected {status}\n"
            f"stdout:\n{done.stdout[-2000:]}\nstderr:\n{done.stderr[-2000:]}"
        )

    def serve(self, command: str) -> None:
        port = _port(command)
        if _listening(port):
            pytest.skip(f"port {port} is in use here, so `{command}` cannot be run as written")
        log = (self.workdir / f"serve-{port}.log").open("wb")
        server = subprocess.Popen(
            command,
            shell=True,
            executable="/bin/bash",
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.servers.append(server)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert server.poll() is None, (self.workdir / f"serve-{port}.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    assert r.status == 200
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise AssertionError(f"`{command}` did not answer on port {port}")

    def stop(self) -> None:
        for server in self.servers:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=30)


def _installed_from_here(command: str) -> None:
    """Stand in for ``pip install -e '.[hub]'``: what it makes true must already hold.

    Running it would point the environment's spcore at this checkout, which is
    no business of a test; the README walk (``.ci/readme-walk``) runs it as
    written in a fresh environment.
    """
    spec = importlib.util.find_spec("spcore")
    here = REPO / "src" / "spcore"
    if spec is None or spec.origin is None or Path(spec.origin).parent != here:
        pytest.skip(f"spcore is installed from elsewhere than {REPO}: `{command}` would move it")
    for module in ("fastapi", "uvicorn", "sqlalchemy", "alembic", "argon2", "psycopg"):
        assert importlib.util.find_spec(module), f"`{command}` would install {module}"


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[Runner]:
    """A runner in a scratch folder with a copy of ``examples/``."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    env = howtos._environment()
    env.pop("SPCORE_HUB_DATABASE", None)
    made = Runner(tmp_path, env)
    yield made
    made.stop()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_hub_page_commands_run(page: Path, runner: Runner) -> None:
    markdown = page.read_text(encoding="utf-8")
    databases: Iterator[str] | None = None
    if "$SPCORE_HUB_DATABASE" in markdown or "{SPCORE_HUB_DATABASE" in markdown:
        databases = _postgres_database()
        runner.env["SPCORE_HUB_DATABASE"] = next(databases)
    namespace: dict[str, object] = {"__name__": "__hubdocs__"}
    try:
        for block in howtos.blocks(markdown):
            if block.lang == "console":
                for command, status in howtos.commands(block.body):
                    runner.run(command, status)
            elif block.lang == "python":
                cwd = Path.cwd()
                os.chdir(runner.workdir)
                try:
                    exec(compile(block.body, f"{page.name}:python", "exec"), namespace)
                finally:
                    os.chdir(cwd)
    finally:
        runner.stop()
        runner.servers.clear()
        if databases is not None:
            databases.close()


def test_every_hub_page_is_in_the_site_navigation() -> None:
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for page in PAGES:
        assert f"hub/{page.name}" in nav, page.name


def test_readme_hub_line_runs_as_written(runner: Runner) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert README_LINE in readme
    for command in README_LINE.split(" && "):
        runner.run(command)
    for login in re.findall(r"`(national|icb-qwo|northshire)`", readme):
        assert login
