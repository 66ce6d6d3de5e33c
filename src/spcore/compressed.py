"""Opening a file that may be gzip-compressed, with every decompression failure an ``OSError``.

A damaged deflate stream makes :mod:`zlib` raise ``zlib.error``, a truncated
one ``EOFError``, a wrong header ``gzip.BadGzipFile``: here all three become
:class:`DecompressionError`, an ``OSError``, so a reader that already turns
an unreadable file into a finding handles a damaged archive the same way.
The stream is also bounded: it may unpack to at most
:data:`spcore.limits.GZIP_MAX_RATIO` times its compressed size (plus
:data:`spcore.limits.GZIP_RATIO_GRACE_BYTES`), so a decompression bomb is
refused after reading a bounded amount, not processed for hours.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import IO

from spcore import limits


class DecompressionError(OSError):
    """A compressed file that cannot be unpacked, or unpacks to more than spcore reads."""


class _BoundedGzip(io.RawIOBase):
    """The decompressed bytes of a gzip file, refusing damage and bombs as OSError."""

    def __init__(self, path: Path) -> None:
        self._raw = path.open("rb")
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        self._budget = size * limits.GZIP_MAX_RATIO + limits.GZIP_RATIO_GRACE_BYTES
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self._unpacked = 0
        self.name = str(path)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            count = self._gzip.readinto(buffer)
        except (zlib.error, EOFError, gzip.BadGzipFile) as exc:
            reason = "it ends part-way" if isinstance(exc, EOFError) else "it is damaged"
            raise DecompressionError(f"the compressed data cannot be unpacked ({reason})") from None
        self._unpacked += count
        if self._unpacked > self._budget:
            raise DecompressionError(
                f"it unpacks to more than {limits.GZIP_MAX_RATIO} times its compressed size "
                "(a decompression bomb, or not an extract)"
            )
        return count

    def close(self) -> None:
        try:
            self._gzip.close()
        finally:
            self._raw.close()
            super().close()


def open_maybe_compressed(path: str | Path) -> IO[bytes]:
    """Open ``path`` for reading bytes, unpacking it when its name ends ``.gz``.

    Raises ``OSError`` (:class:`DecompressionError` for a damaged or oversized
    stream, possibly only part-way through reading) and nothing else.
    """
    file = Path(path)
    if file.is_dir():
        raise IsADirectoryError(21, "it is a folder, not a file")
    if file.suffix.lower() != ".gz":
        return file.open("rb")
    return io.BufferedReader(_BoundedGzip(file), buffer_size=1 << 16)
