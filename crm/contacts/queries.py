"""Reading contacts and promises to pay back: the state of promises, the last contact of
customers, the promises still open or broken, and the contacts of a loan.

Each function is a fixed number of queries however many rows it reads, and takes lists of
ids, so that a page or the daily run asks once for all its rows. What a promise is owed is
summed in SQL, in whole cents; whether that keeps it is decided by crm.lending.promises,
the one home of the rule.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, aliased, joinedload

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


def promise_states(
    session: Session, interaction_ids: Collection[int], as_of: date
) -> dict[int, tuple[PromiseState, Decimal]]:
    """The state at the end of `as_of` of each promise among `interaction_ids` (contacts
    that are no promise are left out), with what was paid towards it; one query."""
    if not interaction_ids:
        return {}
    statement = _promises(as_of).where(Interaction.id.in_(interaction_ids))
    return {row.interaction_id: (row.state, row.paid) for row in _rows(session, statement, as_of)}


def open_promises(
    session: Session,
    as_of: date,
    *,
    customer_ids: Collection[int] | None = None,
    loan_ids: Collection[int] | None = None,
) -> dict[int, PromiseRow]:
    """The latest promise still open at the end of `as_of`, by loan id when `loan_ids` is
    given (of those loans), by customer id otherwise (of `customer_ids`, or of everyone);
    one query. Promises made after `as_of` are not yet known on it."""
    statement = _promises(as_of).where(
        Interaction.promise_due_on >= as_of, Interaction.promise_made_on <= as_of
    )
    if loan_ids is not None:
        statement = statement.where(Interaction.loan_id.in_(loan_ids))
    if customer_ids is not None:
        statement = statement.where(Interaction.customer_id.in_(customer_ids))
    by_loan = loan_ids is not None
    latest: dict[int, PromiseRow] = {}
    # Oldest first: a later promise of the same key replaces an earlier one.
    for row in _rows(session, statement.order_by(Interaction.created_at, Interaction.id), as_of):
        if row.state is PromiseState.OPEN:
            latest[row.loan_id if by_loan else row.customer_id] = row
    return latest


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


def last_contacts(session: Session, customer_ids: Collection[int]) -> dict[int, Interaction]:
    """The latest contact of each of the customers (who logged it loaded), by customer id;
    customers never contacted are left out. One query."""
    if not customer_ids:
        return {}
    newest_first = func.row_number().over(
        partition_by=Interaction.customer_id,
        order_by=(Interaction.created_at.desc(), Interaction.id.desc()),
    )
    ranked = (
        select(Interaction, newest_first.label("rank"))
        .where(Interaction.customer_id.in_(customer_ids))
        .subquery()
    )
    contact = aliased(Interaction, ranked)
    statement = select(contact).where(ranked.c.rank == 1).options(joinedload(contact.author))
    return {item.customer_id: item for item in session.scalars(statement)}


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


def counted_payments(promise: type[Interaction], as_of: date) -> ColumnElement[bool]:
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


def _rows(session: Session, statement: Select, as_of: date) -> list[PromiseRow]:
    rows = []
    for row in session.execute(statement):
        promise = Promise(row.promise_amount, row.promise_made_on, row.promise_due_on)
        paid = from_cents(row.paid_cents)
        rows.append(
            PromiseRow(
                interaction_id=row.id,
                customer_id=row.customer_id,
                loan_id=row.loan_id,
                author_id=row.author_id,
                amount=row.promise_amount,
                made_on=row.promise_made_on,
                due_on=row.promise_due_on,
                paid=paid,
                state=promise_state(promise, paid, as_of),
            )
        )
    return rows
