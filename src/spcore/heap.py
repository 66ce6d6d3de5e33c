"""Keeping freed memory in a process that reads a large extract (where the C library is glibc).

By default glibc gives memory back to the system as soon as it is freed: a
block of many megabytes is mapped on its own and unmapped when freed, and
the top of the heap is trimmed. Reading an extract frees and allocates the
same few tens of megabytes for every chunk (its bytes, its lines, its
records, its columns), so each chunk faulted the same pages in again, zeroed
by the kernel: measured, a tenth of a worker's time, and 4.4 of the 41
CPU-seconds of ``spcore aggregate`` on a million records. Raising the two
thresholds keeps that memory for the next chunk; the peak stays the same
(see ``benchmarks/README.md``).

Memory kept this way stays with the arena it was freed to, and glibc gives
each new thread an arena of its own, so threads that take turns with large
arrays (a commissioner's returns worked out side by side,
:func:`spcore.aggregation.aggregate_each`) would each keep their own. Every
thread therefore shares the one arena: what one frees, the next reuses. On a
million records of four schemes that kept the command's peak at 474–475 MB
instead of 482–484 MB.

Worker processes always set it; the command line sets it in its own process
before it reads an extract. A program calling the library keeps its own
allocator's settings unless it calls :func:`keep_freed_memory` itself.
"""

from __future__ import annotations

from typing import Final

#: glibc's ``mallopt`` parameters (``malloc.h``).
M_TRIM_THRESHOLD: Final = -1
M_MMAP_THRESHOLD: Final = -3
M_ARENA_MAX: Final = -8

#: The values set: blocks up to 64 MiB come from the heap, up to 256 MiB of free
#: memory at its top is kept (glibc's defaults start at 128 KiB for both), and every
#: thread allocates from one arena (glibc's default: up to eight a processor).
SETTINGS: Final = ((M_MMAP_THRESHOLD, 64 << 20), (M_TRIM_THRESHOLD, 256 << 20), (M_ARENA_MAX, 1))


def keep_freed_memory() -> bool:
    """Let this process's allocator keep the memory it frees; True when it was set.

    Only where the C library is glibc (elsewhere nothing changes, and False
    is returned). The setting lasts for the life of the process.
    """
    # Imported here: the command line loads this module for every command that reads.
    import ctypes
    import platform

    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return all(mallopt(parameter, value) == 1 for parameter, value in SETTINGS)
