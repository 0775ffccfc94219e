"""Managers posting payments on one loan at the same moment: none is lost, none is doubled.

Each thread is a manager with a browser of their own: its own app context, so its own
session and database connection, posting the real form. Some references are posted by two
managers at once, as when a bank statement is keyed in twice.
"""

import re
import threading
from collections import Counter
from decimal import Decimal

from sqlalchemy import select

from crm.extensions import db
from crm.lending.installments import amount_due, position
from crm.lending.status import LoanStatus
from crm.models import Installment, Loan, Payment, PaymentAllocation, Role
from tests import factories
from tests.factories import PASSWORD
from tests.loans.conftest import APPLIED, DISBURSED, start
from tests.loans.test_lifecycle_routes import flashes

THREADS = 8
#: Every thread posts two references of its own and one it shares with another thread.
OWN_REFERENCES = 2
SHARED_REFERENCES = THREADS // 2
RECORDED = re.compile(r"^Payment of .* recorded \(reference (\S+)\)\.$")
ALREADY = re.compile(r"^The payment with reference (\S+) .* was already recorded;")


def amount_for(reference: str) -> Decimal:
    """Different, odd amounts, so that payments end part-way through installments."""
    return Decimal("997.13") + Decimal(sum(map(ord, reference)) % 400)


def test_payments_posted_at_once_are_each_recorded_exactly_once(app, product, manager):
    loan = start(
        factories.LoanFactory(
            product=product, created_at=APPLIED, amount=Decimal("100000"), term_months=36
        ),
        manager,
    )
    managers = [factories.UserFactory(role=Role.MANAGER) for _ in range(THREADS)]
    loan_id, emails = loan.id, [user.email for user in managers]
    work = {
        emails[n]: [f"T{n}-{k}" for k in range(OWN_REFERENCES)]
        + [f"SHARED-{n % SHARED_REFERENCES}"]
        for n in range(THREADS)
    }
    # The test's own session holds no transaction (and so no lock) while the threads run.
    db.session.rollback()

    said = post_all_at_once(app, loan_id, work)

    posted = [reference for references in work.values() for reference in references]
    unique = set(posted)
    assert len(posted) >= 20
    assert len(posted) - len(unique) == SHARED_REFERENCES
    # Every post was answered: recorded the first time, "already recorded" the second.
    assert len(said) == len(posted), said
    recorded = Counter(m.group(1) for m in map(RECORDED.match, said) if m)
    already = Counter(m.group(1) for m in map(ALREADY.match, said) if m)
    assert sum(recorded.values()) + sum(already.values()) == len(posted), said
    assert recorded == Counter(unique)
    assert already == Counter(f"SHARED-{n}" for n in range(SHARED_REFERENCES))
    db.session.rollback()
    assert_ledger_holds_each_once(loan_id, unique)


def post_all_at_once(app, loan_id: int, work: dict[str, list[str]]) -> list[str]:
    """Each manager (by e-mail) logs in, waits for the others, then posts their references;
    returns every message the pages flashed. A failure in any thread fails the test."""
    barrier = threading.Barrier(len(work))
    said: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def manager_at_work(email: str, references: list[str]) -> None:
        try:
            with app.app_context():
                client = app.test_client()
                response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
                assert response.status_code == 302
                barrier.wait(timeout=60)
                for reference in references:
                    response = client.post(
                        f"/loans/{loan_id}/payments",
                        data={
                            "amount": str(amount_for(reference)),
                            "paid_on": DISBURSED.isoformat(),
                            "reference": reference,
                        },
                        follow_redirects=True,
                    )
                    assert response.status_code == 200
                    with lock:
                        said.extend(flashes(response.get_data(as_text=True)))
        except BaseException as error:  # reported in the main thread
            with lock:
                failures.append(error)
            barrier.abort()

    threads = [threading.Thread(target=manager_at_work, args=item) for item in work.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    return said


def assert_ledger_holds_each_once(loan_id: int, references: set[str]) -> None:
    """The payments, allocations, installments and loan agree, to the cent."""
    payments = db.session.scalars(select(Payment).where(Payment.loan_id == loan_id)).all()
    assert Counter(payment.reference for payment in payments) == Counter(references)
    accepted = sum((amount_for(reference) for reference in references), Decimal(0))
    assert sum(payment.amount for payment in payments) == accepted
    allocations = db.session.scalars(
        select(PaymentAllocation).join(Payment).where(Payment.loan_id == loan_id)
    ).all()
    assert sum(part.interest + part.principal for part in allocations) == accepted
    for payment in payments:
        parts = [part for part in allocations if part.payment_id == payment.id]
        assert sum(part.interest + part.principal for part in parts) == payment.amount
    installments = db.session.scalars(
        select(Installment).where(Installment.loan_id == loan_id).order_by(Installment.number)
    ).all()
    for installment in installments:
        parts = [part for part in allocations if part.installment_id == installment.id]
        assert installment.interest_paid == sum((part.interest for part in parts), Decimal(0))
        assert installment.principal_paid == sum((part.principal for part in parts), Decimal(0))
    paid = sum(item.interest_paid + item.principal_paid for item in installments)
    assert paid == accepted
    # Oldest first: nothing is owed on an installment before the last one that got money.
    touched = [item.number for item in installments if item.interest_paid or item.principal_paid]
    assert all(amount_due(item) == 0 for item in installments if item.number < max(touched))
    loan = db.session.get(Loan, loan_id)
    assert loan.status is LoanStatus.ACTIVE
    assert loan.principal_outstanding == Decimal("100000.00") - sum(
        item.principal_paid for item in installments
    )
    assert loan.principal_outstanding == position(installments).principal_outstanding
    assert loan.oldest_unpaid_due_on == position(installments).oldest_unpaid_due_date
