"""A customer whose loans went through every step the timeline shows, each at a known moment."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from crm.extensions import db
from crm.lending.delinquency import BUCKET_STARTS
from crm.loans.services import lifecycle, payments
from crm.models import ContactKind, ContactOutcome, Customer, Interaction, Loan, User
from tests import factories
from tests.loans.conftest import APPLIED, pay, start


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class Story:
    customer: Customer
    #: Started on 15 January 2025, paid on time once, then behind from 16 March.
    behind: Loan
    refused: Loan
    withdrawn: Loan
    #: Started on 1 March 2025 and repaid at once on 10 March.
    repaid: Loan
    promise: Interaction
    note: Interaction
    #: When each step was taken (the trail's moments), by the name of the entry's kind.
    moments: dict[str, datetime]


#: The second installment of the loan behind (due 15 March 2025) is never paid: it entered
#: each bucket on these days, until it was written off on 20 May (before reaching 90+).
SECOND_DUE = date(2025, 3, 15)
BUCKET_DAYS = [SECOND_DUE + timedelta(days=start) for start in BUCKET_STARTS]
WRITTEN_OFF = date(2025, 5, 20)


def contact(customer, author, when, **fields) -> Interaction:
    record = Interaction(customer=customer, author=author, created_at=when, **fields)
    db.session.add(record)
    db.session.commit()
    return record


def take(clock, when: datetime, step, *args, **kwargs):
    clock.now = when
    result = step(db.session, *args, **kwargs)
    db.session.commit()
    return result


def tell_story(clock, product, manager: User, admin: User, customer: Customer) -> Story:
    moments: dict[str, datetime] = {}
    behind = _fall_behind(clock, product, manager, admin, customer, moments)
    refused, withdrawn = _decide(clock, product, manager, customer, moments)
    repaid = _repay(clock, product, manager, customer, moments)
    promise = contact(
        customer,
        manager,
        at(date(2025, 3, 20), 11),
        loan=behind,
        kind=ContactKind.CALL,
        outcome=ContactOutcome.PROMISED_TO_PAY,
        promise_amount=Decimal("500.00"),
        promise_made_on=date(2025, 3, 20),
        promise_due_on=date(2025, 3, 27),
        text="Will pay after payday.",
    )
    note = contact(
        customer,
        manager,
        at(date(2025, 4, 1)),
        kind=ContactKind.NOTE,
        outcome=ContactOutcome.REACHED,
    )
    moments["written_off"] = at(WRITTEN_OFF, 15)
    take(clock, moments["written_off"], lifecycle.write_off_loan, behind, reason="Fraud", by=admin)
    clock.now = datetime.now(UTC).replace(microsecond=0)
    return Story(customer, behind, refused, withdrawn, repaid, promise, note, moments)


def _fall_behind(clock, product, manager, admin, customer, moments) -> Loan:
    """Applied, started, paid once on time, paid once by mistake (reversed), then nothing."""
    moments["applied"] = clock.now = at(date(2025, 1, 10))
    behind = factories.LoanFactory(customer=customer, product=product, created_at=clock.now)
    moments["started"] = at(date(2025, 1, 15), 10)
    disbursed = date(2025, 1, 15)
    take(
        clock, moments["started"], lifecycle.start_loan, behind, disbursed_on=disbursed, by=manager
    )
    moments["payment"] = clock.now = at(date(2025, 2, 14), 12)
    pay(behind, manager, "888.49", "ON-TIME", paid_on=date(2025, 2, 14))
    clock.now = at(date(2025, 3, 1))
    wrong = pay(behind, manager, "100.00", "MISTAKE", paid_on=date(2025, 3, 1)).payment
    moments["reversal"] = at(date(2025, 3, 5))
    take(clock, moments["reversal"], payments.reverse_payment, wrong, reason="Wrong loan", by=admin)
    return behind


def _decide(clock, product, manager, customer, moments) -> tuple[Loan, Loan]:
    """One application refused, one withdrawn."""
    clock.now = at(date(2025, 2, 1))
    refused = factories.LoanFactory(customer=customer, product=product, created_at=clock.now)
    moments["refused"] = at(date(2025, 2, 2))
    take(clock, moments["refused"], lifecycle.refuse_loan, refused, reason="Income", by=manager)
    clock.now = at(date(2025, 2, 3))
    withdrawn = factories.LoanFactory(customer=customer, product=product, created_at=clock.now)
    moments["withdrawn"] = at(date(2025, 2, 4))
    take(clock, moments["withdrawn"], lifecycle.withdraw_loan, withdrawn, by=manager)
    return refused, withdrawn


def _repay(clock, product, manager, customer, moments) -> Loan:
    """Started on 1 March and repaid whole on 10 March."""
    clock.now = at(date(2025, 3, 1), 8)
    repaid = factories.LoanFactory(customer=customer, product=product, created_at=clock.now)
    disbursed = date(2025, 3, 1)
    take(clock, at(disbursed, 9), lifecycle.start_loan, repaid, disbursed_on=disbursed, by=manager)
    moments["finished"] = clock.now = at(date(2025, 3, 10))
    pay(repaid, manager, "10661.86", "ALL", paid_on=date(2025, 3, 10))
    return repaid


def loans_with_payments(customer, product, manager, count: int) -> None:
    """`count` loans started in January 2025, each paid once, on time, then never again."""
    for number in range(count):
        loan = factories.LoanFactory(customer=customer, product=product, created_at=APPLIED)
        start(loan, manager, disbursed_on=date(2025, 1, 15))
        pay(loan, manager, "888.49", f"P-{number}", paid_on=date(2025, 2, 14))


@pytest.fixture
def story(app, clock, product, manager, admin_user) -> Story:
    return tell_story(clock, product, manager, admin_user, factories.CustomerFactory())
