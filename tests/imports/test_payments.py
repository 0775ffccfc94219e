"""Payments from a bank statement (crm/imports/services/payments.py): each found its active
loan and posted through record_payment, as the staff's form posts it; a reference posted
once is never posted again."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import ImportKind, ImportOutcome, Installment, Loan, Payment
from tests import factories
from tests.imports.files import PAYMENT_HEADERS, csv_bytes
from tests.loans.conftest import APPLIED, start

PAYMENTS = ImportKind.PAYMENTS
POSTED, ALREADY_POSTED, REFUSED = (
    ImportOutcome.POSTED,
    ImportOutcome.ALREADY_POSTED,
    ImportOutcome.REFUSED,
)


@pytest.fixture
def loan(product, manager) -> Loan:
    """10 000 at 12 % for 12 months, annuity (888.49 a month), disbursed on 2025-01-15."""
    return start(factories.LoanFactory(product=product, created_at=APPLIED), manager)


def statement(*rows: list[str]) -> bytes:
    return csv_bytes(rows, headers=PAYMENT_HEADERS)


def payments() -> int:
    return db.session.scalar(select(func.count()).select_from(Payment))


def test_a_payment_is_posted_and_allocated_as_the_form_posts_it(run_file, loan, admin_user):
    _counts, [outcome] = run_file(
        PAYMENTS, statement(["15.02.2025", "888,49", "BANK-1", f"#{loan.id}", ""]), by=admin_user
    )

    assert (outcome.outcome, outcome.record_id, outcome.name) == (POSTED, loan.id, f"#{loan.id}")
    payment = db.session.scalar(select(Payment))
    assert (payment.amount, payment.paid_on.isoformat(), payment.reference) == (
        Decimal("888.49"),
        "2025-02-15",
        "BANK-1",
    )
    assert payment.recorded_by_id == admin_user.id
    first = db.session.scalar(select(Installment).where(Installment.number == 1))
    assert (first.interest_paid, first.principal_paid) == (Decimal("100.00"), Decimal("788.49"))


@pytest.mark.parametrize("amount", ["1 234,56", "1234.56", "1,234.56", "1234,56 грн"])
def test_amounts_are_read_as_statements_write_them(run_file, loan, amount):
    _counts, [outcome] = run_file(
        PAYMENTS, statement(["2025-02-15 10:31", amount, "B", str(loan.id), ""])
    )
    assert outcome.outcome is POSTED
    assert db.session.scalar(select(Payment.amount)) == Decimal("1234.56")


def test_a_customers_only_active_loan_is_found_by_the_tax_id(run_file, loan):
    factories.LoanFactory(customer=loan.customer, status=LoanStatus.FINISHED)
    _counts, [outcome] = run_file(
        PAYMENTS, statement(["2025-02-15", "100", "B", "", loan.customer.tax_id])
    )
    assert (outcome.outcome, outcome.record_id) == (POSTED, loan.id)


def test_running_the_same_statement_again_posts_nothing_twice(run_file, loan):
    content = statement(
        ["2025-02-15", "100", "B-1", f"#{loan.id}", ""],
        ["2025-02-16", "100", "B-2", f"#{loan.id}", ""],
        ["2025-02-16", "100", "B-2", f"#{loan.id}", ""],
    )

    counts, outcomes = run_file(PAYMENTS, content)
    again, outcomes_again = run_file(PAYMENTS, content)

    assert (counts[POSTED], counts[ALREADY_POSTED]) == (2, 1)
    assert outcomes[2].reason == "Row 3 of this file has the same reference for this loan."
    assert (again[POSTED], again[ALREADY_POSTED]) == (0, 3)
    assert outcomes_again[0].reason == "The loan has a payment with this reference already."
    assert payments() == 2


def refusal_cases(loan: Loan, other: Loan, twice: Loan, finished: Loan) -> list[tuple[list, str]]:
    tax_id = loan.customer.tax_id
    return [
        (["2025-02-15", "abc", "B", f"#{loan.id}", ""], "Amount: Not an amount"),
        (
            ["2025-02-15", "0", "B", f"#{loan.id}", ""],
            "Amount: The amount must be greater than zero.",
        ),
        (
            ["2025-02-15", "100000", "B", f"#{loan.id}", ""],
            "Amount: The payment of UAH\u00a0100,000.00 is more than",
        ),
        (["15/02/2025", "100", "B", f"#{loan.id}", ""], "Paid on: Not a date"),
        (
            ["2099-01-01", "100", "B", f"#{loan.id}", ""],
            "Paid on: The payment date cannot be in the future.",
        ),
        (["2025-02-15", "100", "", f"#{loan.id}", ""], "Reference: This field is required."),
        (["2025-02-15", "100", "B", "#99999", ""], "Loan: There is no loan #99999."),
        (["2025-02-15", "100", "B", "loan seven", ""], "Loan: Not a loan number"),
        (
            ["2025-02-15", "100", "B", "", ""],
            "Loan: Give the loan number or the customer's tax id.",
        ),
        (
            ["2025-02-15", "100", "B", f"#{finished.id}", ""],
            f"Payments are recorded only on active loans; loan #{finished.id} is finished.",
        ),
        (["2025-02-15", "100", "B", "", "1111111111"], "Tax id: No customer has this tax id."),
        (
            ["2025-02-15", "100", "B", "", finished.customer.tax_id],
            "Tax id: The customer with this tax id has no active loan.",
        ),
        (
            ["2025-02-15", "100", "B", "", twice.customer.tax_id],
            "Loan: The customer has 2 active loans: give the loan number.",
        ),
        (
            ["2025-02-15", "100", "B", f"#{other.id}", tax_id],
            f"Tax id: Loan #{other.id} is not a loan of the customer with this tax id.",
        ),
    ]


def test_each_refusal_says_why_and_never_stops_the_other_rows(run_file, loan, product, manager):
    other = start(factories.LoanFactory(product=product, created_at=APPLIED), manager)
    twice = start(factories.LoanFactory(product=product, created_at=APPLIED), manager)
    start(
        factories.LoanFactory(product=product, created_at=APPLIED, customer=twice.customer), manager
    )
    finished = factories.LoanFactory(status=LoanStatus.FINISHED)
    cases = refusal_cases(loan, other, twice, finished)
    good = ["2025-02-15", "100", "GOOD", f"#{loan.id}", ""]

    counts, outcomes = run_file(PAYMENTS, statement(good, *(row for row, _reason in cases)))

    assert outcomes[0].outcome is POSTED
    for outcome, (_row, reason) in zip(outcomes[1:], cases, strict=True):
        assert outcome.outcome is REFUSED
        assert outcome.reason.startswith(reason), (outcome.reason, reason)
    assert (counts[POSTED], counts[REFUSED]) == (1, len(cases))
    assert payments() == 1
