"""Withdrawing an application, POST /account/loans/<id>/withdraw: only the customer's own
pending ones, on the version their page showed."""

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Loan
from tests.account.conftest import UKRAINIAN
from tests.loans.conftest import snapshot


def withdraw(client, loan: Loan, version: int | None = None, headers=None):
    version = loan.version if version is None else version
    return client.post(
        f"/account/loans/{loan.id}/withdraw", data={"version": version}, headers=headers or {}
    )


def flashed(client) -> str:
    return client.get("/account/").get_data(as_text=True)


def test_a_customer_withdraws_their_pending_application(my_client, my_loans, me):
    loan = my_loans.pending

    response = withdraw(my_client, loan)

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"
    db.session.expire_all()
    withdrawn = db.session.get(Loan, loan.id)
    assert withdrawn.status is LoanStatus.WITHDRAWN
    assert withdrawn.decided_by_id == me.id
    html = flashed(my_client)
    assert f"You have withdrawn application #{loan.id}." in html
    assert f'data-loan="{loan.id}"' not in html.split('id="my-applications"')[1]
    assert ">Withdrawn<" in html


def test_the_withdrawal_is_said_in_ukrainian(my_client, my_loans):
    withdraw(my_client, my_loans.pending, headers=UKRAINIAN)
    html = my_client.get("/account/", headers=UKRAINIAN).get_data(as_text=True)
    assert f"Ви відкликали заявку #{my_loans.pending.id}." in html


def test_another_customers_application_is_not_found(my_client, their_loans):
    loan = their_loans.pending
    before = snapshot(loan.id)

    response = withdraw(my_client, loan)

    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Чужий продукт" not in body
    assert f"#{loan.id}" not in body
    assert snapshot(loan.id) == before


def test_a_stale_page_withdraws_nothing(my_client, my_loans):
    loan = my_loans.pending
    before = snapshot(loan.id)

    response = withdraw(my_client, loan, version=loan.version + 1)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/loans/{loan.id}"
    assert snapshot(loan.id) == before
    html = my_client.get(f"/account/loans/{loan.id}").get_data(as_text=True)
    assert "This application changed after you opened the page" in html


def test_a_post_without_a_version_withdraws_nothing(my_client, my_loans):
    loan = my_loans.pending
    before = snapshot(loan.id)

    response = my_client.post(f"/account/loans/{loan.id}/withdraw")

    assert response.status_code == 302
    assert snapshot(loan.id) == before


def test_only_a_pending_application_can_be_withdrawn(my_client, my_loans):
    for loan in (my_loans.current, my_loans.refused, my_loans.finished):
        before = snapshot(loan.id)

        response = withdraw(my_client, loan)

        assert response.status_code == 302
        assert snapshot(loan.id) == before
        html = my_client.get(f"/account/loans/{loan.id}").get_data(as_text=True)
        assert "Only a pending application can be withdrawn" in html
