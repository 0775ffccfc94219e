"""One page of a customer's timeline, newest first, merged from three sources: the contacts
(crm.models.Interaction), the loans' lifecycle steps and payments in the audit trail, and
the days their loans fell behind, derived from the installments
(crm.lending.delinquency.delinquency_events).

The card reads the contacts and the installments once for its summary strip and this
(crm/customers/card.py); the events are one query here, however many loans and events the
customer has. Page N needs at most N pages of each source (plus one row, to know whether
there is an older page), which are merged here and cut to the page.
"""

import enum
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from operator import attrgetter

from sqlalchemy import Row, Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from crm.clock import as_utc, lender_date, lender_day_start
from crm.lending.delinquency import Bucket, delinquency_events
from crm.lending.status import LoanStatus
from crm.models import AuditEvent, Interaction, Payment


class Group(enum.StrEnum):
    """The kinds of entry the timeline can be filtered by (?timeline=)."""

    CONTACTS = "contacts"
    #: Applications and what became of them: decisions, the end of the loan.
    LOANS = "loans"
    PAYMENTS = "payments"
    ARREARS = "arrears"


GROUP_VALUES = frozenset(group.value for group in Group)


class EntryKind(enum.StrEnum):
    CONTACT = "contact"
    APPLIED = "applied"
    STARTED = "started"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    FINISHED = "finished"
    WRITTEN_OFF = "written_off"
    PAYMENT = "payment"
    REVERSAL = "reversal"
    OVERDUE = "overdue"
    WORSE_BUCKET = "worse_bucket"


#: The loan's lifecycle steps as the trail names them (crm.audit.registry.LIFECYCLE_ACTIONS).
STEP_KINDS = {
    "create": EntryKind.APPLIED,
    "start": EntryKind.STARTED,
    "refuse": EntryKind.REFUSED,
    "withdraw": EntryKind.WITHDRAWN,
    "write_off": EntryKind.WRITTEN_OFF,
}
PAYMENT_KINDS = {"payment": EntryKind.PAYMENT, "reversal": EntryKind.REVERSAL}
#: A loan is finished by the payment that clears it, which is no step of its own: its
#: event is named after the payment, and says that the status became "finished".
STATUS_SET_TO = AuditEvent.changes[("status", 1)].as_string()
#: The trail's events of each group.
GROUP_EVENTS = {
    Group.LOANS: and_(
        AuditEvent.entity == "loan",
        or_(AuditEvent.action.in_(list(STEP_KINDS)), STATUS_SET_TO == LoanStatus.FINISHED),
    ),
    Group.PAYMENTS: and_(
        AuditEvent.entity == "payment", AuditEvent.action.in_(list(PAYMENT_KINDS))
    ),
}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline. `at` (aware UTC) orders it; an entry derived from the
    schedule has only a `day`, and stands at the start of it."""

    kind: EntryKind
    at: datetime
    loan_id: int | None
    day: date | None = None
    amount: Decimal | None = None
    bucket: Bucket | None = None
    contact: Interaction | None = None
    event: AuditEvent | None = None

    @property
    def group(self) -> Group:
        return KIND_GROUPS[self.kind]


KIND_GROUPS = {
    EntryKind.CONTACT: Group.CONTACTS,
    **dict.fromkeys(
        (
            EntryKind.APPLIED,
            EntryKind.STARTED,
            EntryKind.REFUSED,
            EntryKind.WITHDRAWN,
            EntryKind.FINISHED,
            EntryKind.WRITTEN_OFF,
        ),
        Group.LOANS,
    ),
    EntryKind.PAYMENT: Group.PAYMENTS,
    EntryKind.REVERSAL: Group.PAYMENTS,
    EntryKind.OVERDUE: Group.ARREARS,
    EntryKind.WORSE_BUCKET: Group.ARREARS,
}


@dataclass(frozen=True)
class TimelinePage:
    """One page of the timeline, newest first; page 1 is the newest."""

    entries: list[Entry]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def entries_needed(page: int, per_page: int) -> int:
    """How many of a source's newest entries page `page` (from 1) may show: those of every
    page up to it, and one more to know whether there is an older page."""
    return max(page, 1) * per_page + 1


def customer_timeline(
    session: Session,
    customer_id: int,
    *,
    kinds: Collection[Group] | None,
    page: int,
    per_page: int,
    as_of: date,
    contacts: Sequence[Interaction],
    schedule: Iterable[Row],
) -> TimelinePage:
    """Page `page` (from 1) of the customer's timeline up to the lender's day `as_of`,
    `per_page` entries newest first, of the groups in `kinds` (every group when empty).

    `contacts` are the customer's newest, newest first (entries_needed of them, or all);
    `schedule` their installments not paid on time (crm.loans.queries.position
    .customer_schedule). The loans' events are read here, in one query."""
    page = max(page, 1)
    groups = frozenset(kinds or Group)
    wanted = entries_needed(page, per_page)
    entries: list[Entry] = []
    if Group.CONTACTS in groups:
        entries += _contacts(contacts[:wanted])
    if groups & {Group.LOANS, Group.PAYMENTS}:
        entries += _loan_events(session, customer_id, groups, wanted)
    if Group.ARREARS in groups:
        entries += _arrears(schedule, as_of)
    entries.sort(key=attrgetter("at"), reverse=True)
    shown = entries[(page - 1) * per_page : page * per_page]
    return TimelinePage(shown, page, has_next=len(entries) > page * per_page)


