"""Opening a spreadsheet or CSV file within the size limit; a file that fails is a finding."""

from __future__ import annotations

from pathlib import Path

from spcore.findings import Finding, error


class UnreadableFileError(Exception):
    """A file that cannot be read at all; carries the finding that says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def fail(code: str, message: str) -> UnreadableFileError:
    """An :class:`UnreadableFileError` for a whole-file finding ``code``."""
    return UnreadableFileError(error(code, "", message))


def read_bytes(path: Path, max_bytes: int, count: int | None = None) -> bytes:
    """The first ``count`` bytes of ``path`` (all when None), refusing folders and big files."""
    try:
        if path.is_dir():
            raise fail("SPC-F001", f"'{path}' is a folder, not a file.")
        size = path.stat().st_size
        if size > max_bytes:
            raise fail(
                "SPC-F002",
                f"The file is {size:,} bytes; spcore reads files up to {max_bytes:,} bytes.",
            )
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1 if count is None else count)
    except OSError as exc:
        raise fail("SPC-F001", f"'{path}' cannot be read: {exc.strerror or exc}.") from None
