"""Payments and reversals through the loan page, and what the page shows of a started loan."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.clock import lender_today
from crm.extensions import db
from crm.lending.delinquency import bucket_for
from crm.lending.status import LoanStatus
from crm.loans.services.payments import reverse_payment
from crm.models import Installment, Loan, Payment
from tests import factories
from tests.loans.conftest import APPLIED, DISBURSED, NOT_ACTIVE, pay, snapshot, start
from tests.loans.test_lifecycle_routes import field_errors, flashes


def post_payment(client, loan, amount="1000.00", reference="BANK-1", paid_on=DISBURSED, **kw):
    data = {"amount": amount, "reference": reference, "paid_on": paid_on.isoformat(), **kw}
    return client.post(f"/loans/{loan.id}/payments", data=data)


def payments(loan) -> list[Payment]:
    return list(db.session.scalars(select(Payment).where(Payment.loan_id == loan.id)))


def test_manager_records_a_payment(staff_client, active, manager):
    response = post_payment(staff_client, active, amount="1,000.00")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/loans/{active.id}"
    [payment] = payments(active)
    assert (payment.amount, payment.reference, payment.paid_on) == (
        Decimal("1000.00"),
        "BANK-1",
        DISBURSED,
    )
    assert payment.recorded_by_id == manager.id
    html = staff_client.get(f"/loans/{active.id}").get_data(as_text=True)
    assert flashes(html) == [
        "Payment of UAH\u00a01,000.00 on Jan 15, 2025 recorded (reference BANK-1)."
    ]


def test_a_payment_of_1e309_is_refused_beside_the_amount(staff_client, active):
    before = snapshot(active.id)
    response = post_payment(staff_client, active, amount="1e309")
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True), "amount")
    assert errors == ["Type an amount such as 1,234.56."]
    assert snapshot(active.id) == before


@pytest.mark.parametrize("amount", ["1e2", "1E2", "1_000", "+100", "١٢٣", "１２３", "100\x00"])
def test_amounts_written_other_than_with_ascii_digits_are_refused(staff_client, active, amount):
    before = snapshot(active.id)
    response = post_payment(staff_client, active, amount=amount)
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "amount") == [
        "Type an amount such as 1,234.56."
    ]
    assert snapshot(active.id) == before


def test_a_huge_payment_is_too_large_not_an_overflow(staff_client, active):
    before = snapshot(active.id)
    response = post_payment(staff_client, active, amount="9" * 400 + ".001")
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "amount") == ["The amount is too large."]
    assert snapshot(active.id) == before


def test_posting_the_same_payment_twice_records_it_once(staff_client, active):
    post_payment(staff_client, active)
    staff_client.get(f"/loans/{active.id}")
    response = post_payment(staff_client, active)
    assert response.status_code == 302
    assert len(payments(active)) == 1
    html = staff_client.get(f"/loans/{active.id}").get_data(as_text=True)
    assert flashes(html) == [
        "The payment with reference BANK-1 (UAH\u00a01,000.00 on Jan 15, 2025) was already "
        "recorded; it was not recorded again."
    ]
    assert db.session.get(Loan, active.id).principal_outstanding == Decimal("9211.51") - Decimal(
        "19.39"
    )


def test_the_same_reference_on_another_loan_is_recorded(staff_client, active, product, manager):
    other = start(factories.LoanFactory(product=product, created_at=APPLIED), manager)
    post_payment(staff_client, active)
    post_payment(staff_client, other)
    assert len(payments(active)) == len(payments(other)) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"amount": "10661.87"},
            "amount",
            "is more than the UAH\u00a010,661.86 the loan still owes",
        ),
        ({"amount": "0"}, "amount", "The amount must be greater than zero."),
        ({"amount": "-10"}, "amount", "Type an amount such as"),
        ({"amount": "10.005"}, "amount", "The amount has at most 2 decimal places."),
        ({"amount": ""}, "amount", "This field is required."),
        ({"amount": "ten"}, "amount", "Type an amount such as"),
        ({"reference": "   "}, "reference", "This field is required."),
        ({"reference": "R" * 65}, "reference", "Too long: at most 64 characters (this has 65)."),
        ({"reference": "R\x1b[2J"}, "reference", "a character that cannot be stored"),
        ({"paid_on": "2099-01-01"}, "paid_on", "The payment date cannot be in the future."),
        ({"paid_on": "2025-01-14"}, "paid_on", "before the loan was disbursed (Jan 15, 2025)"),
        ({"paid_on": ""}, "paid_on", "This field is required."),
        ({"paid_on": "yesterday"}, "paid_on", "Not a valid date value."),
    ],
)
def test_bad_payments_are_refused_beside_their_field(staff_client, active, data, field, message):
    before = snapshot(active.id)
    form = {"amount": "100.00", "reference": "R1", "paid_on": DISBURSED.isoformat(), **data}
    response = staff_client.post(f"/loans/{active.id}/payments", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = field_errors(html, field)
    assert len(errors) == 1
    assert message in errors[0]
    assert snapshot(active.id) == before


@pytest.mark.parametrize("status", NOT_ACTIVE)
def test_payment_on_a_loan_that_is_not_active_is_refused(staff_client, product, status):
    loan = factories.LoanFactory(product=product, status=status, disbursed_on=DISBURSED)
    before = snapshot(loan.id)
    response = post_payment(staff_client, loan)
    assert response.status_code == 302
    assert snapshot(loan.id) == before
    [message] = flashes(staff_client.get(f"/loans/{loan.id}").get_data(as_text=True))
    assert message.startswith("Payments are recorded only on active loans")


def test_paying_every_installment_finishes_the_loan(staff_client, active):
    for row in db.session.scalars(select(Installment).where(Installment.loan_id == active.id)):
        response = post_payment(
            staff_client, active, str(row.payment), f"R{row.number}", row.due_date
        )
        assert response.status_code == 302
    loan = db.session.get(Loan, active.id)
    assert (loan.status, loan.principal_outstanding) == (LoanStatus.FINISHED, Decimal("0.00"))
    html = staff_client.get(f"/loans/{loan.id}").get_data(as_text=True)
    assert html.count('data-state="paid"') == 12
    assert 'action="/loans/' + str(loan.id) + '/payments"' not in html


def test_admin_reverses_a_payment_and_the_loan_is_active_again(admin_client, active, manager):
    payment, _created = pay(active, manager, "10661.86", "PAYOFF")
    assert db.session.get(Loan, active.id).status is LoanStatus.FINISHED
    html = admin_client.get(f"/loans/{active.id}").get_data(as_text=True)
    assert f'action="/loans/{active.id}/payments/{payment.id}/reverse"' in html
    response = admin_client.post(
        f"/loans/{active.id}/payments/{payment.id}/reverse", data={"reason": "Wrong loan"}
    )
    assert response.status_code == 302
    loan = db.session.get(Loan, active.id)
    assert (loan.status, loan.principal_outstanding) == (LoanStatus.ACTIVE, Decimal("10000.00"))
    html = admin_client.get(f"/loans/{active.id}").get_data(as_text=True)
    assert flashes(html) == ["The payment with reference PAYOFF is reversed."]
    assert 'data-reversed="yes"' in html
    assert "Wrong loan" in html


def test_reversal_needs_a_reason(admin_client, active, manager):
    payment, _created = pay(active, manager, "100.00", "R")
    before = snapshot(active.id)
    response = admin_client.post(
        f"/loans/{active.id}/payments/{payment.id}/reverse", data={"reason": ""}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="reverse-reason-{payment.id}"' in html
    assert "This field is required." in html
    assert snapshot(active.id) == before


def test_reversing_twice_changes_nothing_the_second_time(admin_client, active, manager):
    payment, _created = pay(active, manager, "100.00", "R")
    url = f"/loans/{active.id}/payments/{payment.id}/reverse"
    admin_client.post(url, data={"reason": "Bounced"})
    admin_client.get(f"/loans/{active.id}")
    before = snapshot(active.id)
    response = admin_client.post(url, data={"reason": "Again"}, follow_redirects=True)
    assert flashes(response.get_data(as_text=True))[0].startswith(
        "This payment was already reversed"
    )
    assert snapshot(active.id) == before


def test_manager_may_not_reverse(staff_client, active, manager):
    payment, _created = pay(active, manager, "100.00", "R")
    before = snapshot(active.id)
    url = f"/loans/{active.id}/payments/{payment.id}/reverse"
    assert staff_client.post(url, data={"reason": "x"}).status_code == 403
    assert snapshot(active.id) == before
    assert "/reverse" not in staff_client.get(f"/loans/{active.id}").get_data(as_text=True)


def test_a_payment_is_reversed_only_through_its_own_loan(admin_client, active, product, manager):
    other = start(factories.LoanFactory(product=product, created_at=APPLIED), manager)
    payment, _created = pay(active, manager, "100.00", "R")
    url = f"/loans/{other.id}/payments/{payment.id}/reverse"
    assert admin_client.post(url, data={"reason": "x"}).status_code == 404
    assert not db.session.get(Payment, payment.id).is_reversed


# --- The loan page ------------------------------------------------------------------------------


def row_states(html: str) -> list[str]:
    return re.findall(r'<tr data-number="\d+" data-state="(\w+)"', html)


def test_page_shows_each_rows_state_and_the_arrears_as_of_today(staff_client, product, manager):
    today = lender_today()
    # Disbursed 75 days ago: two installments have fallen due, the third has not.
    loan = factories.LoanFactory(product=product, created_at=APPLIED, term_months=6)
    disbursed = today - timedelta(days=75)
    start(loan, manager, disbursed_on=disbursed)
    rows = list(db.session.scalars(select(Installment).where(Installment.loan_id == loan.id)))
    pay(loan, manager, str(rows[0].payment + Decimal("10.00")), "R1", paid_on=disbursed)
    html = staff_client.get(f"/loans/{loan.id}").get_data(as_text=True)
    due = [row.due_date for row in rows]
    expected = ["paid", "overdue" if due[1] < today else "partly_paid"]
    expected += ["overdue" if d < today else "unpaid" for d in due[2:]]
    assert row_states(html) == expected
    dpd = (today - due[1]).days if due[1] < today else 0
    assert f'<span id="dpd">{dpd}</span>' in html
    assert f'data-bucket="{bucket_for(dpd).value}"' in html
    loan = db.session.get(Loan, loan.id)
    assert f'<span id="outstanding">UAH\u00a0{loan.principal_outstanding:,}</span>' in html
    # The next payment is the first installment due today or later, never an overdue one.
    upcoming = next(row for row in rows if row.due_date >= today)
    left = upcoming.payment - (Decimal("10.00") if upcoming is rows[1] else Decimal("0.00"))
    assert f'<span id="next-amount">UAH\u00a0{left:,}</span>' in html
    # What is past due is named as such, with the day it has been due since.
    assert ('id="overdue-amount"' in html) is (dpd > 0)


def test_page_shows_the_cost_of_a_started_loan(staff_client, active):
    html = staff_client.get(f"/loans/{active.id}").get_data(as_text=True)
    assert '<span id="total-interest">UAH\u00a0661.86</span>' in html
    assert '<span id="total-cost">UAH\u00a0661.86</span>' in html
    assert '<span id="total-payable">UAH\u00a010,661.86</span>' in html
    assert '<span id="aprc">12.68 %</span>' in html
    assert len(row_states(html)) == 12
    assert 'id="schedule-preview"' not in html


def test_every_installment_of_an_old_loan_is_overdue(staff_client, active):
    html = staff_client.get(f"/loans/{active.id}").get_data(as_text=True)
    dpd = (lender_today() - date(2025, 2, 15)).days
    assert row_states(html) == ["overdue"] * 12
    assert f'<span id="dpd">{dpd:,}</span>' in html
    assert 'data-bucket="90+"' in html
    assert f"{dpd:,} days past due" in html


def test_pending_loan_shows_a_preview_that_is_not_stored(staff_client, pending):
    html = staff_client.get(f"/loans/{pending.id}").get_data(as_text=True)
    assert 'id="schedule-preview"' in html
    assert html.count("<tr>") >= 12
    assert "UAH\u00a0888.49" in html
    assert '<span id="aprc">12.68 %</span>' in html
    assert '<span id="total-interest">UAH\u00a0661.86</span>' in html
    assert "Not stored" in html
    assert not db.session.scalars(select(Installment)).all()


def test_page_lists_payments_with_their_allocation(staff_client, active, manager):
    pay(active, manager, "1000.00", "BANK-1")
    html = staff_client.get(f"/loans/{active.id}").get_data(as_text=True)
    assert "Installment 1: interest UAH\u00a0100.00, principal UAH\u00a0788.49" in html
    assert "Installment 2: interest UAH\u00a092.12, principal UAH\u00a019.39" in html
    assert 'data-reversed="no"' in html


def test_refused_loan_has_no_schedule_and_no_actions(staff_client, product):
    loan = factories.LoanFactory(product=product, status=LoanStatus.REFUSED)
    html = staff_client.get(f"/loans/{loan.id}").get_data(as_text=True)
    assert 'id="schedule"' not in html
    assert 'id="schedule-preview"' not in html
    assert f'action="/loans/{loan.id}/' not in html


def test_loan_page_query_count_does_not_grow_with_installments_or_payments(
    staff_client, product, manager, admin_user, count_queries
):
    short = start(
        factories.LoanFactory(product=product, created_at=APPLIED, term_months=3), manager
    )
    pay(short, manager, "100.00", "A")
    long = start(
        factories.LoanFactory(
            product=product, created_at=APPLIED, term_months=36, amount=Decimal("90000")
        ),
        manager,
    )
    for number in range(12):
        payment, _created = pay(long, admin_user if number % 2 else manager, "900.00", f"P{number}")
    reverse_payment(db.session, payment, reason="Bounced", by=admin_user)
    db.session.commit()
    counts = []
    for loan_id in (short.id, long.id):
        db.session.commit()
        with count_queries() as log:
            assert staff_client.get(f"/loans/{loan_id}").status_code == 200
        counts.append(log)
    small, large = counts
    assert small.count == large.count, large.statements
    # The user; the loan with its customer, product, decider and writer-off; installments;
    # payments with who recorded and reversed them; allocations; a page of its history; a
    # page of its contacts (none here, so no promise states either); the navbar's count of
    # tasks due.
    assert large.count == 8, large.statements
