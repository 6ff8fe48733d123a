"""Freed array memory stays in the process, to be reused by the next step.

Why: a training step allocates the same big arrays every time (activations,
their gradients), and glibc's malloc by default gives big freed blocks back to
the operating system: arrays above its mmap threshold are unmapped when freed,
and a free heap top beyond its trim threshold is returned. The next step then
gets every page back from the kernel, one page fault and one page of zeroing per
4 KiB. On twenty elementwise ops over 4 MB float32 arrays (benchmark E1) that was
two thirds of the step, for hand-written numpy and for this engine alike, and it
grows with the memory a step keeps alive: here every intermediate Value keeps its
gradient after backward (the drawn graph shows them), so the engine paid for it
more than numpy did.

So, when ``autograd`` is imported on Linux with glibc, it raises both thresholds
(``mallopt``): arrays up to 32 MiB come from the heap, and up to 256 MiB of free
heap is kept. The cost is that the process's resident memory does not shrink
after a peak until :func:`release_freed_memory` is called (or the process ends).
Set the environment variable ``GRADIENTE_MALLOC=system`` before importing to keep
glibc's defaults.

>>> from autograd import memory
>>> memory.keep_freed_memory() in (True, False)      # False off glibc: nothing to do
True
"""

from __future__ import annotations

import ctypes
import os
import platform

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "keep_freed_memory", "release_freed_memory"]

MMAP_THRESHOLD = 32 * 2 ** 20    # glibc's largest allowed mmap threshold on 64-bit
TRIM_THRESHOLD = 256 * 2 ** 20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3     # glibc's malloc.h


def _libc():
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(None)          # the running program, which links glibc
    except OSError:
        return None


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory for reuse (see the module's text); True if done."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and \
        bool(libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def release_freed_memory() -> bool:
    """Give the free memory kept by the process back to the operating system now.

    >>> from autograd import memory
    >>> memory.release_freed_memory() in (True, False)
    True
    """
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


if os.environ.get("GRADIENTE_MALLOC", "").lower() != "system":
    keep_freed_memory()
