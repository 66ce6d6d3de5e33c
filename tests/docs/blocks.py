"""The fenced blocks of a Markdown page, and the commands in them.

Shared by the page tests (``test_howtos.py``) and the walk of the README in a
fresh virtual environment (``.ci/readme-walk``), which runs this file as a
script to turn README.md into a shell script: standard library only, since
it runs before anything is installed. The block conventions are described in
``test_howtos.py``.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
import sys
from pathlib import Path

_BLOCK = re.compile(
    r"(?:<!--\s*test:\s*(?P<directive>skip-if-fails|network|server)\s*-->\s*\n)?"
    r"^```(?P<lang>[\w-]*)(?P<attrs>[^\n]*)\n(?P<body>.*?)^```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')
_EXIT = re.compile(r"\s+#\s*exit status (?P<status>\d+)\s*$")


@dataclasses.dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    lang: str
    title: str | None
    body: str
    prepares: bool
    skipped: str | None = None
    """Why the page test does not run this block (``network``, ``server``), or None."""


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
                prepares=match["directive"] == "skip-if-fails",
                skipped=match["directive"] if match["directive"] in ("network", "server") else None,
            )
        )
    return out


SHELLS = ("console", "sh", "bash", "shell")


def _with_status(command: str) -> tuple[str, int]:
    match = _EXIT.search(command)
    if match:
        return command[: match.start()], int(match["status"])
    return command, 0


def commands(console: str, lang: str = "console") -> list[tuple[str, int]]:
    """The commands of a shell block with the exit status each must give."""
    if lang == "console":
        return [_with_status(line[2:]) for line in console.splitlines() if line.startswith("$ ")]
    out = []
    pending = ""
    for line in console.splitlines():
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        line = pending + line
        pending = ""
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(_with_status(line))
    return out


#: Marks the end of a Python block fed to ``python`` in the walk script.
_PYTHON_END = "SPCORE_PYTHON_BLOCK_END"


def walk_script(markdown: str, name: str) -> str:
    """A bash script running every block of ``markdown`` in order, checking exit statuses.

    Blocks marked ``network`` run (the walk installs packages); ``server``
    blocks do not. Python blocks run one at a time with ``python``, so each
    must import what it uses.
    """
    lines = ["#!/usr/bin/env bash", "set -uo pipefail", "export NO_COLOR=1"]
    for block in blocks(markdown):
        if block.skipped == "server":
            continue
        if block.title:
            lines.append(f'mkdir -p "$(dirname {shlex.quote(block.title)})"')
            lines.append(f"cat > {shlex.quote(block.title)} <<'{_PYTHON_END}'")
            lines += [block.body.rstrip("\n"), _PYTHON_END]
        elif block.lang in SHELLS:
            for command, status in commands(block.body, block.lang):
                said = shlex.quote(f"{name}: `{command.strip()}`")
                lines.append(f"echo {said} >&2")
                lines.append(command)
                lines.append(
                    f'got=$?; if [ "$got" -ne {status} ]; then echo {said}" exited $got, '
                    f'expected {status}" >&2; exit 1; fi'
                )
        elif block.lang == "python":
            said = shlex.quote(f"{name}: a Python block failed")
            lines.append(f"python - <<'{_PYTHON_END}' || {{ echo {said} >&2; exit 1; }}")
            lines += [block.body.rstrip("\n"), _PYTHON_END]
    lines.append(f"echo {shlex.quote(name + ': every block ran as written')} >&2")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    page = Path(sys.argv[1])
    sys.stdout.write(walk_script(page.read_text(encoding="utf-8"), page.name))
