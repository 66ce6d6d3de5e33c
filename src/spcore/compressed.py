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
from typing import IO, Any

from spcore import limits


class DecompressionError(OSError):
    """A compressed file that cannot be unpacked, or unpacks to more than spcore reads."""


class _Bounded(io.RawIOBase):
    """gzip's own decompressing reader, refusing damage and bombs as OSError."""

    def __init__(self, buffer: Any, budget: int) -> None:
        # Hold gzip's own buffer too: were it collected, it would close the reader.
        self._buffer = buffer
        self._raw = buffer.raw
        self._budget = budget
        self._unpacked = 0
        self._failed: DecompressionError | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._failed is not None:  # gzip's reader is unusable after a failure
            raise self._failed
        try:
            count = int(self._raw.readinto(buffer))
        except (zlib.error, EOFError, gzip.BadGzipFile) as exc:
            reason = "it ends part-way" if isinstance(exc, EOFError) else "it is damaged"
            self._failed = DecompressionError(f"the compressed data cannot be unpacked ({reason})")
            raise self._failed from None
        self._unpacked += count
        if self._unpacked > self._budget:
            self._failed = DecompressionError(
                f"it unpacks to more than {limits.GZIP_MAX_RATIO} times its compressed size "
                "(a decompression bomb, or not an extract)"
            )
            raise self._failed
        return count

    def close(self) -> None:
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
    size = file.stat().st_size
    stream = gzip.GzipFile(filename=str(file), mode="rb")
    # gzip's decompressing reader behind the same buffer gzip uses, so exactly the
    # same bytes are read before a failure; only the failure is turned into OSError.
    buffer = stream._buffer  # type: ignore[attr-defined]
    budget = size * limits.GZIP_MAX_RATIO + limits.GZIP_RATIO_GRACE_BYTES
    stream._buffer = io.BufferedReader(  # type: ignore[attr-defined]
        _Bounded(buffer, budget),
        buffer_size=getattr(gzip, "READ_BUFFER_SIZE", io.DEFAULT_BUFFER_SIZE),
    )
    return stream  # type: ignore[return-value]
