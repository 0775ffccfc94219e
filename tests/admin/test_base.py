"""What every admin view shares (crm/admin/base.py): input that must never reach the
database as it is, and forms that need the CSRF token when CSRF is on."""

import pytest

from config import TestingConfig
from crm import create_app
from crm.extensions import db
from crm.models import Product, Role
from tests import factories
from tests.admin.pages import count, customer_form, flashes, product_form
from tests.conftest import RollbackClient, csrf_token
from tests.factories import PASSWORD


def test_admin_forms_need_the_csrf_token_when_csrf_is_on(config_class, app):
    csrf_app = create_app(type("CsrfConfig", (config_class,), {"WTF_CSRF_ENABLED": True}))
    assert issubclass(config_class, TestingConfig)
    csrf_app.test_client_class = RollbackClient
    admin = factories.UserFactory(role=Role.ADMIN)
    client = csrf_app.test_client()
    try:
        token = csrf_token(client.get("/auth/login").get_data(as_text=True))
        response = client.post(
            "/auth/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
        assert client.post("/admin/product/new/", data=product_form()).status_code == 400
        assert count(Product) == 0
        token = csrf_token(client.get("/admin/product/new/").get_data(as_text=True))
        response = client.post("/admin/product/new/", data={**product_form(), "csrf_token": token})
        assert response.status_code == 302
        assert count(Product) == 1
    finally:
        with csrf_app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("record_id", ["abc", "99999999999", "-1", "1.5", "١"])
def test_mangled_ids_are_no_such_record(client, login, admin_user, record_id):
    factories.LoanFactory()
    login(admin_user)
    for view in ("customer", "loan", "product", "user"):
        response = client.get(f"/admin/{view}/edit/", query_string={"id": record_id})
        assert response.status_code == 302
        response = client.get(f"/admin/{view}/details/", query_string={"id": record_id})
        assert response.status_code == 302
    response = client.get(
        "/admin/customer/picked/", query_string={"id": record_id, "picker": "customer"}
    )
    assert response.status_code == 404


def test_nul_characters_never_reach_the_database(client, login, admin_user):
    login(admin_user)
    for view in ("customer", "loan", "product", "user"):
        response = client.get(f"/admin/{view}/", query_string={"search": "a\x00b"})
        assert response.status_code == 200
    # SQLite stores it; PostgreSQL refuses it, and the form says so instead of failing.
    response = client.post("/admin/customer/new/", data=customer_form(address="a\x00b"))
    html = response.get_data(as_text=True)
    assert response.status_code == 302 or "cannot be stored as typed" in flashes(html)