def _contacts(contacts: Iterable[Interaction]) -> list[Entry]:
    return [
        Entry(
            EntryKind.CONTACT,
            as_utc(contact.created_at),
            contact.loan_id,
            amount=contact.promise_amount,
            day=contact.promise_due_on,
            contact=contact,
        )
        for contact in contacts
    ]


def _loan_events(
    session: Session, customer_id: int, groups: frozenset[Group], limit: int
) -> list[Entry]:
    """Lifecycle steps and payments from the trail, with each payment's amount and date."""
    wanted = frozenset(groups & GROUP_EVENTS.keys())
    parameters = {"customer_id": customer_id, "limit": limit}
    return [_loan_event(*row) for row in session.execute(_events(wanted), parameters)]


@cache
def _events(groups: frozenset[Group]) -> Select:
    """_loan_events' statement for these groups, built once (see crm/customers/card.py); its
    parameters are customer_id and limit."""
    return (
        select(AuditEvent, Payment.amount, Payment.paid_on)
        .outerjoin(
            Payment, and_(AuditEvent.entity == "payment", Payment.id == AuditEvent.entity_id)
        )
        .where(
            AuditEvent.customer_id == bindparam("customer_id"),
            or_(*(condition for group, condition in GROUP_EVENTS.items() if group in groups)),
        )
        .order_by(AuditEvent.id.desc())
        .limit(bindparam("limit"))
    )


def _loan_event(event: AuditEvent, amount: Decimal | None, paid_on: date | None) -> Entry:
    if event.entity == "payment":
        kind = PAYMENT_KINDS[event.action]
    else:
        kind = STEP_KINDS.get(event.action, EntryKind.FINISHED)
        amount = _applied_amount(event) if kind is EntryKind.APPLIED else None
    return Entry(kind, as_utc(event.at), event.loan_id, day=paid_on, amount=amount, event=event)


def _applied_amount(event: AuditEvent) -> Decimal | None:
    """The amount applied for, as the trail stored it (money as text)."""
    _before, after = (event.changes or {}).get("amount", (None, None))
    return None if after is None else Decimal(after)


def _arrears(schedule: Iterable[Row], as_of: date) -> list[Entry]:
    """The days the customer's loans became overdue or moved to a worse bucket, up to
    `as_of` or the day a loan was written off. Only installments that were ever late count:
    one paid on time never moves a loan's DPD (the schedule's rows leave them out)."""
    by_loan: dict[int, list] = {}
    ends: dict[int, date] = {}
    for row in schedule:
        by_loan.setdefault(row.loan_id, []).append(row)
        ends[row.loan_id] = (
            min(as_of, lender_date(as_utc(row.written_off_at))) if row.written_off_at else as_of
        )
    return [
        entry
        for loan_id, rows in by_loan.items()
        for entry in _changes(loan_id, rows, ends[loan_id])
    ]


def _changes(loan_id: int, installments: Iterable, as_of: date) -> list[Entry]:
    return [
        Entry(
            EntryKind.OVERDUE if change.became_overdue else EntryKind.WORSE_BUCKET,
            lender_day_start(change.on),
            loan_id,
            day=change.on,
            bucket=change.bucket,
        )
        for change in delinquency_events(installments, as_of)
    ]


def chosen_groups(values: Iterable[str]) -> frozenset[Group]:
    """The groups named by ?timeline= values; unknown ones are ignored (none: every group)."""
    return frozenset(Group(value) for value in values if value in GROUP_VALUES)
