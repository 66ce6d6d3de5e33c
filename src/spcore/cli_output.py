"""Writing a command's output: the one way every spcore command writes a file.

Every command that writes takes ``-o FILE`` / ``--output FILE`` (``-`` for
standard output) and writes through :func:`open_output`, which

* refuses an output that is, or links to, one of the command's inputs or a
  key file, before anything is opened (so ``-o people.csv`` can never
  truncate ``people.csv``); ``inputs`` is a required argument, so every
  writer names what it reads (``inputs=()`` when it reads nothing);
* writes UTF-8 to a temporary file beside the target and renames it onto
  the target only when the command finished writing, so a failure part-way
  (bad input, a full disk, an interrupt) leaves any earlier file untouched
  and no half-written one;
* turns every failure into :class:`OutputError`, which the command line
  reports on one line with exit status 2.

Older spellings that named the output as a positional argument keep working
through :func:`chosen_output`, with a note on standard error.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

#: The output name meaning standard output.
STDOUT = "-"

PathLike = str | os.PathLike[str]


class OutputError(Exception):
    """An output that spcore refuses to write, or could not write; the message says why.

    Attributes:
        refused: True when the output was refused (it is an input or a key),
            False when writing it failed.
    """

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


def add_output_option(
    parser: argparse.ArgumentParser,
    *,
    metavar: str = "FILE",
    help: str = "file to write ('-' for standard output)",
    required: bool = False,
) -> None:
    """Add ``-o/--output`` to ``parser``, spelled the same in every command."""
    parser.add_argument("-o", "--output", metavar=metavar, help=help, required=required)


def chosen_output(args: argparse.Namespace, positional: str, *, command: str) -> str | None:
    """The output named by ``-o``, or by the older positional argument ``positional``.

    A positional output still works, with a note on standard error that it
    will go; naming the output both ways is refused.
    """
    option: str | None = getattr(args, "output", None)
    old: str | None = getattr(args, positional, None)
    if old is None:
        return option
    if option is not None:
        raise OutputError(
            f"the output is named twice ('{old}' and -o '{option}'); give it once, with -o"
        )
    print(
        f"spcore: note: naming the output without -o is deprecated; use "
        f"'spcore {command} ... -o {old}'",
        file=sys.stderr,
    )
    return old


def is_stdout(target: PathLike | None) -> bool:
    """True when ``target`` means standard output (nothing, or ``-``)."""
    return target is None or str(target) == STDOUT


def check_same(a: PathLike, b: PathLike) -> bool:
    """True when ``a`` and ``b`` name the same file (through links too)."""
    return _same(Path(a), Path(b))


def _same(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and a.samefile(b)
    except (OSError, RuntimeError):  # an unreadable path, or a symlink loop
        return False


def check_target(
    target: PathLike,
    *,
    inputs: Iterable[PathLike | None] = (),
    keys: Iterable[PathLike | None] = (),
) -> Path:
    """``target`` as a path, or :class:`OutputError` if it is (or links to) an input or key."""
    path = Path(target)
    for key in keys:
        if key is not None and str(key) != STDOUT and _same(path, Path(key)):
            raise OutputError(
                f"the output '{target}' is the key file '{key}'; choose another output",
                refused=True,
            )
    for source in inputs:
        if source is not None and str(source) != STDOUT and _same(path, Path(source)):
            raise OutputError(
                f"the output '{target}' is the input '{source}'; writing it would destroy the "
                "input, so choose another output",
                refused=True,
            )
    if path.is_dir():
        raise OutputError(f"the output '{target}' is a folder; name a file", refused=True)
    return path


def _cannot_write(target: PathLike, exc: OSError) -> OutputError:
    return OutputError(f"cannot write '{target}': {exc.strerror or exc}")


@contextlib.contextmanager
def replacing(
    target: PathLike,
    *,
    inputs: Iterable[PathLike | None],
    keys: Iterable[PathLike | None] = (),
    private: bool = False,
) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it when the block ends without error.

    For writers that need a path (a workbook library saving a file). The
    temporary file is removed whatever happens; the target changes only on
    success. ``private`` keeps the file readable by its owner only (for
    personal data); otherwise it gets the usual mode.
    """
    path = check_target(target, inputs=inputs, keys=keys)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; give the usual mode
        os.replace(temporary, path)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def open_output(
    target: PathLike | None,
    *,
    inputs: Iterable[PathLike | None],
    keys: Iterable[PathLike | None] = (),
    newline: str | None = "\n",
    compress: bool | None = None,
    private: bool = False,
) -> Iterator[TextIO]:
    """A text stream to ``target`` (standard output for ``None`` or ``-``), written atomically.

    ``compress`` None gzips when the name ends ``.gz`` (with no time stamp, so
    the same content gives the same bytes). See the module for the guarantees.
    """
    if is_stdout(target):
        yield sys.stdout
        return
    assert target is not None
    gz = compress if compress is not None else str(target).lower().endswith(".gz")
    with replacing(target, inputs=inputs, keys=keys, private=private) as temporary:
        try:
            raw = temporary.open("wb")
        except OSError as exc:
            raise _cannot_write(target, exc) from None
        binary: Any = raw
        if gz:
            binary = gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0)
        stream = io.TextIOWrapper(binary, encoding="utf-8", newline=newline)
        try:
            yield stream
            stream.close()
        except OSError as exc:
            raise _cannot_write(target, exc) from None
        finally:
            if not stream.closed:
                with contextlib.suppress(OSError, ValueError):
                    stream.close()
            raw.close()


def write_output(
    target: PathLike | None,
    text: str,
    *,
    inputs: Iterable[PathLike | None],
    keys: Iterable[PathLike | None] = (),
) -> None:
    """Write ``text`` to ``target`` (``None`` or ``-``: standard output) by :func:`open_output`."""
    with open_output(target, inputs=inputs, keys=keys) as stream:
        stream.write(text)


def write_with(
    target: PathLike,
    write: Callable[[Path], None],
    *,
    inputs: Iterable[PathLike | None],
    keys: Iterable[PathLike | None] = (),
) -> None:
    """Call ``write(temporary_path)`` and move the result onto ``target`` when it succeeds."""
    with replacing(target, inputs=inputs, keys=keys) as temporary:
        write(temporary)


# A cell a spreadsheet program would run as a formula starts with one of these
# (OWASP, "CSV Injection"); a plain number such as -3.5 is left alone.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A CSV cell made safe to open in a spreadsheet program.

    A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return would be run as a formula (``=HYPERLINK(...)``), so it gets a
    leading apostrophe, as OWASP advises for CSV injection; numbers are
    kept as they are.
    """
    if not cell or not cell.startswith(_FORMULA_STARTS):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell
