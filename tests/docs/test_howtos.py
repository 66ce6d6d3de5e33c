"""Every command on the how-to pages runs, as a newcomer following them would.

A page is read as a sequence of fenced blocks, run in order in one scratch
folder holding a copy of the repository's ``examples/``:

* ```` ```console ```` — each line starting with ``$ `` is a shell command; a
  trailing ``# exit status N`` says the status it must end with (default 0);
  other lines are sample output and are not checked;
* ```` ```python ```` — executed, all blocks of a page in one namespace;
* any block with ``title="PATH"`` (``yaml``, ``json``, ``csv``...) — written
  to ``PATH`` first, as the reader is told to save it.

HTML comments steer the test without showing on the site:

* ``<!-- test: requires spcore COMMAND -->`` anywhere on the page: skip the
  page while ``spcore COMMAND`` is not a registered command;
* ``<!-- test: requires-tool NAME -->``: skip the page when ``NAME`` is not on PATH;
* ``<!-- test: network -->``: the page downloads packages; skipped in CI (``CI``
  set, as ``.ci/run`` does, which allows no network beyond pip) unless
  ``SPCORE_TEST_NETWORK=1``;
* ``<!-- test: skip-if-fails -->`` right before a block: that block prepares
  the environment (for example installs a package from a registry); if it
  fails, the rest of the page is skipped, with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

REPO = Path(__file__).resolve().parents[2]

_BLOCK = re.compile(
    r"(?P<directive><!--\s*test:\s*skip-if-fails\s*-->\s*\n)?"
    r"^```(?P<lang>[\w-]*)(?P<attrs>[^\n]*)\n(?P<body>.*?)^```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')
_EXIT = re.compile(r"\s+#\s*exit status (?P<status>\d+)\s*$")
_REQUIRES = re.compile(r"<!--\s*test:\s*requires spcore (?P<command>[\w-]+)\s*-->")
_REQUIRES_TOOL = re.compile(r"<!--\s*test:\s*requires-tool (?P<tool>[\w.-]+)\s*-->")
_NETWORK = re.compile(r"<!--\s*test:\s*network\s*-->")


@attrs.frozen
class Block:
    """One fenced block of a page."""

    lang: str
    title: str | None
    body: str
    prepares: bool


def blocks(markdown: str) -> list[Block]:
    """The fenced blocks of ``markdown``, in order."""
    out = []
    for match in _BLOCK.finditer(markdown):
        title = _TITLE.search(match["attrs"])
        out.append(
            Block(
                lang=match["lang"],
                title=title["title"] if title else None,
                body=match["body"],
                prepares=match["directive"] is not None,
            )
        )
    return out


def commands(console: str) -> list[tuple[str, int]]:
    """The ``$ `` commands of a console block with the exit status each must give."""
    out = []
    for line in console.splitlines():
        if not line.startswith("$ "):
            continue
        command = line[2:]
        status = 0
        match = _EXIT.search(command)
        if match:
            status = int(match["status"])
            command = command[: match.start()]
        out.append((command, status))
    return out


def registered_commands() -> set[str]:
    """The sub-commands the installed ``spcore`` offers."""
    from spcore.cli import build_parser

    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices or ())  # type: ignore[arg-type]


def skip_reason(markdown: str) -> str | None:
    """Why the page cannot run here, or None."""
    missing = [m["command"] for m in _REQUIRES.finditer(markdown)]
    missing = [c for c in missing if c not in registered_commands()]
    if missing:
        return f"spcore {missing[0]} is not a registered command yet"
    for match in _REQUIRES_TOOL.finditer(markdown):
        if shutil.which(match["tool"]) is None:
            return f"{match['tool']} is not installed"
    if (
        _NETWORK.search(markdown)
        and os.environ.get("CI")
        and not os.environ.get("SPCORE_TEST_NETWORK")
    ):
        return "the page downloads packages; set SPCORE_TEST_NETWORK=1 to run it in CI"
    return None


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # `spcore` and `python` resolve to the interpreter running the tests.
    env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", "")))
    env["NO_COLOR"] = "1"
    return env


def run_page(page: Path, workdir: Path) -> None:
    """Run every block of ``page`` in ``workdir``; fail with the command's output."""
    markdown = page.read_text(encoding="utf-8")
    reason = skip_reason(markdown)
    if reason:
        pytest.skip(reason)
    shutil.copytree(REPO / "examples", workdir / "examples")
    namespace: dict[str, object] = {"__name__": "__howto__"}
    env = _environment()
    for block in blocks(markdown):
        if block.title:
            target = workdir / block.title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body, encoding="utf-8")
        elif block.lang == "console":
            for command, status in commands(block.body):
                done = subprocess.run(
                    command,
                    shell=True,
                    executable="/bin/bash",
                    cwd=workdir,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=False,
                )
                if block.prepares and done.returncode != 0:
                    pytest.skip(f"{page.name}: `{command}` failed here: {done.stderr[-300:]}")
                # A crash also exits 1: it must not pass for "findings reported".
                assert "Traceback (most recent call last)" not in done.stderr, (
                    f"{page.name}: `{command}` crashed\n{done.stderr[-3000:]}"
                )
                assert done.returncode == status, (
                    f"{page.name}: `{command}` exited {done.returncode}, expected {status}\n"
                    f"stdout:\n{done.stdout[-2000:]}\nstderr:\n{done.stderr[-2000:]}"
                )
        elif block.lang == "python":
            cwd = Path.cwd()
            os.chdir(workdir)
            try:
                exec(compile(block.body, f"{page.name}:python", "exec"), namespace)
            finally:
                os.chdir(cwd)


