"""The schedule preview: GET /loans/preview and the admin's loan form that shows it."""

from decimal import Decimal

import pytest

from crm.clock import lender_today
from crm.lending.schedule import RepaymentMethod
from tests import factories


def preview(client, **args):
    return client.get("/loans/preview", query_string=args, headers={"Accept": "application/json"})


def test_preview_gives_rows_totals_and_aprc(staff_client, product):
    response = preview(staff_client, product=product.id, amount="10000", term_months="12")
    assert response.status_code == 200
    body = response.get_json()
    assert len(body["rows"]) == 12
    first, last = body["rows"][0], body["rows"][-1]
    assert (first["principal"], first["interest"], first["payment"]) == (
        "788.49",
        "100.00",
        "888.49",
    )
    assert (last["principal"], last["interest"], last["balance"]) == ("879.67", "8.80", "0.00")
    assert body["totals"] == {"principal": "10000.00", "interest": "661.86", "payable": "10661.86"}
    assert body["aprc"] == "12.68"
    assert body["method"] == "annuity"
    assert body["disbursed_on"] == lender_today().isoformat()
    assert 'id="schedule-preview"' in body["html"]
    assert "UAH\u00a0888.49" in body["html"]


def test_preview_follows_the_products_repayment_method(staff_client):
    product = factories.ProductFactory(repayment_method=RepaymentMethod.DIFFERENTIATED)
    body = preview(staff_client, product=product.id, amount="5000", term_months="18").get_json()
    assert body["method"] == "differentiated"
    assert body["totals"]["interest"] == "475.00"
    assert body["rows"][0]["payment"] == "327.78"


def test_preview_of_an_edited_loan_keeps_its_own_rate(staff_client, product):
    loan = factories.LoanFactory(product=product, annual_rate=Decimal("24"))
    body = preview(staff_client, product=product.id, amount="10000", term_months="12", loan=loan.id)
    assert body.get_json()["rows"][0]["interest"] == "200.00"
    other = factories.ProductFactory(annual_rate=Decimal("12"))
    body = preview(staff_client, product=other.id, amount="10000", term_months="12", loan=loan.id)
    assert body.get_json()["rows"][0]["interest"] == "100.00"


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"product": "", "amount": "10000", "term_months": "12"}, "product", "Pick a product."),
        ({"product": "999999", "amount": "10000", "term_months": "12"}, "product", "Pick"),
        ({"product": "abc", "amount": "10000", "term_months": "12"}, "product", "Pick"),
        ({"product": "99999999999", "amount": "10000", "term_months": "12"}, "product", "Pick"),
        ({"product": "9" * 5000, "amount": "10000", "term_months": "12"}, "product", "Pick"),
        ({"amount": "1e309", "term_months": "12"}, "amount", "Type an amount"),
        ({"amount": "9" * 400, "term_months": "12"}, "amount", "The amount is too large."),
        ({"amount": "ten", "term_months": "12"}, "amount", "Type an amount"),
        ({"amount": "", "term_months": "12"}, "amount", "This field is required."),
        ({"amount": "10.001", "term_months": "12"}, "amount", "2 decimal places"),
        ({"amount": "999", "term_months": "12"}, "amount", "lends from"),
        ({"amount": "10000", "term_months": "0"}, "term_months", "lends for"),
        ({"amount": "10000", "term_months": "x"}, "term_months", "required"),
    ],
)
def test_bad_terms_are_a_422_naming_the_field(staff_client, product, args, field, message):
    args = {"product": product.id, **args}
    response = preview(staff_client, **args)
    assert response.status_code == 422
    body = response.get_json()
    assert body["field"] == field
    assert message in body["error"]


def test_customers_may_not_preview(client, login, customer_user, product):
    login(customer_user)
    response = preview(client, product=product.id, amount="10000", term_months="12")
    assert response.status_code == 403


def test_anonymous_preview_is_a_json_401(client, product):
    response = preview(client, product=product.id, amount="10000", term_months="12")
    assert response.status_code == 401


def test_admin_loan_forms_carry_the_preview(staff_client, product):
    html = staff_client.get("/admin/loan/new/").get_data(as_text=True)
    assert 'id="loan-preview"' in html
    assert 'data-url="/loans/preview"' in html
    assert '<script src="/static/js/loan-preview.js" defer></script>' in html
    assert "data-loan=" not in html
    loan = factories.LoanFactory(product=product)
    html = staff_client.get(f"/admin/loan/edit/?id={loan.id}").get_data(as_text=True)
    assert f'data-loan="{loan.id}"' in html


def test_preview_script_is_served_from_the_site(staff_client):
    with staff_client.get("/static/js/loan-preview.js") as response:
        assert response.status_code == 200
        assert response.mimetype in ("text/javascript", "application/javascript")
        assert "box.dataset.url" in response.get_data(as_text=True)
