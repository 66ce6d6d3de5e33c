"""A one-line progress display on standard error, shown only to a person at a terminal.

When standard error is a file or a pipe (a script, a CI log) nothing is
written, so redirected output never fills with progress lines.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

#: Seconds between redraws; often enough to look alive, rare enough to cost nothing.
REDRAW_SECONDS = 0.25


class Progress:
    """Records read, and how far through the file, redrawn at most four times a second."""

    def __init__(self, total_bytes: int | None, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = total_bytes if total_bytes else None
        self._last = 0.0
        self._drawn = False

    @classmethod
    def for_terminal(cls, total_bytes: int | None, enabled: bool | None) -> Progress | None:
        """A progress display, or None when it should not be shown.

        ``enabled`` None means "only when standard error is a terminal".
        """
        if enabled is None:
            enabled = _isatty(sys.stderr)
        return cls(total_bytes) if enabled else None

    def update(self, records: int, done_bytes: int) -> None:
        """Redraw if enough time has passed since the last redraw."""
        now = time.monotonic()
        if now - self._last < REDRAW_SECONDS:
            return
        self._last = now
        self._draw(records, done_bytes)

    def _draw(self, records: int, done_bytes: int) -> None:
        if self.total:
            share = min(done_bytes / self.total, 1.0)
            filled = int(share * 30)
            bar = "#" * filled + "-" * (30 - filled)
            text = f"\r[{bar}] {share:6.1%}  {records:,} records"
        else:
            text = f"\r{records:,} records"
        self.stream.write(text)
        self.stream.flush()
        self._drawn = True

    def close(self, records: int, done_bytes: int) -> None:
        """Draw the final state and end the line."""
        self._draw(records, done_bytes)
        self.stream.write("\n")
        self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stand-in stream
        return False
