"""The admin's customers (crm/admin/customers.py), driven through real requests."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from crm.customers.services import CUSTOMER_FIELDS
from crm.extensions import db
from crm.models import Customer
from tests import factories
from tests.admin.pages import assert_refused, count, customer_form, flashes, listed


def test_customer_create_form_has_the_documented_fields(client, login, manager):
    login(manager)
    html = client.get("/admin/customer/new/").get_data(as_text=True)
    for name in CUSTOMER_FIELDS:
        assert f'name="{name}"' in html
    assert "search_text" not in html
    # A manager's new customer is theirs unless they pick someone else.
    assert f'<option selected value="{manager.id}">' in html


def test_manager_creates_a_customer_through_the_form(client, login, manager):
    login(manager)
    response = client.post("/admin/customer/new/", data=customer_form(manager=manager.id))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/admin/customer/"
    customer = db.session.scalars(select(Customer)).one()
    assert customer.last_name == "Коваль"
    assert customer.phone == "+380501234567"
    assert customer.birth_date == date(1990, 5, 17)
    assert customer.manager_id == manager.id


def test_a_number_typed_with_spaces_is_taken_whatever_its_length(client, login, manager):
    login(manager)
    form_page = client.get("/admin/customer/new/").get_data(as_text=True)

    response = client.post("/admin/customer/new/", data=customer_form(phone="+380 67 765 43 21"))

    assert response.status_code == 302
    assert db.session.scalars(select(Customer.phone)).one() == "+380677654321"
    assert 'maxlength="16"' not in form_page


def test_a_duplicate_links_to_the_other_customers_card(client, login, manager):
    other = factories.CustomerFactory(last_name="Бойко", first_name="Петро", phone="+380677654321")
    login(manager)

    response = client.post("/admin/customer/new/", data=customer_form(phone="067 765 43 21"))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    link = re.search(rf'<a href="/customers/{other.id}"[^>]*>([^<]*)</a>', html)
    assert link, html
    assert link[1] == other.full_name
    assert count(Customer) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_name": ""}, "last_name", "This field is required."),
        ({"first_name": "   "}, "first_name", "This field is required."),
        ({"phone": "12"}, "phone", "Not a"),
        ({"email": "olena@"}, "email", "Not a valid e-mail address."),
        ({"tax_id": "123"}, "tax_id", "The tax id is 10 digits."),
        ({"birth_date": "2999-01-01"}, "birth_date", "cannot be in the future"),
        ({"birth_date": "17.05.1990"}, "birth_date", "Type a date such as 2025-03-09."),
        ({"email": "TAKEN@example.com"}, "email", "Another customer already has this e-mail"),
        ({"tax_id": "3999999999"}, "tax_id", "Another customer already has this tax id."),
        ({"phone": "+38 (050) 999-00-11"}, "phone", "Another customer already has this phone"),
        ({"birth_date": "2015-03-09"}, "birth_date", "at least 18 years old"),
    ],
)
def test_bad_customer_input_is_shown_beside_its_field(
    client, login, manager, changes, field, message
):
    factories.CustomerFactory(email="taken@example.com", tax_id="3999999999", phone="+380509990011")
    login(manager)
    response = client.post("/admin/customer/new/", data=customer_form(**changes))
    assert_refused(response, field, message)
    assert count(Customer) == 1


def test_manager_edits_a_customer(client, login, manager):
    customer = factories.CustomerFactory(last_name="Стара")
    login(manager)
    html = client.get(f"/admin/customer/edit/?id={customer.id}").get_data(as_text=True)
    assert 'value="Стара"' in html
    response = client.post(
        f"/admin/customer/edit/?id={customer.id}",
        data=customer_form(
            last_name="Нова", phone="+380671112233", email=customer.email, version=customer.version
        ),
    )
    assert response.status_code == 302
    customer = db.session.get(Customer, customer.id)
    assert (customer.last_name, customer.phone) == ("Нова", "+380671112233")


def test_customer_with_loans_is_not_deleted(client, login, admin_user):
    loan = factories.LoanFactory()
    login(admin_user)
    response = client.post(
        "/admin/customer/delete/", data={"id": loan.customer_id}, follow_redirects=True
    )
    assert "has 1 loan and cannot be deleted" in flashes(response.get_data(as_text=True))
    assert db.session.get(Customer, loan.customer_id) is not None


def test_admin_deletes_a_customer_without_loans(client, login, admin_user):
    customer = factories.CustomerFactory()
    login(admin_user)
    response = client.post("/admin/customer/delete/", data={"id": customer.id})
    assert response.status_code == 302
    assert db.session.get(Customer, customer.id) is None


def test_customer_search_folds_case_for_any_alphabet(client, login, manager):
    factories.CustomerFactory(last_name="Шевчук", first_name="Ірина")
    factories.CustomerFactory(last_name="Бойко", first_name="Андрій")
    login(manager)
    html = listed(client, "customer", search="ШЕВЧУК")
    assert "Шевчук" in html
    assert "Бойко" not in html


def test_customer_list_filters_by_manager(client, login, manager):
    factories.CustomerFactory(last_name="Мій", manager=manager)
    factories.CustomerFactory(last_name="Чужий")
    login(manager)
    html = listed(client, "customer", flt0_manager_equals=manager.id)
    assert "Мій" in html
    assert "Чужий" not in html


def test_customer_list_pages_by_25_without_counting(client, login, manager, count_queries):
    factories.CustomerFactory.create_batch(26)
    login(manager)
    with count_queries() as log:
        html = client.get("/admin/customer/").get_data(as_text=True)
    assert html.count('<td class="list-buttons-column">') == 25
    assert not log.counting


def test_the_list_offers_delete_only_for_customers_without_loans(
    client, login, admin_user, count_queries
):
    with_loans = factories.LoanFactory().customer
    without = factories.CustomerFactory()
    login(admin_user)

    with count_queries() as few:
        html = client.get("/admin/customer/").get_data(as_text=True)

    delete = '<input id="id" name="id" type="hidden" value="{id}">'
    assert delete.format(id=without.id) in html
    assert delete.format(id=with_loans.id) not in html
    for customer in factories.CustomerFactory.create_batch(20):
        factories.LoanFactory.create_batch(2, customer=customer)
    with count_queries() as many:
        client.get("/admin/customer/")
    assert few.count == many.count
