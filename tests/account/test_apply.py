"""Applying online, /account/apply, and the preview beside it, /account/preview: a pending
application of the logged-in customer, for a product on offer and within its limits, at most
MAX_PENDING at once."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.account.queries import MAX_PENDING
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Loan
from tests import factories
from tests.account.conftest import UKRAINIAN

NBSP = "\u00a0"


def loans_of(customer) -> list[Loan]:
    db.session.expire_all()
    return list(db.session.scalars(select(Loan).where(Loan.customer_id == customer.id)))


def loan_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Loan))


def apply(client, headers=None, **form):
    return client.post("/account/apply", data=form, headers=headers or {})


def error_beside(html: str, field: str) -> str:
    """The message under a field of the form (Bootstrap's invalid-feedback after it)."""
    match = re.search(
        rf'name="{field}"[^>]*>(?:[^<]|<(?!div))*<div class="invalid-feedback">([^<]*)<',
        html,
        re.DOTALL,
    )
    assert match, f"no message beside {field}"
    return match.group(1)


def test_the_form_offers_the_products_on_offer_with_their_limits(html_of, product):
    factories.ProductFactory(name="Закритий продукт", active=False)

    html = html_of("/account/apply")

    assert f'<option value="{product.id}">' in html
    assert f"12.00 % a year, UAH{NBSP}1,000.00 to UAH{NBSP}200,000.00, 1 to 36 months" in html
    assert "Закритий продукт" not in html
    assert 'id="loan-preview"' in html
    assert 'data-url="/account/preview"' in html
    assert 'data-form="apply-form"' in html
    assert '<script src="/static/js/loan-preview.js" defer></script>' in html


def test_an_application_is_pending_at_the_products_rate(my_client, me, product, staff_client):
    response = apply(my_client, product_id=product.id, amount="25000", term_months="18")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"
    [loan] = loans_of(me.customer)
    assert loan.status is LoanStatus.PENDING
    assert (loan.product_id, loan.amount, loan.term_months) == (product.id, Decimal("25000"), 18)
    assert loan.annual_rate == product.annual_rate
    page = my_client.get("/account/").get_data(as_text=True)
    assert f"Application #{loan.id} is sent." in page
    assert f'data-loan="{loan.id}"' in page.split('id="my-applications"')[1]


def test_an_application_reaches_the_staffs_dashboard_and_loans_list(
    my_client, me, product, logged_in, manager
):
    apply(my_client, product_id=product.id, amount="5000", term_months="6")
    [loan] = loans_of(me.customer)
    staff = logged_in(manager)

    dashboard = staff.get("/").get_data(as_text=True)
    listed = staff.get("/loans/?status=pending").get_data(as_text=True)

    assert re.search(r'id="stat-pending">1<', dashboard)
    assert f'href="/loans/{loan.id}"' in dashboard
    assert f'href="/loans/{loan.id}"' in listed


def test_amounts_are_read_the_ukrainian_way(my_client, me, product):
    response = apply(
        my_client, UKRAINIAN, product_id=product.id, amount="12 500,50", term_months="12"
    )
    assert response.status_code == 302
    assert loans_of(me.customer)[0].amount == Decimal("12500.50")


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"amount": "999.99"}, "amount", "lends from 1000.00 to 200000.00"),
        ({"amount": "200000.01"}, "amount", "lends from"),
        ({"amount": "ten"}, "amount", "Type an amount such as 1,234.56."),
        ({"amount": ""}, "amount", "This field is required."),
        ({"term_months": "37"}, "term_months", "lends for 1 to 36 months"),
        ({"term_months": "x"}, "term_months", "Type a whole number such as 12."),
        ({"product_id": ""}, "product_id", "Pick a product."),
        ({"product_id": "999999"}, "product_id", "Pick a product."),
    ],
)
def test_bad_terms_are_a_422_with_the_message_beside_the_field(
    my_client, me, product, form, field, message
):
    response = apply(
        my_client, **{"product_id": product.id, "amount": "5000", "term_months": "12", **form}
    )

    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), field)
    assert loans_of(me.customer) == []


def test_a_product_no_longer_offered_is_refused(my_client, me):
    closed = factories.ProductFactory(active=False)

    response = apply(my_client, product_id=closed.id, amount="5000", term_months="12")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "product_id") == "This product is no longer offered."
    assert loans_of(me.customer) == []


