"""Reading the audit trail back: the history of one customer or one loan, newest first.

Each page is one query on the trail's (customer_id, id) or (loan_id, id) index, and never a
count: a customer with years of payments has thousands of events, and the trail as a whole
grows without end. A page asks for one event more than it shows, to know whether there is
an older page.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.orm import Session

from crm.models import AuditEvent


@dataclass(frozen=True)
class HistoryPage:
    """One page of a history: `events` newest first; page 1 is the newest."""

    events: list[AuditEvent]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def customer_history(
    session: Session, customer_id: int, *, page: int, per_page: int
) -> HistoryPage:
    """The events of the customer's records (the customer, their loans and what belongs to
    those, their login)."""
    return _history(session, CUSTOMER_HISTORY, customer_id, page, per_page)


def loan_history(session: Session, loan_id: int, *, page: int, per_page: int) -> HistoryPage:
    """The events of the loan, its schedule and its payments."""
    return _history(session, LOAN_HISTORY, loan_id, page, per_page)


def _history_of(belongs: ColumnElement[int]) -> Select:
    """A page of the events whose `belongs` column is the `owner` bind parameter, newest
    first; built once per owner's kind, as the card's and the loan page's statements are."""
    return (
        select(AuditEvent)
        .where(belongs == bindparam("owner"))
        .order_by(AuditEvent.id.desc())
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


CUSTOMER_HISTORY = _history_of(AuditEvent.customer_id)
LOAN_HISTORY = _history_of(AuditEvent.loan_id)


def _history(
    session: Session, statement: Select, owner: int, page: int, per_page: int
) -> HistoryPage:
    page = max(page, 1)
    found = {"owner": owner, "offset": (page - 1) * per_page, "limit": per_page + 1}
    events = list(session.scalars(statement, found))
    return HistoryPage(events[:per_page], page, has_next=len(events) > per_page)
