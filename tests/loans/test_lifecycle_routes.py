"""The loan's lifecycle through the loan page's forms: real requests, one commit each."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.clock import lender_today
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Installment, Loan, Role
from tests import factories
from tests.conftest import csrf_token
from tests.loans.conftest import APPLIED, DISBURSED, pay, snapshot, start


def flashes(html: str) -> list[str]:
    # Collapse the template's line breaks and indents, not the no-break spaces in amounts.
    return [
        re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
        for text in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', html, re.DOTALL)
    ]


def field_errors(html: str, name: str) -> list[str]:
    match = re.search(
        rf'<[^>]+name="{name}"[^>]*>.*?(?=<div class="(?:mb-3|form-check)|</form>)', html, re.DOTALL
    )
    assert match, f"no field {name}"
    return re.findall(r'<div class="invalid-feedback">(.*?)</div>', match.group(0), re.DOTALL)


def post(client, loan, action, **data):
    return client.post(f"/loans/{loan.id}/{action}", data={"version": loan.version, **data})


def test_pending_loan_page_offers_the_decision_with_todays_date(staff_client, pending):
    html = staff_client.get(f"/loans/{pending.id}").get_data(as_text=True)
    for action in ("start", "refuse", "withdraw"):
        assert f'action="/loans/{pending.id}/{action}"' in html
    assert f'value="{lender_today().isoformat()}"' in html
    assert f'name="version" value="{pending.version}"' in html
    assert "/write-off" not in html
    assert "/payments" not in html


def test_manager_starts_a_loan(staff_client, pending, manager):
    response = post(staff_client, pending, "start", disbursed_on=DISBURSED.isoformat())
    assert response.status_code == 302
    assert response.headers["Location"] == f"/loans/{pending.id}"
    loan = db.session.get(Loan, pending.id)
    assert (loan.status, loan.disbursed_on, loan.decided_by_id) == (
        LoanStatus.ACTIVE,
        DISBURSED,
        manager.id,
    )
    count = select(func.count()).select_from(Installment).where(Installment.loan_id == loan.id)
    assert db.session.scalar(count) == 12
    html = staff_client.get(f"/loans/{pending.id}").get_data(as_text=True)
    assert f"Loan #{loan.id} has started." in flashes(html)


def test_start_with_a_future_date_is_shown_beside_the_field(staff_client, pending):
    before = snapshot(pending.id)
    tomorrow = lender_today() + timedelta(days=1)
    response = post(staff_client, pending, "start", disbursed_on=tomorrow.isoformat())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_errors(html, "disbursed_on") == ["The disbursement date cannot be in the future."]
    assert f'value="{tomorrow.isoformat()}"' in html
    assert snapshot(pending.id) == before


def test_start_with_a_mangled_date_is_shown_beside_the_field(staff_client, pending):
    response = post(staff_client, pending, "start", disbursed_on="31.02.2025x")
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "disbursed_on")
    assert db.session.get(Loan, pending.id).status is LoanStatus.PENDING


def test_manager_refuses_with_a_reason(staff_client, pending, manager):
    response = post(staff_client, pending, "refuse", reason="  Income not confirmed ")
    assert response.status_code == 302
    loan = db.session.get(Loan, pending.id)
    assert (loan.status, loan.refusal_reason) == (LoanStatus.REFUSED, "Income not confirmed")
    html = staff_client.get(f"/loans/{loan.id}").get_data(as_text=True)
    assert f"Loan #{loan.id} is refused." in flashes(html)
    assert "Income not confirmed" in html


def test_refusal_without_a_reason_is_shown_beside_the_field(staff_client, pending):
    response = post(staff_client, pending, "refuse", reason=" ")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_errors(html, "reason") == ["This field is required."]
    assert "<details open" in html
    assert db.session.get(Loan, pending.id).status is LoanStatus.PENDING


def test_a_refusal_reason_of_50_000_characters_is_refused_not_stored(staff_client, pending):
    before = snapshot(pending.id)
    response = post(staff_client, pending, "refuse", reason="x" * 50_000)
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "reason") == [
        "Too long: at most 2000 characters (this has 50000)."
    ]
    assert snapshot(pending.id) == before
    # The limit the form shows is the one the service holds to.
    html = staff_client.get(f"/loans/{pending.id}").get_data(as_text=True)
    assert 'maxlength="2000"' in html
    assert post(staff_client, pending, "refuse", reason="x" * 2000).status_code == 302


def test_write_off_and_reversal_reasons_are_held_to_the_same_limit(admin_client, active, manager):
    payment = pay(active, manager, "100.00", "R1").payment
    before = snapshot(active.id)
    response = post(admin_client, active, "write-off", reason="x" * 2001)
    assert field_errors(response.get_data(as_text=True), "reason") == [
        "Too long: at most 2000 characters (this has 2001)."
    ]
    response = admin_client.post(
        f"/loans/{active.id}/payments/{payment.id}/reverse", data={"reason": "y" * 2001}
    )
    assert response.status_code == 422
    assert snapshot(active.id) == before


def test_manager_records_a_withdrawal(staff_client, pending):
    assert post(staff_client, pending, "withdraw").status_code == 302
    assert db.session.get(Loan, pending.id).status is LoanStatus.WITHDRAWN


def test_admin_writes_off_an_active_loan(admin_client, active):
    response = post(admin_client, active, "write-off", reason="Customer cannot be found")
    assert response.status_code == 302
    loan = db.session.get(Loan, active.id)
    assert (loan.status, loan.write_off_reason) == (
        LoanStatus.WRITTEN_OFF,
        "Customer cannot be found",
    )


def test_write_off_needs_a_reason(admin_client, active):
    response = post(admin_client, active, "write-off", reason="")
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "reason") == ["This field is required."]
    assert db.session.get(Loan, active.id).status is LoanStatus.ACTIVE


def test_manager_may_not_write_off(staff_client, active):
    before = snapshot(active.id)
    assert post(staff_client, active, "write-off", reason="x").status_code == 403
    assert snapshot(active.id) == before
    html = staff_client.get(f"/loans/{active.id}").get_data(as_text=True)
    assert "/write-off" not in html


def test_admin_sees_the_write_off_form(admin_client, active):
    html = admin_client.get(f"/loans/{active.id}").get_data(as_text=True)
    assert f'action="/loans/{active.id}/write-off"' in html


ACTIONS = {
    "start": {"disbursed_on": DISBURSED.isoformat()},
    "refuse": {"reason": "No"},
    "withdraw": {},
    "write-off": {"reason": "Gone"},
}
ALLOWED = {LoanStatus.PENDING: {"start", "refuse", "withdraw"}, LoanStatus.ACTIVE: {"write-off"}}


FORBIDDEN = [
    (status, action)
    for status in LoanStatus
    for action in ACTIONS
    if action not in ALLOWED.get(status, set())
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("version", [None, "", "abc", "0", "1e0", "99999999999", "1" * 5000])
def test_a_step_without_the_loans_version_is_refused_as_stale(
    admin_client, product, action, version
):
    status = LoanStatus.ACTIVE if action == "write-off" else LoanStatus.PENDING
    loan = factories.LoanFactory(product=product, status=status, created_at=APPLIED)
    before = snapshot(loan.id)
    data = {**ACTIONS[action], **({} if version is None else {"version": version})}
    response = admin_client.post(f"/loans/{loan.id}/{action}", data=data, follow_redirects=True)
    assert "Someone else changed this loan" in flashes(response.get_data(as_text=True))[0]
    assert snapshot(loan.id) == before


@pytest.mark.parametrize(("status", "action"), FORBIDDEN)
def test_forbidden_steps_change_nothing_and_say_why(admin_client, product, status, action):
    loan = factories.LoanFactory(product=product, status=status, created_at=APPLIED)
    before = snapshot(loan.id)
    response = post(admin_client, loan, action, **ACTIONS[action])
    assert response.status_code == 302
    assert snapshot(loan.id) == before
    message = flashes(admin_client.get(f"/loans/{loan.id}").get_data(as_text=True))
    assert len(message) == 1
    assert message[0].startswith("Only a")
    assert f"loan #{loan.id} is " in message[0]


def test_a_second_start_from_the_same_page_is_refused(staff_client, pending):
    version = pending.version
    post(staff_client, pending, "start", disbursed_on=DISBURSED.isoformat())
    staff_client.get(f"/loans/{pending.id}")
    before = snapshot(pending.id)
    response = staff_client.post(
        f"/loans/{pending.id}/start",
        data={"version": version, "disbursed_on": DISBURSED.isoformat()},
        follow_redirects=True,
    )
    assert "Someone else changed this loan" in flashes(response.get_data(as_text=True))[0]
    assert snapshot(pending.id) == before


def test_step_from_a_page_opened_before_someone_elses_edit_is_refused(staff_client, pending):
    version = pending.version
    pending.amount = Decimal("12000")
    db.session.commit()
    response = staff_client.post(
        f"/loans/{pending.id}/refuse",
        data={"version": version, "reason": "Too much"},
        follow_redirects=True,
    )
    assert "Someone else changed this loan" in flashes(response.get_data(as_text=True))[0]
    assert db.session.get(Loan, pending.id).status is LoanStatus.PENDING


@pytest.mark.parametrize(
    "path",
    [
        "/loans/{id}/start",
        "/loans/{id}/refuse",
        "/loans/{id}/withdraw",
        "/loans/{id}/write-off",
        "/loans/{id}/payments",
        "/loans/{id}/payments/1/reverse",
    ],
)
@pytest.mark.parametrize("loan_id", ["999999", "abc", "99999999999", "-1"])
def test_unknown_or_mangled_ids_are_not_found(admin_client, pending, path, loan_id):
    before = snapshot(pending.id)
    assert admin_client.post(path.format(id=loan_id), data={"reason": "x"}).status_code == 404
    assert snapshot(pending.id) == before


@pytest.mark.parametrize("payment_id", ["999999", "abc", "99999999999"])
def test_unknown_payment_is_not_found(admin_client, active, payment_id):
    response = admin_client.post(
        f"/loans/{active.id}/payments/{payment_id}/reverse", data={"reason": "x"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("action", [*ACTIONS, "payments", "payments/1/reverse"])
def test_customers_may_not_take_any_step(client, login, customer_user, pending, action):
    login(customer_user)
    before = snapshot(pending.id)
    assert client.post(f"/loans/{pending.id}/{action}", data={"reason": "x"}).status_code == 403
    assert snapshot(pending.id) == before


@pytest.mark.parametrize("action", [*ACTIONS, "payments"])
def test_anonymous_posts_go_to_the_login(client, pending, action):
    response = client.post(f"/loans/{pending.id}/{action}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_steps_need_the_csrf_token_when_csrf_is_on(build_app, app, pending):
    user = factories.UserFactory(role=Role.MANAGER)
    client = build_app(WTF_CSRF_ENABLED=True).test_client()
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    client.post(
        "/auth/login",
        data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token},
    )
    data = {"version": "1", "disbursed_on": DISBURSED.isoformat()}
    assert client.post(f"/loans/{pending.id}/start", data=data).status_code == 400
    token = csrf_token(client.get(f"/loans/{pending.id}").get_data(as_text=True))
    response = client.post(f"/loans/{pending.id}/start", data={**data, "csrf_token": token})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(Loan, pending.id).status is LoanStatus.ACTIVE


def test_started_loans_terms_stay_fixed_in_the_admin(client, login, admin_user, manager, pending):
    start(pending, manager)
    login(admin_user)
    data = {
        "customer": pending.customer_id,
        "product": pending.product_id,
        "amount": "9000",
        "term_months": "12",
        "version": str(pending.version),
    }
    html = client.post(f"/admin/loan/edit/?id={pending.id}", data=data).get_data(as_text=True)
    assert "only a pending application can change" in html
    loan = db.session.get(Loan, pending.id)
    assert (loan.amount, loan.status) == (Decimal("10000.00"), LoanStatus.ACTIVE)
