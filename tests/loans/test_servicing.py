"""The servicing functions on the database: lifecycle steps, payments, reversals."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from crm.extensions import db
from crm.lending.schedule import RepaymentMethod
from crm.lending.status import LoanStatus
from crm.loans.services import lifecycle, payments
from crm.models import Installment, Loan, Payment, PaymentAllocation
from crm.validation import FieldError
from tests import factories
from tests.loans.conftest import APPLIED, DISBURSED, NOT_ACTIVE, pay, snapshot, start

TODAY = date(2025, 6, 1)


def installments(loan: Loan) -> list[Installment]:
    return list(
        db.session.scalars(
            select(Installment).where(Installment.loan_id == loan.id).order_by(Installment.number)
        )
    )


# --- Start --------------------------------------------------------------------------------------


def test_start_writes_the_schedule_and_opens_the_position(pending, manager):
    start(pending, manager)
    loan = db.session.get(Loan, pending.id)
    rows = installments(loan)
    assert loan.status is LoanStatus.ACTIVE
    assert loan.disbursed_on == DISBURSED
    assert loan.decided_by_id == manager.id
    assert loan.decided_at is not None
    assert loan.principal_outstanding == Decimal("10000.00")
    assert loan.oldest_unpaid_due_on == date(2025, 2, 15)
    assert len(rows) == 12
    assert (rows[0].principal, rows[0].interest) == (Decimal("788.49"), Decimal("100.00"))
    assert (rows[-1].principal, rows[-1].interest) == (Decimal("879.67"), Decimal("8.80"))
    assert rows[-1].due_date == date(2026, 1, 15)
    assert sum(row.principal for row in rows) == Decimal("10000.00")
    assert sum(row.interest for row in rows) == Decimal("661.86")


def test_start_uses_the_products_method_and_the_loans_own_rate(manager):
    product = factories.ProductFactory(
        repayment_method=RepaymentMethod.DIFFERENTIATED, annual_rate=Decimal("30")
    )
    loan = factories.LoanFactory(product=product, annual_rate=Decimal("12"), created_at=APPLIED)
    start(loan, manager)
    rows = installments(loan)
    assert (rows[0].principal, rows[0].interest) == (Decimal("833.33"), Decimal("100.00"))
    assert (rows[-1].principal, rows[-1].interest) == (Decimal("833.37"), Decimal("8.33"))


@pytest.mark.parametrize(
    ("disbursed_on", "message"),
    [
        (TODAY + timedelta(days=1), "cannot be in the future"),
        (APPLIED.date() - timedelta(days=1), "before it was applied for"),
        (None, "This field is required."),
    ],
)
def test_start_needs_a_sensible_disbursement_date(pending, manager, disbursed_on, message):
    before = snapshot(pending.id)
    with pytest.raises(FieldError, match=message) as error:
        lifecycle.start_loan(
            db.session, pending, disbursed_on=disbursed_on, by=manager, today=TODAY
        )
    assert error.value.field == "disbursed_on"
    assert snapshot(pending.id) == before


def test_disbursement_on_the_day_of_application_or_today_is_fine(product, manager):
    same_day = factories.LoanFactory(product=product, created_at=APPLIED)
    lifecycle.start_loan(db.session, same_day, disbursed_on=APPLIED.date(), by=manager, today=TODAY)
    today = factories.LoanFactory(product=product, created_at=APPLIED)
    lifecycle.start_loan(db.session, today, disbursed_on=TODAY, by=manager, today=TODAY)
    assert same_day.status is today.status is LoanStatus.ACTIVE


# --- Forbidden steps ----------------------------------------------------------------------------

STEPS = {
    "start": lambda loan, by: lifecycle.start_loan(db.session, loan, disbursed_on=DISBURSED, by=by),
    "refuse": lambda loan, by: lifecycle.refuse_loan(db.session, loan, reason="No income", by=by),
    "withdraw": lambda loan, by: lifecycle.withdraw_loan(db.session, loan, by=by),
    "write_off": lambda loan, by: lifecycle.write_off_loan(db.session, loan, reason="Fraud", by=by),
}
ALLOWED = {
    LoanStatus.PENDING: {"start", "refuse", "withdraw"},
    LoanStatus.ACTIVE: {"write_off"},
}


@pytest.mark.parametrize("status", list(LoanStatus))
@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_only_from_its_status(product, manager, status, step):
    loan = factories.LoanFactory(product=product, status=status, created_at=APPLIED)
    before = snapshot(loan.id)
    if step in ALLOWED.get(status, set()):
        STEPS[step](loan, manager)
        db.session.commit()
        assert snapshot(loan.id) != before
        return
    with pytest.raises(FieldError, match=r"^Only an? ") as error:
        STEPS[step](loan, manager)
    assert error.value.field == "status"
    assert snapshot(loan.id) == before


def test_refusal_keeps_the_trimmed_reason_and_who_decided(pending, manager):
    lifecycle.refuse_loan(db.session, pending, reason="  Low income \n", by=manager)
    db.session.commit()
    assert (pending.status, pending.refusal_reason) == (LoanStatus.REFUSED, "Low income")
    assert pending.decided_by_id == manager.id


@pytest.mark.parametrize("step", ["refuse", "write_off"])
def test_refusal_and_write_off_need_a_reason(pending, manager, step):
    loan = pending if step == "refuse" else start(pending, manager)
    call = lifecycle.refuse_loan if step == "refuse" else lifecycle.write_off_loan
    before = snapshot(loan.id)
    with pytest.raises(FieldError, match="required") as error:
        call(db.session, loan, reason="   ", by=manager)
    assert error.value.field == "reason"
    assert snapshot(loan.id) == before


def test_write_off_keeps_what_is_owed(active, admin_user):
    lifecycle.write_off_loan(db.session, active, reason="Customer deceased", by=admin_user)
    db.session.commit()
    assert active.status is LoanStatus.WRITTEN_OFF
    assert active.write_off_reason == "Customer deceased"
    assert active.principal_outstanding == Decimal("10000.00")


def test_step_from_a_stale_page_is_refused(pending, manager):
    version = pending.version
    pending.amount = Decimal("12000")
    db.session.commit()
    with pytest.raises(StaleDataError):
        lifecycle.refuse_loan(db.session, pending, reason="x", by=manager, expected_version=version)
    db.session.rollback()
    assert db.session.get(Loan, pending.id).status is LoanStatus.PENDING
    lifecycle.refuse_loan(
        db.session, pending, reason="x", by=manager, expected_version=pending.version
    )


# --- Payments -----------------------------------------------------------------------------------


def test_payment_goes_to_the_oldest_interest_then_principal(active, manager):
    payment, created = pay(active, manager, "1000.00", "BANK-1")
    assert created
    rows = installments(active)
    assert (rows[0].interest_paid, rows[0].principal_paid) == (Decimal("100.00"), Decimal("788.49"))
    assert rows[0].paid_on == DISBURSED
    assert (rows[1].interest_paid, rows[1].principal_paid) == (Decimal("92.12"), Decimal("19.39"))
    assert rows[1].paid_on is None
    parts = db.session.scalars(
        select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id)
    ).all()
    assert sum(part.interest + part.principal for part in parts) == Decimal("1000.00")
    loan = db.session.get(Loan, active.id)
    assert loan.principal_outstanding == Decimal("10000.00") - Decimal("788.49") - Decimal("19.39")
    assert loan.oldest_unpaid_due_on == date(2025, 3, 15)
    assert payment.recorded_by_id == manager.id


def test_the_same_reference_records_once_and_returns_the_first(active, manager):
    first, created = pay(active, manager, "500.00", "BANK-7")
    assert created
    again, created = pay(active, manager, "500.00", " BANK-7 ")
    assert not created
    assert again.id == first.id
    assert len(db.session.scalars(select(Payment)).all()) == 1
    assert installments(active)[0].interest_paid + installments(active)[0].principal_paid == (
        Decimal("500.00")
    )


def test_the_same_reference_on_another_loan_is_another_payment(active, product, manager):
    other = start(factories.LoanFactory(product=product, created_at=APPLIED), manager)
    pay(active, manager, "500.00", "BANK-7")
    _payment, created = pay(other, manager, "500.00", "BANK-7")
    assert created
    assert len(db.session.scalars(select(Payment)).all()) == 2


def test_paying_every_installment_finishes_the_loan(active, manager):
    rows = installments(active)
    for row in rows:
        pay(active, manager, str(row.payment), f"R{row.number}", paid_on=row.due_date)
    loan = db.session.get(Loan, active.id)
    assert loan.status is LoanStatus.FINISHED
    assert loan.principal_outstanding == Decimal("0.00")
    assert loan.oldest_unpaid_due_on is None
    assert all(row.paid_on == row.due_date for row in installments(loan))


def test_paying_the_whole_balance_at_once_finishes_the_loan(active, manager):
    pay(active, manager, "10661.86", "PAYOFF")
    assert db.session.get(Loan, active.id).status is LoanStatus.FINISHED


@pytest.mark.parametrize(
    ("amount", "paid_on", "reference", "field", "message"),
    [
        (
            "10661.87",
            DISBURSED,
            "R",
            "amount",
            "more than the UAH\u00a010,661.86 the loan still owes",
        ),
        ("0", DISBURSED, "R", "amount", "greater than zero"),
        ("-5", DISBURSED, "R", "amount", "greater than zero"),
        ("10.005", DISBURSED, "R", "amount", "2 decimal places"),
        (None, DISBURSED, "R", "amount", "required"),
        ("100", TODAY + timedelta(days=1), "R", "paid_on", "cannot be in the future"),
        ("100", DISBURSED - timedelta(days=1), "R", "paid_on", "before the loan was disbursed"),
        ("100", None, "R", "paid_on", "required"),
        ("100", DISBURSED, "  ", "reference", "required"),
        ("100", DISBURSED, "R" * 65, "reference", "at most 64"),
    ],
)
def test_bad_payments_are_refused_beside_their_field(
    active, manager, amount, paid_on, reference, field, message
):
    before = snapshot(active.id)
    with pytest.raises(FieldError, match=message) as error:
        payments.record_payment(
            db.session,
            active,
            amount=None if amount is None else Decimal(amount),
            paid_on=paid_on,
            reference=reference,
            by=manager,
            today=TODAY,
        )
    assert error.value.field == field
    assert snapshot(active.id) == before


@pytest.mark.parametrize("status", NOT_ACTIVE)
def test_only_an_active_loan_takes_payments(product, manager, status):
    loan = factories.LoanFactory(product=product, status=status, disbursed_on=DISBURSED)
    before = snapshot(loan.id)
    with pytest.raises(FieldError, match="only on active loans") as error:
        pay(loan, manager, "100.00", "R")
    assert error.value.field == "status"
    assert snapshot(loan.id) == before


def test_a_repeated_post_after_the_loan_finished_still_returns_the_payment(active, manager):
    payment, _created = pay(active, manager, "10661.86", "PAYOFF")
    again, created = pay(active, manager, "10661.86", "PAYOFF")
    assert (again.id, created) == (payment.id, False)


# --- Reversal -----------------------------------------------------------------------------------


def test_reversal_takes_back_exactly_what_the_payment_paid(active, manager, admin_user):
    pay(active, manager, "300.00", "FIRST")
    before = snapshot(active.id)
    payment, _created = pay(active, manager, "1234.56", "SECOND")
    payments.reverse_payment(db.session, payment, reason="Bounced", by=admin_user)
    db.session.commit()
    after = snapshot(active.id)
    assert after.installments == before.installments
    loan = db.session.get(Loan, active.id)
    assert loan.principal_outstanding == Decimal("10000.00") - Decimal("200.00")
    payment = db.session.get(Payment, payment.id)
    assert payment.is_reversed
    assert (payment.reversal_reason, payment.reversed_by_id) == ("Bounced", admin_user.id)
    assert len(payment.allocations) == 2, "a reversed payment keeps its allocations on record"


def test_reversal_reopens_a_finished_loan(active, manager, admin_user):
    payment, _created = pay(active, manager, "10661.86", "PAYOFF")
    assert db.session.get(Loan, active.id).status is LoanStatus.FINISHED
    payments.reverse_payment(db.session, payment, reason="Wrong loan", by=admin_user)
    db.session.commit()
    loan = db.session.get(Loan, active.id)
    assert loan.status is LoanStatus.ACTIVE
    assert loan.principal_outstanding == Decimal("10000.00")
    assert loan.oldest_unpaid_due_on == date(2025, 2, 15)
    assert all(row.paid_on is None for row in installments(loan))
    assert all(row.unpaid == row.payment for row in installments(loan))


def test_a_payment_is_reversed_once(active, manager, admin_user):
    payment, _created = pay(active, manager, "100.00", "R")
    payments.reverse_payment(db.session, payment, reason="Bounced", by=admin_user)
    db.session.commit()
    before = snapshot(active.id)
    with pytest.raises(FieldError, match="already reversed") as error:
        payments.reverse_payment(db.session, payment, reason="Again", by=admin_user)
    assert error.value.field == "status"
    assert snapshot(active.id) == before


def test_reversal_needs_a_reason(active, manager, admin_user):
    payment, _created = pay(active, manager, "100.00", "R")
    with pytest.raises(FieldError, match="required") as error:
        payments.reverse_payment(db.session, payment, reason="", by=admin_user)
    assert error.value.field == "reason"


def test_a_reversed_reference_cannot_stand_for_a_new_payment(active, manager, admin_user):
    payment, _created = pay(active, manager, "100.00", "R")
    payments.reverse_payment(db.session, payment, reason="Bounced", by=admin_user)
    db.session.commit()
    with pytest.raises(FieldError, match="was reversed") as error:
        pay(active, manager, "100.00", "R")
    assert error.value.field == "reference"


def test_payment_after_a_reversal_fills_the_gap_first(active, manager, admin_user):
    first, _created = pay(active, manager, "888.49", "ONE")
    pay(active, manager, "888.49", "TWO")
    payments.reverse_payment(db.session, first, reason="Bounced", by=admin_user)
    db.session.commit()
    assert db.session.get(Loan, active.id).oldest_unpaid_due_on == date(2025, 2, 15)
    pay(active, manager, "888.49", "THREE")
    rows = installments(active)
    assert [row.unpaid for row in rows[:2]] == [Decimal("0.00"), Decimal("0.00")]
    assert db.session.get(Loan, active.id).oldest_unpaid_due_on == date(2025, 4, 15)
