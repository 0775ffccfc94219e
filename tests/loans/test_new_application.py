"""A new application on the staff site, /loans/new?customer_id=<id>: the products on offer,
the product's limits checked by the service the admin and the account use, the schedule
preview beside the form, and the new loan's page afterwards."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Loan
from tests import factories
from tests.account.test_apply import error_beside


def loan_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Loan))


def new_url(customer) -> str:
    return f"/loans/new?customer_id={customer.id}"


@pytest.fixture
def customer(app):
    return factories.CustomerFactory(last_name="Коваленко", first_name="Ірина")


def test_the_form_offers_the_products_on_offer_and_the_preview(staff_client, customer, product):
    factories.ProductFactory(name="Закритий продукт", active=False)

    response = staff_client.get(new_url(customer))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Коваленко" in html
    assert f'<option value="{product.id}">' in html
    assert "12.00 % a year" in html
    assert "Закритий продукт" not in html
    assert 'data-url="/loans/preview"' in html
    assert 'data-form="application-form"' in html
    assert 'data-product-field="product"' in html
    assert '<script src="/static/js/loan-preview.js" defer></script>' in html


def test_the_preview_the_page_asks_for_answers_with_the_schedule(staff_client, product):
    response = staff_client.get(
        "/loans/preview", query_string={"product": product.id, "amount": "10000", "term_months": 12}
    )

    assert response.status_code == 200
    assert response.json["rows"][0]["payment"] == "888.49"
    assert "<table" in response.json["html"]


def test_an_application_is_saved_pending_and_opens_its_page(staff_client, customer, product):
    response = staff_client.post(
        new_url(customer),
        data={"product": product.id, "amount": "10000", "term_months": "12"},
    )

    loan = db.session.scalars(select(Loan).where(Loan.customer_id == customer.id)).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/loans/{loan.id}"
    assert (loan.status, loan.amount, loan.term_months) == (
        LoanStatus.PENDING,
        Decimal("10000.00"),
        12,
    )
    assert loan.annual_rate == product.annual_rate
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Application {loan} is saved." in page


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"amount": "500"}, "amount", "lends from 1000.00 to 200000.00"),
        ({"amount": "200000.01"}, "amount", "lends from 1000.00 to 200000.00"),
        ({"amount": ""}, "amount", "required"),
        ({"term_months": "37"}, "term_months", "lends for 1 to 36 months"),
        ({"term_months": "twelve"}, "term_months", ""),
        ({"product": ""}, "product", "required"),
        ({"product": "999999"}, "product", "required"),
    ],
)
def test_bad_terms_are_refused_beside_the_field(
    staff_client, customer, product, form, field, message
):
    data = {"product": product.id, "amount": "10000", "term_months": "12", **form}

    response = staff_client.post(new_url(customer), data=data)

    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), field)
    assert loan_count() == 0


def test_a_product_no_longer_offered_is_refused(staff_client, customer):
    closed = factories.ProductFactory(active=False)

    response = staff_client.post(
        new_url(customer), data={"product": closed.id, "amount": "10000", "term_months": "12"}
    )

    assert response.status_code == 422
    assert "no longer offered" in error_beside(response.get_data(as_text=True), "product")
    assert loan_count() == 0


@pytest.mark.parametrize("query", ["", "?customer_id=", "?customer_id=abc", "?customer_id=999999"])
def test_without_a_known_customer_the_page_is_not_found(staff_client, query):
    assert staff_client.get(f"/loans/new{query}").status_code == 404
    assert staff_client.post(f"/loans/new{query}", data={}).status_code == 404


def test_the_customer_card_offers_a_new_application(staff_client, customer):
    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)

    assert re.search(rf'href="/loans/new\?customer_id={customer.id}"[^>]*>.*New application', html)


def test_the_page_makes_as_many_queries_whatever_the_products(
    staff_client, customer, count_queries
):
    factories.ProductFactory()
    with count_queries() as few:
        assert staff_client.get(new_url(customer)).status_code == 200
    for _ in range(20):
        factories.ProductFactory()
    with count_queries() as many:
        assert staff_client.get(new_url(customer)).status_code == 200

    assert few.count == many.count
