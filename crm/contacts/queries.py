"""Reading contacts and promises to pay back: the state of promises, a customer's newest
contacts with their promises in force on a day, the promises broken, and the contacts of a
loan.

Each function is a fixed number of queries however many rows it reads, and takes lists of
ids (or the one customer or loan a page shows), so that a page or the daily run asks once
for all its rows. What a promise is owed is summed in SQL, in whole cents; whether that
keeps it is decided by crm.lending.promises, the one home of the rule.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session, joinedload

from crm.lending.promises import Promise, PromiseState, promise_state
from crm.loans.queries.portfolio import cents, from_cents
from crm.models import Interaction, Payment
from crm.models.interaction import ContactOutcome


@dataclass(frozen=True)
class PromiseRow:
    """A promise to pay and what was paid towards it by the day asked about."""

    interaction_id: int
    customer_id: int
    loan_id: int
    author_id: int | None
    amount: Decimal
    made_on: date
    due_on: date
    paid: Decimal
    state: PromiseState

    @property
    def left(self) -> Decimal:
        """What is still to be paid to keep it (nothing once it is kept)."""
        return max(self.amount - self.paid, Decimal("0.00"))


@dataclass(frozen=True)
class ContactPage:
    """One page of contacts, newest first, with the state of the promises among them."""

    contacts: list[Interaction]
    states: dict[int, tuple[PromiseState, Decimal]]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1


@dataclass(frozen=True)
class CustomerContacts:
    """A customer's newest contacts, newest first, and the promises to pay among them or in
    force on `as_of` (made by then, their date not passed), newest first, with their state
    on that day."""

    newest: list[Interaction]
    promises: list[PromiseRow]
    as_of: date

    @property
    def last(self) -> Interaction | None:
        return self.newest[0] if self.newest else None

    @property
    def open_promise(self) -> PromiseRow | None:
        """The latest promise still open on `as_of`."""
        return next(
            (
                row
                for row in self.promises
                if row.state is PromiseState.OPEN and row.made_on <= self.as_of
            ),
            None,
        )

    @property
    def states(self) -> dict[int, tuple[PromiseState, Decimal]]:
        """The state of each promise and what was paid towards it, by contact id."""
        return {row.interaction_id: (row.state, row.paid) for row in self.promises}


def promise_states(
    session: Session, interaction_ids: Collection[int], as_of: date
) -> dict[int, tuple[PromiseState, Decimal]]:
    """The state at the end of `as_of` of each promise among `interaction_ids` (contacts
    that are no promise are left out), with what was paid towards it; one query."""
    if not interaction_ids:
        return {}
    statement = _promises(as_of).where(Interaction.id.in_(interaction_ids))
    return {row.interaction_id: (row.state, row.paid) for row in _rows(session, statement, as_of)}


def broken_promises(
    session: Session, as_of: date, *, due_since: date | None = None
) -> list[PromiseRow]:
    """The promises whose date passed before `as_of` without being kept, oldest date first
    (those due from `due_since` on, when given, so that a daily run need not read every
    promise ever broken); one query."""
    statement = _promises(as_of).where(Interaction.promise_due_on < as_of)
    if due_since is not None:
        statement = statement.where(Interaction.promise_due_on >= due_since)
    owed_cents = cents(Interaction.promise_amount)
    statement = statement.having(_paid_cents() < owed_cents).order_by(
        Interaction.promise_due_on, Interaction.id
    )
    return _rows(session, statement, as_of)


def customer_contacts(
    session: Session, customer_id: int, *, newest: int, as_of: date
) -> CustomerContacts:
    """The customer's `newest` latest contacts (who logged them loaded), and each promise
    among them or in force on `as_of` with what was paid towards it by then: one query on
    the customer's contacts, however many they have."""
    parameters = {"customer_id": customer_id, "newest": newest, "as_of": as_of}
    rows = session.execute(_customer_contacts(), parameters).all()
    return CustomerContacts(
        # Any other contact is a promise in force older than these.
        newest=[contact for contact, _paid in rows[:newest]],
        promises=[
            _promise_row(contact, paid, as_of) for contact, paid in rows if contact.is_promise
        ],
        as_of=as_of,
    )