def test_a_fourth_pending_application_is_refused(my_client, me, product):
    for _ in range(MAX_PENDING):
        assert (
            apply(my_client, product_id=product.id, amount="5000", term_months="12").status_code
            == 302
        )
    before = loan_count()

    response = apply(my_client, product_id=product.id, amount="5000", term_months="12")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(
        r'id="application-error">You already have 3 applications waiting for a decision', html
    )
    assert loan_count() == before


def test_decided_applications_do_not_count_against_the_limit(my_client, me, product, manager):
    for status in (LoanStatus.REFUSED, LoanStatus.WITHDRAWN, LoanStatus.ACTIVE):
        factories.LoanFactory(customer=me.customer, product=product, status=status)
    factories.LoanFactory.create_batch(2, customer=me.customer, product=product)

    response = apply(my_client, product_id=product.id, amount="5000", term_months="12")

    assert response.status_code == 302
    assert sum(loan.status is LoanStatus.PENDING for loan in loans_of(me.customer)) == 3


def test_other_customers_applications_do_not_count(my_client, me, other, product):
    factories.LoanFactory.create_batch(MAX_PENDING, customer=other.customer, product=product)
    assert (
        apply(my_client, product_id=product.id, amount="5000", term_months="12").status_code == 302
    )


def test_the_customer_comes_from_the_login_never_from_the_form(my_client, me, other, product):
    apply(
        my_client,
        product_id=product.id,
        amount="5000",
        term_months="12",
        customer=other.customer.id,
        customer_id=other.customer.id,
    )

    assert len(loans_of(me.customer)) == 1
    assert loans_of(other.customer) == []


def test_the_apply_page_in_ukrainian(html_of, product):
    html = html_of("/account/apply", UKRAINIAN)
    assert "Подати заявку на кредит" in html
    assert "Надіслати заявку" in html
    assert f"12,00 % річних, від 1{NBSP}000,00{NBSP}грн" in html


def test_a_login_without_a_customer_record_cannot_apply(client, login, product):
    from crm.models import Role

    login(factories.UserFactory(role=Role.CUSTOMER))
    assert client.get("/account/apply").status_code == 404
    response = client.post(
        "/account/apply", data={"product_id": product.id, "amount": "5000", "term_months": "12"}
    )
    assert response.status_code == 404
    assert loan_count() == 0


# --- The preview --------------------------------------------------------------------------------


def preview(client, **args):
    return client.get("/account/preview", query_string=args, headers={"Accept": "application/json"})


def test_the_preview_gives_the_schedule_totals_and_aprc(my_client, product):
    response = preview(my_client, product=product.id, amount="10000", term_months="12")

    assert response.status_code == 200
    body = response.get_json()
    assert len(body["rows"]) == 12
    assert body["rows"][0]["payment"] == "888.49"
    assert body["totals"] == {"principal": "10000.00", "interest": "661.86", "payable": "10661.86"}
    assert body["aprc"] == "12.68"
    assert 'id="schedule-preview"' in body["html"]
    assert f"UAH{NBSP}888.49" in body["html"]


def test_the_preview_refuses_a_product_no_longer_offered(my_client):
    closed = factories.ProductFactory(active=False)
    response = preview(my_client, product=closed.id, amount="10000", term_months="12")
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "This product is no longer offered.",
        "field": "product",
    }


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"amount": "999"}, "amount"),
        ({"amount": "1e309"}, "amount"),
        ({"term_months": "0"}, "term_months"),
        ({"product": "abc"}, "product"),
    ],
)
def test_the_preview_names_a_bad_term(my_client, product, args, field):
    response = preview(
        my_client, **{"product": product.id, "amount": "10000", "term_months": "12", **args}
    )
    assert response.status_code == 422
    assert response.get_json()["field"] == field


def test_the_preview_reads_no_loan_not_even_the_customers_own(my_client, my_loans, product):
    # The staff's preview keeps a named loan's own rate; the customer's never reads a loan.
    loan = factories.LoanFactory(
        customer=my_loans.pending.customer, product=product, annual_rate=Decimal("24")
    )
    body = preview(my_client, product=product.id, amount="10000", term_months="12", loan=loan.id)
    assert body.get_json()["rows"][0]["interest"] == "100.00"


def test_the_preview_in_ukrainian(my_client, product):
    response = my_client.get(
        "/account/preview",
        query_string={"product": product.id, "amount": "10 000,00", "term_months": "12"},
        headers={"Accept": "application/json", **UKRAINIAN},
    )
    assert response.status_code == 200
    assert f"888,49{NBSP}грн" in response.get_json()["html"]
