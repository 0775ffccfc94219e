"""The admin's catalogue (crm/admin/products.py), driven through real requests."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Product
from tests import factories
from tests.admin.pages import assert_refused, count, flashes, product_form


def test_admin_creates_and_edits_a_product(client, login, admin_user):
    login(admin_user)
    html = client.get("/admin/product/new/").get_data(as_text=True)
    assert '<option value="secured">Secured</option>' in html
    assert '<option value="differentiated">Differentiated</option>' in html
    assert client.post("/admin/product/new/", data=product_form()).status_code == 302
    product = db.session.scalars(select(Product)).one()
    assert product.annual_rate == Decimal("13.9")
    assert product.active
    response = client.post(
        f"/admin/product/edit/?id={product.id}",
        data=product_form(
            annual_rate="14.5", category="unsecured", active="", version=product.version
        ),
    )
    assert response.status_code == 302
    db.session.refresh(product)
    assert product.annual_rate == Decimal("14.5")
    assert product.category.value == "unsecured"
    assert not product.active


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "ГОТІВКА"}, "name", "Another product already has this name."),
        ({"annual_rate": "250"}, "annual_rate", "between 0 and 200"),
        ({"annual_rate": "abc"}, "annual_rate", "Type a number such as 18.5."),
        ({"min_amount": "0"}, "min_amount", "greater than zero"),
        ({"min_amount": "5000", "max_amount": "4000"}, "max_amount", "cannot be less"),
        ({"max_amount": "100.123"}, "max_amount", "at most 2 decimal places"),
        ({"min_term": "0"}, "min_term", "between 1 and 360"),
        ({"max_term": "400"}, "max_term", "between 1 and 360"),
        ({"min_term": "24", "max_term": "12"}, "max_term", "cannot be shorter"),
        ({"category": "bail"}, "category", "Invalid Choice"),
    ],
)
def test_bad_product_input_is_shown_beside_its_field(
    client, login, admin_user, changes, field, message
):
    factories.ProductFactory(name="Готівка")
    login(admin_user)
    response = client.post("/admin/product/new/", data=product_form(**changes))
    assert_refused(response, field, message)
    assert count(Product) == 1


def test_product_with_loans_is_not_deleted(client, login, admin_user):
    loan = factories.LoanFactory()
    login(admin_user)
    response = client.post(
        "/admin/product/delete/", data={"id": loan.product_id}, follow_redirects=True
    )
    assert "cannot be deleted; untick Active" in flashes(response.get_data(as_text=True))
    assert db.session.get(Product, loan.product_id) is not None
