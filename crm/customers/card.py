"""Reading the customer card (/customers/<id>): the customer and everything the page shows
beside them, in six queries however much they have done:

1. the customer with their manager, login, open invitation and next task;
2. their loans with the products (the counts by status are counted from them);
3. their installments not fully paid or paid late: the summary strip's position and the
   timeline's arrears (crm.loans.queries.position.customer_schedule);
4. their newest contacts with the promises in force: the last contact, the open promise,
   the timeline's contacts and its promises' states (crm.contacts.queries.customer_contacts);
5. the timeline's loan events (crm.timeline.queries), unless it shows only contacts or
   arrears;
6. a page of the history (crm.audit.queries.customer_history).

The next task and the open invitation are subqueries of the customer's one row, found
through the tasks' and the links' customer index.

The card's own statements are built once, with bind parameters (functools.cache): building
a statement and working out its cache key cost SQLAlchemy more than running it on one
customer's rows, 0.3 to 0.8 ms a statement at 100 000 customers.

It is no module of queries (crm/customers/queries.py) because the loans' queries import
that one, and this reads the loans.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.orm import Session

from crm.audit.queries import HistoryPage, customer_history
from crm.contacts.queries import PromiseRow, customer_contacts
from crm.customers.queries import customer_detail_options
from crm.lending.promises import PromiseState
from crm.lending.status import LoanStatus
from crm.links.queries import LoginState, login_state, open_invitation
from crm.loans.queries.loans import customer_loans
from crm.loans.queries.position import CustomerPosition, customer_schedule, position_on
from crm.models import Customer, Interaction, Loan, OneTimeLink, Task
from crm.tasks.queries import next_task_id
from crm.timeline.queries import Group, TimelinePage, customer_timeline, entries_needed


@dataclass(frozen=True)
class CustomerSummary:
    """The card's summary strip: the loans' position and the collector's latest."""

    position: CustomerPosition
    last_contact: Interaction | None
    #: The latest promise to pay still open on the day.
    open_promise: PromiseRow | None
    #: The open task due first about the customer.
    next_task: Task | None


@dataclass(frozen=True)
class CustomerCard:
    """What the card shows (customers/detail.html)."""

    customer: Customer
    access: LoginState
    summary: CustomerSummary
    #: Active loans first (crm.loans.queries.loans.customer_loans), with their products.
    loans: list[Loan]
    #: How many loans are in each status, every status present (0 when none).
    status_counts: dict[LoanStatus, int]
    timeline: TimelinePage
    #: The state of the timeline's promises and what was paid towards each, by contact id.
    promise_states: dict[int, tuple[PromiseState, Decimal]]
    history: HistoryPage


@dataclass(frozen=True)
class CardPages:
    """Which part of the card's long lists to show: the timeline's groups (every group when
    empty) and page, the history's page, and the rows of a page."""

    groups: frozenset[Group]
    timeline_page: int
    history_page: int
    per_page: int


def customer_card(
    session: Session, customer_id: int, pages: CardPages, *, as_of: date, at: datetime
) -> CustomerCard | None:
    """The card of the customer on the lender's day `as_of` (invitations open at the moment
    `at`), or None when there is no such customer."""
    found = _customer(session, customer_id, at)
    if found is None:
        return None
    customer, invitation, next_task = found
    loans = customer_loans(session, customer_id)
    schedule = customer_schedule(session, customer_id, as_of)
    contacts = customer_contacts(session, customer_id, newest=_contacts_needed(pages), as_of=as_of)
    timeline = customer_timeline(
        session,
        customer_id,
        kinds=pages.groups,
        page=pages.timeline_page,
        per_page=pages.per_page,
        as_of=as_of,
        contacts=contacts.newest,
        schedule=schedule,
    )
    summary = CustomerSummary(
        position_on(schedule, as_of), contacts.last, contacts.open_promise, next_task
    )
    history = customer_history(
        session, customer_id, page=pages.history_page, per_page=pages.per_page
    )
    return CustomerCard(
        customer=customer,
        access=login_state(customer, invitation),
        summary=summary,
        loans=loans,
        status_counts=_counts_by_status(loans),
        timeline=timeline,
        promise_states=contacts.states,
        history=history,
    )


def _customer(session: Session, customer_id: int, at: datetime) -> Row | None:
    """The customer (with what customer_detail_options loads), their open invitation and
    their next task, in one row."""
    parameters = {"customer_id": customer_id, "at": at}
    return session.execute(_customer_statement(), parameters).one_or_none()


@cache
def _customer_statement() -> Select:
    """_customer's statement, built once; its parameters are customer_id and at."""
    customer_id = bindparam("customer_id")
    return (
        select(Customer, OneTimeLink, Task)
        .select_from(Customer)
        .outerjoin(
            OneTimeLink,
            OneTimeLink.id == open_invitation(customer_id, at=bindparam("at")),
        )
        .outerjoin(Task, Task.id == next_task_id(customer_id))
        .where(Customer.id == customer_id)
        .options(*customer_detail_options())
    )


def _contacts_needed(pages: CardPages) -> int:
    """The newest contacts the card reads: the timeline's, or the last one alone for the
    summary strip when the timeline shows no contacts."""
    if pages.groups and Group.CONTACTS not in pages.groups:
        return 1
    return entries_needed(pages.timeline_page, pages.per_page)


def _counts_by_status(loans: list[Loan]) -> dict[LoanStatus, int]:
    return dict.fromkeys(LoanStatus, 0) | Counter(loan.status for loan in loans)