#: Pages whose blocks are executed: every how-to, and the pages with worked examples.
EXECUTED = [
    *sorted((REPO / "docs" / "howto").glob("*.md")),
    REPO / "docs" / "standard" / "quarters.md",
]


@pytest.mark.parametrize("page", EXECUTED, ids=lambda p: p.name)
def test_page_commands_run(page: Path, tmp_path: Path) -> None:
    run_page(page, tmp_path)


def test_every_howto_has_commands() -> None:
    for page in EXECUTED:
        if page.name == "index.md":
            continue
        found = blocks(page.read_text(encoding="utf-8"))
        assert any(b.lang in ("console", "python") for b in found), page.name


def test_commands_read_the_expected_exit_status() -> None:
    console = (
        "$ spcore validate a.json\na.json: valid\n$ spcore validate bad.json   # exit status 1\n"
    )
    assert commands(console) == [("spcore validate a.json", 0), ("spcore validate bad.json", 1)]


def test_blocks_read_titles_and_the_prepare_marker() -> None:
    page = (
        '```yaml title="rules/x.yaml"\nid: x\n```\n\n'
        "<!-- test: skip-if-fails -->\n```console\n$ npm install thing\n```\n"
    )
    found = blocks(page)
    assert [(b.lang, b.title, b.prepares) for b in found] == [
        ("yaml", "rules/x.yaml", False),
        ("console", None, True),
    ]
    assert found[0].body == "id: x\n"


def test_a_page_needing_an_unregistered_command_is_skipped() -> None:
    assert skip_reason("<!-- test: requires spcore validate -->") is None
    assert "not a registered command" in str(skip_reason("<!-- test: requires spcore nope -->"))
    assert skip_reason("<!-- test: requires-tool no-such-tool-here -->") == (
        "no-such-tool-here is not installed"
    )


def test_network_pages_are_skipped_in_ci_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("SPCORE_TEST_NETWORK", raising=False)
    assert "SPCORE_TEST_NETWORK" in str(skip_reason("<!-- test: network -->"))
    monkeypatch.setenv("SPCORE_TEST_NETWORK", "1")
    assert skip_reason("<!-- test: network -->") is None
