"""What can stop the worker processes that read an extract (see :mod:`spcore.cases.chunks`).

Kept apart from the reading itself so that the command line can name it
without loading the reading.
"""

from __future__ import annotations


class WorkerStoppedError(RuntimeError):
    """A worker process stopped before it finished: killed, often by the system for want of memory.

    Raised by the chunked reading in place of ``concurrent.futures``'
    ``BrokenProcessPool``; the results already given are whole and in order,
    but the reading did not finish.
    """
