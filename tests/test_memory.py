"""crm/memory.py, which the shipped gunicorn.conf.py calls: on glibc, a worker's threads share
the malloc arenas allowed, and memory freed in them goes back to the system. Each test runs in
a fresh interpreter, as the allocator's state is the process's own."""

import subprocess
import sys
from pathlib import Path

import pytest

from crm import memory

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    memory._glibc() is None, reason="the C library is not glibc (macOS, musl)"
)

#: Eight threads each keep 4 kB blocks (over CPython's 512-byte limit, so from malloc), then
#: glibc's own report counts the arenas (one <heap> each).
ARENAS = """
import ctypes, re, sys, tempfile, threading
from crm import memory
if sys.argv[1] == "limited":
    memory.limit_arenas(2)
kept, started = [], threading.Barrier(8)
def allocate():
    started.wait()
    kept.append([bytes(4096) for _ in range(100)])
threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
with tempfile.NamedTemporaryFile() as report:
    stream = libc.fopen(report.name.encode(), b"w")
    libc.malloc_info(0, ctypes.c_void_p(stream))
    libc.fclose(ctypes.c_void_p(stream))
    print(len(re.findall(r"<heap nr=", open(report.name).read())))
"""

#: 120 MB of 4 kB blocks, three quarters freed: resident until given back.
GIVE_BACK = """
from crm import memory
def resident_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))
blocks = [bytes(4000) for _ in range(30000)]
del blocks[: 3 * len(blocks) // 4]
before = resident_mb()
memory.give_back_freed_memory()
print(before - resident_mb())
"""


def run(script: str, *args: str) -> int:
    command = [sys.executable, "-c", script, *args]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_threads_share_at_most_the_arenas_allowed():
    assert run(ARENAS, "default") > 2
    assert run(ARENAS, "limited") <= 2


def test_freed_memory_goes_back_to_the_system():
    assert run(GIVE_BACK) >= 60
