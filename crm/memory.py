"""The C allocator's side of a worker's memory. CPython hands every block over 512 bytes to
glibc's malloc: a page's HTML, the rows of a report, an export's buffers. Two of its habits
cost a threaded worker resident memory it no longer uses (docs/PERFORMANCE.md, worker memory):

- each new thread gets an arena of its own (up to eight a core), and memory freed in one
  arena serves only that arena's later requests;
- memory freed in the middle of an arena stays resident until malloc_trim is called.

Elsewhere than glibc (macOS, musl) both functions do nothing.
"""

import ctypes
import ctypes.util
from functools import cache

#: mallopt's parameter for the most arenas (glibc's malloc.h).
M_ARENA_MAX = -8


@cache
def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
    except OSError:
        return None
    if not (hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim")):
        return None
    return libc


def limit_arenas(count: int) -> bool:
    """Let the threads of this process (and of its forks) share at most `count` arenas;
    whether the allocator took it."""
    libc = _glibc()
    return bool(libc and libc.mallopt(M_ARENA_MAX, count))


def give_back_freed_memory() -> bool:
    """Return the arenas' free pages to the system; whether any went back."""
    libc = _glibc()
    return bool(libc and libc.malloc_trim(0))
