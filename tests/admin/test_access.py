"""Who reaches which part of /admin, and which writes each role may make."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from crm.extensions import db
from crm.models import Customer, Loan, Product
from tests import factories
from tests.admin.pages import loan_form

MANAGER_PAGES = [
    "/admin/",
    "/admin/customer/",
    "/admin/customer/new/",
    "/admin/loan/",
    "/admin/loan/new/",
    "/admin/product/",
    "/admin/loan/ajax/lookup/?name=customer&query=a",
]
#: Pages of the users' view, which only admins open.
USER_PAGES = ["/admin/user/", "/admin/user/new/"]
ADMIN_PAGES = [*MANAGER_PAGES, *USER_PAGES]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitor_is_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/auth/login"
    assert parse_qs(location.query) == {"next": [path]}


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_customer_login_gets_403(client, login, customer_user, path):
    login(customer_user)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", MANAGER_PAGES)
def test_manager_opens_customers_loans_and_products(client, login, manager, path):
    login(manager)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", [*USER_PAGES, "/admin/user/details/?id=1"])
def test_manager_gets_403_on_users(client, login, manager, path):
    login(manager)
    assert client.get(path).status_code == 403


def test_manager_does_not_see_users_in_the_menu_or_start_page(client, login, manager):
    login(manager)
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/user/"' not in html
    assert 'href="/admin/customer/new/"' in html
    assert 'href="/admin/product/new/"' not in html


def test_admin_sees_every_model_with_an_add_link(client, login, admin_user):
    login(admin_user)
    html = client.get("/admin/").get_data(as_text=True)
    for endpoint in ("customer", "loan", "product", "user"):
        assert f'href="/admin/{endpoint}/"' in html
        assert f'href="/admin/{endpoint}/new/"' in html


def test_deactivated_staff_member_is_sent_to_log_in_at_once(client, login, manager):
    login(manager)
    manager.active = False
    db.session.commit()
    response = client.get("/admin/customer/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


def test_manager_views_products_but_cannot_change_them(client, login, manager):
    product = factories.ProductFactory(name="Готівка")
    login(manager)
    html = client.get("/admin/product/").get_data(as_text=True)
    assert "Готівка" in html
    assert 'href="/admin/product/new/' not in html
    assert "/admin/product/edit/" not in html
    assert client.get("/admin/product/new/").status_code == 403
    response = client.post(
        f"/admin/product/edit/?id={product.id}", data={"name": "Renamed", "annual_rate": "1"}
    )
    assert response.status_code == 403
    assert client.post("/admin/product/delete/", data={"id": product.id}).status_code == 403
    assert db.session.get(Product, product.id).name == "Готівка"


def test_manager_cannot_delete_customers_or_loans(client, login, manager):
    loan = factories.LoanFactory()
    customer = factories.CustomerFactory()
    login(manager)
    assert client.post("/admin/customer/delete/", data={"id": customer.id}).status_code == 403
    assert client.post("/admin/loan/delete/", data={"id": loan.id}).status_code == 403
    assert db.session.get(Customer, customer.id) is not None
    assert db.session.get(Loan, loan.id) is not None


def test_customer_login_cannot_write_through_the_admin(client, login, customer_user):
    product = factories.ProductFactory()
    login(customer_user)
    response = client.post("/admin/loan/new/", data=loan_form(customer_user.customer, product))
    assert response.status_code == 403
    assert db.session.query(Loan).count() == 0


def test_admin_manages_products_and_users(client, login, reauthenticate, admin_user):
    login(admin_user)
    reauthenticate()
    assert client.get("/admin/product/new/").status_code == 200
    assert client.get("/admin/user/").status_code == 200
    product = factories.ProductFactory(min_amount=Decimal("1000"))
    assert client.get(f"/admin/product/edit/?id={product.id}").status_code == 200
    assert client.get(f"/admin/user/edit/?id={admin_user.id}").status_code == 200


def test_logout_form_posts_with_the_users_name_shown(client, login, manager):
    login(manager)
    html = client.get("/admin/").get_data(as_text=True)
    assert manager.full_name in html
    assert 'action="/auth/logout"' in html
    assert 'href="/"' in html


def test_admin_is_its_own_per_app(build_app):
    first, second = build_app(), build_app()
    assert first.extensions["admin"][0] is not second.extensions["admin"][0]
    assert {view.endpoint for view in first.extensions["admin"][0]._views} == {
        "admin",
        "customer",
        "loan",
        "product",
        "user",
        "audit_trail",
        "outbox",
        "imports",
    }


def test_json_client_of_the_lookup_gets_401_when_anonymous(client):
    response = client.get(
        "/admin/loan/ajax/lookup/?name=customer&query=a", headers={"Accept": "application/json"}
    )
    assert response.status_code == 401
