"""Making the next piece of work in a second process while the caller uses the last one.

The demo load is two halves of about equal cost: drawing the rows and converting them for
the driver in Python (31 s of CPU for 100 000 customers), and SQLite writing them (25 s).
Drawing the next chunk while the last one is written uses the machine's second core, and
the load takes about as long as the longer half: 38 s instead of 63 s (docs/PERFORMANCE.md).

The child is forked, so it starts with everything the caller had built (the generators,
the tables drawn from) and needs no app of its own; it never touches the database, whose
connection stays the caller's. What it sends back is pickled, so it sends what is cheap to
pickle: the driver's parameters, not the rows' Decimals and datetimes.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import TypeVar

Item = TypeVar("Item")
Made = TypeVar("Made")

#: What the child sends: (_MADE, what make() returned), then (_DONE, None) or (_FAILED, traceback).
_MADE, _DONE, _FAILED = "made", "done", "failed"


class AheadFailed(RuntimeError):
    """The second process failed; the message carries its traceback."""


def made_ahead(make: Callable[[Item], Made], items: Iterable[Item]) -> Iterator[Made]:
    """make(item) for each of `items`, in order, each made in a forked process while the
    caller works on the one before: at most one is made and waiting.

    `make` runs in the child with the state it had when the first item was asked for, and
    whatever it changes there stays there. Raises AheadFailed when it raises or the child
    ends without a word; a caller that stops early ends the child.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_make_all, args=(make, items, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            kind, value = _receive(receiver, child)
            if kind == _DONE:
                return
            if kind == _FAILED:
                raise AheadFailed(value)
            yield value
    finally:
        child.terminate()
        child.join()
        receiver.close()


def _make_all(make: Callable, items: Iterable, sender: Connection) -> None:
    # The pipe holds one message: send() waits until the caller takes the one before.
    try:
        for item in items:
            sender.send((_MADE, make(item)))
        sender.send((_DONE, None))
    except BaseException:
        sender.send((_FAILED, traceback.format_exc()))


def _receive(receiver: Connection, child: BaseProcess) -> tuple[str, object]:
    """The child's next message; raises AheadFailed when it ended without one (killed)."""
    wait([receiver, child.sentinel])
    try:
        return receiver.recv()
    except EOFError:
        child.join()
        raise AheadFailed(f"the second process ended (exit code {child.exitcode})") from None
