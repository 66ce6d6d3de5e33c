"""Every command in the README and the documentation runs, as a newcomer would run it.

Each page — README.md and every page under docs/ — is read as a sequence of
fenced blocks, run in order in a fresh scratch folder into which
``spcore examples copy .`` has put the bundled ``examples/`` (what a reader
outside a checkout is told to do):

* ```` ```console ```` — each line starting with ``$ `` is a shell command; a
  trailing ``# exit status N`` says the status it must end with (default 0);
  other lines are sample output and are not checked;
* ```` ```sh ```` (or ``bash``, ``shell``) — every line is a command (a line
  ending in a backslash continues on the next), with the same ``# exit status N``;
  blank lines and lines that are only a comment are skipped;
* ```` ```python ```` — executed, all blocks of a page in one namespace;
* any block with ``title="PATH"`` (``yaml``, ``json``, ``csv``...) — written
  to ``PATH`` first, as the reader is told to save it.

A command's synopsis (``spcore validate FILE... [--strict]``) is not a
command: pages write synopses in ```` ```text ```` blocks.

HTML comments steer the test without showing on the site:

* ``<!-- test: requires spcore COMMAND -->`` anywhere on the page: skip the
  page while ``spcore COMMAND`` is not a registered command;
* ``<!-- test: requires-tool NAME -->``: skip the page when ``NAME`` is not on PATH;
* ``<!-- test: network -->`` anywhere else on the page: the page downloads
  packages; skipped in CI (``CI`` set, as ``.ci/run`` does, which allows no
  network beyond pip) unless ``SPCORE_TEST_NETWORK=1``;
* ``<!-- test: network -->`` right before a block: that block installs spcore
  or other packages (``pip install -e .``), which needs the network and a
  checkout, not a scratch folder; it is skipped here and run by the walk of
  the README in a fresh virtual environment (``.ci/readme-walk``);
* ``<!-- test: server -->`` right before a block: it starts a server that
  runs until stopped (``mkdocs serve``); it is skipped;
* ``<!-- test: skip-if-fails -->`` right before a block: that block prepares
  the environment (for example installs a package from a registry); if it
  fails, the rest of the page is skipped, with the reason.

These are the only ways to skip a block.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.docs.blocks import SHELLS, blocks, commands, walk_script

REPO = Path(__file__).resolve().parents[2]

_REQUIRES = re.compile(r"<!--\s*test:\s*requires spcore (?P<command>[\w-]+)\s*-->")
_REQUIRES_TOOL = re.compile(r"<!--\s*test:\s*requires-tool (?P<tool>[\w.-]+)\s*-->")
_NETWORK = re.compile(r"<!--\s*test:\s*network\s*-->")


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
    env = _environment()
    subprocess.run(
        ["spcore", "examples", "copy", "."], cwd=workdir, env=env, check=True, capture_output=True
    )
    namespace: dict[str, object] = {"__name__": "__howto__"}
    for block in blocks(markdown):
        if block.skipped:
            continue
        if block.title:
            target = workdir / block.title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body, encoding="utf-8")
        elif block.lang in SHELLS:
            for command, status in commands(block.body, block.lang):
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


#: Pages whose blocks are executed: the README and every documentation page.
#: The hub's pages are not walked yet: they start PostgreSQL and the web server,
#: and their blocks still need marking (``server``); tests/hub covers the hub.
EXECUTED = [
    REPO / "README.md",
    *sorted(p for p in (REPO / "docs").rglob("*.md") if "hub" not in p.relative_to(REPO).parts),
]


@pytest.mark.parametrize("page", EXECUTED, ids=lambda p: str(p.relative_to(REPO)))
def test_page_commands_run(page: Path, tmp_path: Path) -> None:
    run_page(page, tmp_path)


def test_every_howto_has_commands() -> None:
    for page in (REPO / "docs" / "howto").glob("*.md"):
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


def test_sh_blocks_join_continued_lines_and_skip_comments() -> None:
    block = "# make one\nspcore a \\\n    --b c   # exit status 1\n\nspcore d\n"
    assert commands(block, "sh") == [("spcore a      --b c", 1), ("spcore d", 0)]


def test_only_network_and_server_blocks_are_skipped() -> None:
    page = (
        "<!-- test: network -->\n```sh\npip install -e .\n```\n"
        "<!-- test: server -->\n```sh\nmkdocs serve\n```\n```sh\nspcore --help\n```\n"
    )
    assert [b.skipped for b in blocks(page)] == ["network", "server", None]


def test_no_page_runs_a_synopsis() -> None:
    # A synopsis in a shell block would run as a command; pages put them in text blocks.
    synopsis = re.compile(r"\[[^\]]*\.\.\.\]|\[-|FILE|RETURN\.json|\bN\b --seed S")
    for page in EXECUTED:
        for block in blocks(page.read_text(encoding="utf-8")):
            if block.lang in SHELLS and not block.skipped:
                for command, _ in commands(block.body, block.lang):
                    assert not synopsis.search(command), f"{page.name}: {command}"


def test_the_readme_walk_script_is_valid_bash(tmp_path: Path) -> None:
    # `.ci/readme-walk` runs this script in a fresh virtual environment.
    script = walk_script((REPO / "README.md").read_text(encoding="utf-8"), "README.md")
    assert "pip install -e ." in script  # the install blocks run in the walk
    assert "mkdocs serve" not in script  # a server never stops
    path = tmp_path / "walk.sh"
    path.write_text(script, encoding="utf-8")
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_every_python_block_of_the_readme_imports_what_it_uses() -> None:
    # The walk runs each Python block in its own interpreter.
    for block in blocks((REPO / "README.md").read_text(encoding="utf-8")):
        if block.lang == "python" and "spcore." in block.body:
            assert "import spcore" in block.body, block.body[:80]
