"""Keep freed memory for the next training step instead of handing it back to the kernel.

A training step allocates and frees the same activation and gradient buffers every time (seed000 at
batch 100: about 40 MB in blocks of 1–10 MB). With glibc's defaults, ``free`` gives the top of the heap
back to the kernel once more than a small, self-adjusting amount is free, and the next step touches
fresh pages again: 1,000–6,000 page faults a step here, and fp32 runs lost 3–15% (the loss varies
with what the process did before, which is what glibc's thresholds adjust to). Raising the thresholds
once, for the whole process, keeps those pages (``bench/malloc_bench.py``); the cost is that up to
``TRIM_THRESHOLD`` of freed memory per malloc arena stays with the process after a run.

``tune_malloc`` does nothing where the C library is not glibc (musl, macOS, Windows), or with
``CONVSCOPE_MALLOC=default`` in the environment (glibc's own behaviour, e.g. to compare).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "tune_malloc"]

# mallopt's parameter numbers (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Blocks from this size on get their own mapping (glibc's largest allowed value on 64-bit systems).
MMAP_THRESHOLD = 32 * 2**20
#: Free memory at the heap's top kept for reuse, up to this much.
TRIM_THRESHOLD = 128 * 2**20

_tuned: bool | None = None


def tune_malloc() -> bool:
    """Set glibc's mmap and trim thresholds once per process; True where they are in force."""
    global _tuned
    if _tuned is None:
        _tuned = _set_thresholds()
    return _tuned


def _set_thresholds() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("CONVSCOPE_MALLOC") == "default":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it (musl's mallopt does nothing)
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
