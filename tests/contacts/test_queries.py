"""The promise and contact queries (crm/contacts/queries.py): they agree with the pure rule
of crm.lending.promises, and read a fixed number of queries whatever the number of rows."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.contacts import queries
from crm.extensions import db
from crm.lending.promises import Promise, PromiseState, paid_towards, promise_state
from crm.loans.services.payments import reverse_payment
from crm.models import Interaction, Payment
from crm.models.interaction import ContactKind, ContactOutcome
from tests import factories
from tests.contacts.conftest import promise
from tests.loans.conftest import pay

MADE, DUE = date(2025, 3, 1), date(2025, 3, 10)


def pure_state(contact: Interaction, as_of: date) -> tuple[PromiseState, Decimal]:
    """The state the pure rule gives, from every payment of the loan known on `as_of`."""
    payments = db.session.scalars(select(Payment).where(Payment.loan_id == contact.loan_id))
    known = [(p.paid_on, p.amount) for p in payments if not p.is_reversed and p.paid_on <= as_of]
    rule = Promise(contact.promise_amount, contact.promise_made_on, contact.promise_due_on)
    paid = paid_towards(rule, known)
    return promise_state(rule, paid, as_of), paid


#: (payments as (day, amount)), then what the promise of 500.00 made on MADE, due on DUE,
#: is on each day asked about.
SCENARIOS = {
    "nothing paid": ([], {date(2025, 3, 5): "open", DUE: "open", date(2025, 3, 11): "broken"}),
    "paid in parts": (
        [(date(2025, 3, 2), "200.00"), (date(2025, 3, 9), "300.00")],
        {date(2025, 3, 1): "open", date(2025, 3, 8): "open", DUE: "kept", date(2025, 4, 1): "kept"},
    ),
    "part paid, then the date passed": (
        [(date(2025, 3, 2), "499.99")],
        {date(2025, 3, 5): "open", date(2025, 3, 11): "broken"},
    ),
    "paid before the promise": (
        [(date(2025, 2, 28), "500.00")],
        {date(2025, 3, 5): "open", date(2025, 3, 11): "broken"},
    ),
    "paid after its date": (
        [(date(2025, 3, 11), "500.00")],
        {DUE: "open", date(2025, 3, 12): "broken"},
    ),
    "paid on the day it was made and on its date": (
        [(MADE, "250.00"), (DUE, "250.00")],
        {date(2025, 3, 9): "open", DUE: "kept"},
    ),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_sql_states_agree_with_the_pure_rule(active, manager, name):
    payments, expected = SCENARIOS[name]
    for number, (paid_on, amount) in enumerate(payments):
        pay(active, manager, amount, f"BANK-{number}", paid_on)
    contact = promise(active, "500.00", MADE, DUE)
    for as_of, state in expected.items():
        got = queries.promise_states(db.session, [contact.id], as_of)[contact.id]
        assert got == pure_state(contact, as_of), as_of
        assert got[0].value == state, as_of
        card = queries.customer_contacts(db.session, active.customer_id, newest=1, as_of=as_of)
        assert card.states[contact.id] == got, as_of


def test_a_reversal_breaks_a_kept_promise(active, manager, admin_user):
    posting = pay(active, manager, "500.00", "BANK-1", date(2025, 3, 5))
    contact = promise(active, "500.00", MADE, DUE)
    after = date(2025, 3, 20)
    assert queries.promise_states(db.session, [contact.id], after)[contact.id] == (
        PromiseState.KEPT,
        Decimal("500.00"),
    )
    reverse_payment(db.session, posting.payment, reason="Помилка каси", by=admin_user)
    db.session.commit()
    got = queries.promise_states(db.session, [contact.id], after)[contact.id]
    assert got == (PromiseState.BROKEN, Decimal("0.00")) == pure_state(contact, after)


def test_payments_of_another_loan_do_not_count(active, manager, customer, product):
    other = factories.LoanFactory(customer=customer, product=product)
    db.session.add(
        Payment(loan=other, paid_on=date(2025, 3, 5), amount=Decimal("500"), reference="X")
    )
    db.session.commit()
    contact = promise(active, "500.00", MADE, DUE)
    assert queries.promise_states(db.session, [contact.id], DUE)[contact.id][0] is PromiseState.OPEN


def test_contacts_that_are_no_promise_have_no_state(customer):
    note = Interaction(customer=customer, kind=ContactKind.NOTE, outcome=ContactOutcome.REACHED)
    db.session.add(note)
    db.session.commit()
    assert queries.promise_states(db.session, [note.id], DUE) == {}
    assert queries.promise_states(db.session, [], DUE) == {}


def test_the_open_promise_is_the_customers_latest_open_one(active, manager, customer):
    old = promise(active, "100.00", MADE, DUE, at=datetime(2025, 3, 1, 9, tzinfo=UTC))
    new = promise(active, "300.00", date(2025, 3, 3), DUE, at=datetime(2025, 3, 3, 9, tzinfo=UTC))
    kept = promise(active, "50.00", date(2025, 3, 4), DUE, at=datetime(2025, 3, 4, 9, tzinfo=UTC))
    pay(active, manager, "60.00", "BANK-1", date(2025, 3, 4))

    def open_on(as_of: date, newest: int = 1):
        return queries.customer_contacts(
            db.session, customer.id, newest=newest, as_of=as_of
        ).open_promise

    row = open_on(date(2025, 3, 5))
    assert (row.interaction_id, row.amount, row.paid, row.left, row.due_on) == (
        new.id,
        Decimal("300.00"),
        Decimal("60.00"),
        Decimal("240.00"),
        DUE,
    )
    # However few of the newest contacts are read, the open ones are.
    assert open_on(date(2025, 3, 5), newest=3) == row
    # Not yet made on the 2nd; past their date on the 11th.
    assert open_on(date(2025, 3, 2)).interaction_id == old.id
    assert open_on(date(2025, 3, 11)) is None
    states = queries.customer_contacts(
        db.session, customer.id, newest=1, as_of=date(2025, 3, 5)
    ).states
    assert states[kept.id] == (PromiseState.KEPT, Decimal("60.00"))


def test_broken_promises_are_those_past_their_date_unkept(active, manager):
    broken = promise(active, "500.00", MADE, DUE)
    promise(active, "100.00", MADE, DUE)  # kept by the payment below
    promise(active, "100.00", MADE, date(2025, 3, 20))  # still open on the 12th
    pay(active, manager, "100.00", "BANK-1", date(2025, 3, 2))
    rows = queries.broken_promises(db.session, date(2025, 3, 12))
    assert [(row.interaction_id, row.paid, row.state) for row in rows] == [
        (broken.id, Decimal("100.00"), PromiseState.BROKEN)
    ]
    assert queries.broken_promises(db.session, DUE) == []
    assert queries.broken_promises(db.session, date(2025, 3, 12), due_since=date(2025, 3, 11)) == []


def test_the_newest_contacts_are_the_customers_own_newest_first(customer, manager, active):
    other = factories.CustomerFactory()
    silent = factories.CustomerFactory()
    contacts = {}
    for who, minute in ((customer, 1), (customer, 3), (customer, 2), (other, 5)):
        contact = Interaction(
            customer=who,
            kind=ContactKind.CALL,
            outcome=ContactOutcome.NO_ANSWER,
            author=manager,
            created_at=datetime(2025, 3, 1, 9, minute, tzinfo=UTC),
        )
        db.session.add(contact)
        contacts[(who.id, minute)] = contact
    # An old promise still open on the day: read with the newest, not one of them.
    open_one = promise(active, "10.00", MADE, DUE, at=datetime(2025, 2, 1, tzinfo=UTC))
    db.session.commit()

    read = queries.customer_contacts(db.session, customer.id, newest=2, as_of=DUE)
    assert [contact.id for contact in read.newest] == [
        contacts[(customer.id, 3)].id,
        contacts[(customer.id, 2)].id,
    ]
    assert read.last.author.id == manager.id
    assert [row.interaction_id for row in read.promises] == [open_one.id]
    assert read.open_promise.interaction_id == open_one.id
    everything = queries.customer_contacts(db.session, customer.id, newest=10, as_of=DUE)
    assert len(everything.newest) == 4
    nothing = queries.customer_contacts(db.session, silent.id, newest=10, as_of=DUE)
    assert (nothing.newest, nothing.last, nothing.promises, nothing.open_promise) == (
        [],
        None,
        [],
        None,
    )


def test_loan_contacts_page_newest_first_with_promise_states(active, manager):
    start = datetime(2025, 3, 1, 9, tzinfo=UTC)
    made = [
        promise(active, "10.00", MADE, DUE, author=manager, at=start + timedelta(minutes=n))
        for n in range(5)
    ]
    first = queries.loan_contacts(db.session, active.id, page=1, per_page=2, as_of=DUE)
    assert [c.id for c in first.contacts] == [made[4].id, made[3].id]
    assert (first.has_prev, first.has_next) == (False, True)
    assert set(first.states) == {made[4].id, made[3].id}
    last = queries.loan_contacts(db.session, active.id, page=3, per_page=2, as_of=DUE)
    assert ([c.id for c in last.contacts], last.has_prev, last.has_next) == (
        [made[0].id],
        True,
        False,
    )


# --- Query counts -----------------------------------------------------------------------------


def world(size: int, manager) -> tuple[list[int], list[int], list[int]]:
    """`size` customers, each with a loan, a payment, a promise and a note: their ids."""
    customers, loans, contacts = [], [], []
    for number in range(size):
        loan = factories.LoanFactory()
        db.session.add(
            Payment(
                loan=loan, paid_on=date(2025, 3, 2), amount=Decimal("10"), reference=f"R{number}"
            )
        )
        note = Interaction(
            customer=loan.customer,
            kind=ContactKind.NOTE,
            outcome=ContactOutcome.REACHED,
            author=manager,
        )
        db.session.add(note)
        db.session.commit()
        contacts += [promise(loan, "100.00", MADE, DUE, author=manager).id, note.id]
        customers.append(loan.customer_id)
        loans.append(loan.id)
    return customers, loans, contacts


def counts(count_queries, customers, loans, contacts) -> list[int]:
    calls = [
        lambda: queries.promise_states(db.session, contacts, DUE),
        lambda: queries.broken_promises(db.session, date(2025, 3, 20)),
        lambda: (
            queries.customer_contacts(
                db.session, customers[0], newest=25, as_of=date(2025, 3, 5)
            ).newest
        ),
        lambda: queries.loan_contacts(db.session, loans[0], page=1, per_page=25, as_of=DUE),
    ]
    result = []
    for call in calls:
        db.session.expunge_all()
        with count_queries() as log:
            assert call()
        result.append(log.count)
    return result


def test_query_counts_do_not_grow_with_the_data(app, manager, count_queries):
    small = counts(count_queries, *world(2, manager))
    large = counts(count_queries, *world(8, manager))
    assert small == large == [1, 1, 1, 2]
