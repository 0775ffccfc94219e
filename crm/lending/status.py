"""The loan lifecycle: which status may follow which.

    pending ─▶ refused | withdrawn | active;   active ─▶ finished | written_off

The one definition of the statuses: the loans table stores these values.
"""

import enum

from crm.lending.errors import LendingError


class LoanStatus(enum.StrEnum):
    PENDING = "pending"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    ACTIVE = "active"
    FINISHED = "finished"
    WRITTEN_OFF = "written_off"


#: Every status and the statuses it may move to; the ones with none are final.
TRANSITIONS: dict[LoanStatus, frozenset[LoanStatus]] = {
    LoanStatus.PENDING: frozenset({LoanStatus.REFUSED, LoanStatus.WITHDRAWN, LoanStatus.ACTIVE}),
    LoanStatus.REFUSED: frozenset(),
    LoanStatus.WITHDRAWN: frozenset(),
    LoanStatus.ACTIVE: frozenset({LoanStatus.FINISHED, LoanStatus.WRITTEN_OFF}),
    LoanStatus.FINISHED: frozenset(),
    LoanStatus.WRITTEN_OFF: frozenset(),
}


#: The statuses of a loan that was approved and disbursed: it has a schedule and payments.
STARTED_STATUSES = frozenset({LoanStatus.ACTIVE, LoanStatus.FINISHED, LoanStatus.WRITTEN_OFF})


class TransitionError(LendingError):
    """A status change the lifecycle does not allow."""

    def __init__(self, current: str, target: str) -> None:
        self.current = current
        self.target = target
        if current not in TRANSITIONS or target not in TRANSITIONS:
            unknown = target if current in TRANSITIONS else current
            message = f"Unknown loan status {str(unknown)!r}."
        elif not TRANSITIONS[current]:
            message = (
                f"A loan cannot go from {_label(current)} to {_label(target)}: "
                f"{_label(current)} is a final status."
            )
        else:
            *others, last = sorted(_label(status) for status in TRANSITIONS[current])
            allowed = f"{', '.join(others)} or {last}" if others else last
            message = (
                f"A loan cannot go from {_label(current)} to {_label(target)}; "
                f"from {_label(current)} it can only go to {allowed}."
            )
        super().__init__(message)


def can_transition(current: str, target: str) -> bool:
    """True when a loan in status `current` may move to `target`."""
    return target in TRANSITIONS.get(current, frozenset())


def transition(current: str, target: str) -> str:
    """Check a status change and return `target` (a LoanStatus stays a LoanStatus).

    Raises TransitionError, with a message fit to show a user, for any change not in
    TRANSITIONS, including an unknown status and a move to the same status.
    """
    if not can_transition(current, target):
        raise TransitionError(current, target)
    return target


def _label(status: str) -> str:
    return str(status).replace("_", " ")