def loan_contacts(
    session: Session, loan_id: int, *, page: int, per_page: int, as_of: date
) -> ContactPage:
    """One page of the loan's contacts, newest first, with who logged them, and the state of
    its promises on `as_of`: two queries, and no count (a page asks for one contact more
    than it shows, to know whether there is an older page)."""
    page = max(page, 1)
    statement = (
        select(Interaction)
        .where(Interaction.loan_id == loan_id)
        .options(joinedload(Interaction.author))
        .order_by(Interaction.created_at.desc(), Interaction.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    contacts = list(session.scalars(statement))
    shown = contacts[:per_page]
    promises = [contact.id for contact in shown if contact.is_promise]
    return ContactPage(
        shown, promise_states(session, promises, as_of), page, has_next=len(contacts) > per_page
    )


# --- Helpers ----------------------------------------------------------------------------------


def _paid_cents() -> ColumnElement[int]:
    return func.coalesce(func.sum(cents(Payment.amount)), 0)


def counted_payments(
    promise: type[Interaction], as_of: date | ColumnElement[date]
) -> ColumnElement[bool]:
    """The payments that count towards `promise` (Interaction or an alias of it) by the end
    of `as_of`: those of its loan not reversed, from the day it was made to its date (and not
    after `as_of`), as crm.lending.promises.paid_towards counts them."""
    return and_(
        Payment.loan_id == promise.loan_id,
        Payment.reversed_at.is_(None),
        Payment.paid_on >= promise.promise_made_on,
        Payment.paid_on <= promise.promise_due_on,
        Payment.paid_on <= as_of,
    )


@cache
def _customer_contacts() -> Select:
    """customer_contacts' statement, built once (see crm/customers/card.py); its parameters
    are customer_id, newest and as_of."""
    customer_id, as_of = bindparam("customer_id"), bindparam("as_of")
    latest_first = (Interaction.created_at.desc(), Interaction.id.desc())
    latest = (
        select(Interaction.id)
        .where(Interaction.customer_id == customer_id)
        .order_by(*latest_first)
        .limit(bindparam("newest"))
        # The outer query reads the same table: this one must read it on its own.
        .correlate(None)
    )
    in_force = and_(
        Interaction.outcome == ContactOutcome.PROMISED_TO_PAY,
        Interaction.promise_made_on <= as_of,
        Interaction.promise_due_on >= as_of,
    )
    return (
        select(Interaction, _paid_towards_cents(Interaction, as_of))
        .options(joinedload(Interaction.author))
        .where(Interaction.customer_id == customer_id, or_(Interaction.id.in_(latest), in_force))
        .order_by(*latest_first)
    )


def _promises(as_of: date) -> Select:
    """Each promise with what its loan was paid towards it by the end of `as_of`."""
    counted = counted_payments(Interaction, as_of)
    return (
        select(
            Interaction.id,
            Interaction.customer_id,
            Interaction.loan_id,
            Interaction.author_id,
            Interaction.promise_amount,
            Interaction.promise_made_on,
            Interaction.promise_due_on,
            _paid_cents().label("paid_cents"),
        )
        .outerjoin(Payment, counted)
        .where(Interaction.outcome == ContactOutcome.PROMISED_TO_PAY)
        .group_by(Interaction.id)
    )


def _paid_towards_cents(
    promise: type[Interaction], as_of: date | ColumnElement[date]
) -> ColumnElement[int]:
    """What was paid towards `promise` (Interaction or an alias of it) by the end of
    `as_of`, in whole cents: a subquery on the payments of its loan."""
    return select(_paid_cents()).where(counted_payments(promise, as_of)).scalar_subquery()


def _rows(session: Session, statement: Select, as_of: date) -> list[PromiseRow]:
    return [_promise_row(row, row.paid_cents, as_of) for row in session.execute(statement)]


def _promise_row(promise, cents_paid: int | None, as_of: date) -> PromiseRow:
    """`promise` (an Interaction, or a row with its columns and `id`) as a PromiseRow."""
    paid = from_cents(cents_paid)
    terms = Promise(promise.promise_amount, promise.promise_made_on, promise.promise_due_on)
    return PromiseRow(
        interaction_id=promise.id,
        customer_id=promise.customer_id,
        loan_id=promise.loan_id,
        author_id=promise.author_id,
        amount=promise.promise_amount,
        made_on=promise.promise_made_on,
        due_on=promise.promise_due_on,
        paid=paid,
        state=promise_state(terms, paid, as_of),
    )
