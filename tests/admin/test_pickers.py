"""The AJAX pickers (crm/admin/lookups.py) and the "+" beside them (crm/admin/widgets.py)."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Customer, Loan
from tests import factories
from tests.admin.pages import count, customer_form, field_errors, loan_form


def test_customer_lookup_finds_by_name_in_any_case_and_by_phone(client, login, manager):
    wanted = factories.CustomerFactory(last_name="Ковальчук", phone="+380931234567")
    factories.CustomerFactory(last_name="Бондар")
    login(manager)
    for query in ("КОВАЛЬ", "ковальчук", "093 123 45"):
        response = client.get(
            "/admin/loan/ajax/lookup/", query_string={"name": "customer", "query": query}
        )
        assert response.status_code == 200
        assert [row[0] for row in response.json] == [wanted.id], query
    assert "Ковальчук" in response.json[0][1]
    assert "+380 93 123 4567" in response.json[0][1]


def test_product_lookup_offers_active_products_only(client, login, manager):
    on_offer = factories.ProductFactory(name="Готівка на будь-які цілі")
    factories.ProductFactory(name="Готівка стара", active=False)
    login(manager)
    response = client.get(
        "/admin/loan/ajax/lookup/", query_string={"name": "product", "query": "ГОТІВКА"}
    )
    assert response.json == [[on_offer.id, "Готівка на будь-які цілі"]]


def test_unknown_lookup_is_404(client, login, manager):
    login(manager)
    assert client.get("/admin/loan/ajax/lookup/?name=decided_by&query=a").status_code == 404


def test_mangled_picker_value_is_a_field_error(client, login, manager, customer, product):
    login(manager)
    response = client.post(
        "/admin/loan/new/", data=loan_form(customer, product, customer="99999999999")
    )
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "customer")
    assert count(Loan) == 0


@pytest.mark.parametrize(
    ("user_fixture", "pickers"),
    [("admin_user", {"customer", "product"}), ("manager", {"customer"})],
)
def test_plus_beside_the_pickers_opens_the_create_view_the_user_may_use(
    client, login, request, user_fixture, pickers
):
    login(request.getfixturevalue(user_fixture))
    html = client.get("/admin/loan/new/").get_data(as_text=True)
    links = dict(re.findall(r'href="([^"]+)" target="_blank" data-crm-picker="(\w+)"', html))
    assert {picker: url for url, picker in links.items()} == {
        picker: f"/admin/{picker}/new/?picker={picker}" for picker in pickers
    }
    assert 'id="crm-picker-modal"' in html


def test_customer_added_from_the_loan_form_is_handed_back_to_the_picker(client, login, manager):
    login(manager)
    response = client.get("/admin/customer/new/?picker=customer")
    assert "Staff site" not in response.get_data(as_text=True)
    response = client.post("/admin/customer/new/?picker=customer", data=customer_form())
    assert response.status_code == 302
    customer = db.session.scalars(select(Customer)).one()
    location = urlsplit(response.headers["Location"])
    assert location.path == "/admin/customer/picked/"
    assert parse_qs(location.query) == {"id": [str(customer.id)], "picker": ["customer"]}
    page = client.get(response.headers["Location"])
    # Shown inside the "+" dialog, a frame of the loan form (crm/headers.py).
    assert "frame-ancestors 'self'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    picked = json.loads(
        re.search(r'<script type="application/json" id="crm-picked">(.*?)<', html)[1]
    )
    assert picked == {
        "type": "crm-picked",
        "field": "customer",
        "id": str(customer.id),
        "text": "Коваль Олена",
    }


def test_picked_view_refuses_odd_picker_names(client, login, manager, customer):
    login(manager)
    url = f"/admin/customer/picked/?id={customer.id}&picker=</script>"
    assert client.get(url).status_code == 404
