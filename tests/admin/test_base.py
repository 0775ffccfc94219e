"""What every admin view shares (crm/admin/base.py): input that must never reach the
database as it is, and forms that need the CSRF token when CSRF is on."""

import re

import pytest

from config import TestingConfig
from crm.admin.rows import ROW_ID, ListRows
from crm.extensions import db
from crm.models import Customer, Loan, Product, Role, User
from tests import factories
from tests.admin.pages import (
    assert_refused,
    count,
    customer_form,
    flashes,
    loan_form,
    product_form,
    user_form,
)
from tests.conftest import csrf_token
from tests.factories import PASSWORD


@pytest.fixture
def admin_client(admin_client, reauthenticate):
    """The admin, having confirmed their password: the user admin asks before any change."""
    reauthenticate()
    return admin_client


def test_admin_forms_need_the_csrf_token_when_csrf_is_on(config_class, build_app, app):
    assert issubclass(config_class, TestingConfig)
    admin = factories.UserFactory(role=Role.ADMIN)
    client = build_app(WTF_CSRF_ENABLED=True).test_client()
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


@pytest.mark.parametrize("record_id", ["abc", "99999999999", "-1", "1.5", "١", "9" * 5000])
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
    # SQLite would store it and PostgreSQL refuse it: the service refuses it on both.
    response = client.post("/admin/customer/new/", data=customer_form(address="a\x00b"))
    assert_refused(response, "address", "cannot be stored")
    assert count(Customer) == 0


def editable(view: str):
    """A record of the admin view `view`, and the form data that edits it."""
    if view == "customer":
        record = factories.CustomerFactory()
        return record, customer_form(last_name="Коваленко")
    if view == "product":
        record = factories.ProductFactory()
        return record, product_form(name="Перейменований")
    if view == "loan":
        record = factories.LoanFactory()
        return record, loan_form(record.customer, record.product, amount="7500")
    record = factories.UserFactory(role=Role.MANAGER)
    return record, user_form(email=record.email, full_name="Нове ім'я", password="")


MODELS = {"customer": Customer, "product": Product, "loan": Loan, "user": User}
VIEWS = list(MODELS)


def stored(view: str, record_id: int) -> dict:
    db.session.rollback()
    model = MODELS[view]
    record = db.session.get(model, record_id, populate_existing=True)
    return {column.key: getattr(record, column.key) for column in model.__table__.columns}


@pytest.mark.parametrize("view", VIEWS)
def test_every_edit_form_carries_the_version_it_was_built_from(admin_client, view):
    record, _data = editable(view)
    html = admin_client.get(f"/admin/{view}/edit/?id={record.id}").get_data(as_text=True)
    assert f'<input id="version" name="version" type="hidden" value="{record.version}">' in html


@pytest.mark.parametrize("view", VIEWS)
def test_an_edit_from_the_current_version_is_saved(admin_client, view):
    record, data = editable(view)
    response = admin_client.post(
        f"/admin/{view}/edit/?id={record.id}", data={**data, "version": record.version}
    )
    assert response.status_code == 302
    assert stored(view, record.id)["version"] == 2


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("version", [None, "", "0", "1", "abc", "1e0", "-2", "99999999999"])
def test_an_edit_without_the_current_version_is_refused_as_stale(admin_client, view, version):
    record, data = editable(view)
    # Someone else saves the record while the form is open: it is at version 2 now.
    db.session.execute(
        MODELS[view].__table__.update().where(MODELS[view].id == record.id).values(version=2)
    )
    db.session.commit()
    before = stored(view, record.id)
    if version is not None:
        data = {**data, "version": version}
    response = admin_client.post(f"/admin/{view}/edit/?id={record.id}", data=data)
    assert response.status_code == 422
    assert "Someone else saved this record" in flashes(response.get_data(as_text=True))
    assert stored(view, record.id) == before


#: A value each view's form refuses.
REFUSED = {
    "customer": {"last_name": " "},
    "product": {"name": ""},
    "loan": {"amount": "1e3"},
    "user": {"email": "not-an-address"},
}


@pytest.mark.parametrize("view", VIEWS)
def test_a_refused_form_comes_back_with_422(admin_client, view):
    record, data = editable(view)
    before = stored(view, record.id)
    data = {**data, "version": record.version, **REFUSED[view]}
    response = admin_client.post(f"/admin/{view}/edit/?id={record.id}", data=data)
    assert response.status_code == 422
    assert stored(view, record.id) == before
    response = admin_client.post(f"/admin/{view}/new/", data=data)
    assert response.status_code == 422
    assert count(MODELS[view]) == 1 + (view == "user")  # the admin is a user too


@pytest.mark.parametrize(
    "target", ["/x\r\nX-Injected: 1", "/x\nSet-Cookie: a=b", "/x\x00", "/\\evil.example"]
)
def test_a_return_address_with_control_characters_is_dropped(admin_client, target):
    record, data = editable("customer")
    response = admin_client.post(
        "/admin/customer/edit/",
        query_string={"id": record.id, "url": target},
        data={**data, "version": record.version},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/customer/"
    assert "X-Injected" not in response.headers
    # A record that does not exist sends the browser back too; a form's own `url` as well.
    for method in (admin_client.get, admin_client.post):
        response = method("/admin/customer/edit/", query_string={"id": "999", "url": target})
        assert (response.status_code, response.headers["Location"]) == (302, "/admin/customer/")
    response = admin_client.post("/admin/customer/delete/", data={"id": "999", "url": target})
    assert (response.status_code, response.headers["Location"]) == (302, "/admin/customer/")
    # A safe one is still followed.
    response = admin_client.get("/admin/customer/edit/", query_string={"id": "9", "url": "/c/"})
    assert response.headers["Location"] == "/c/"


def shown_limits(html: str) -> dict[str, int]:
    """The maxlength of each field of a form that shows one."""
    limits = {}
    for tag in re.findall(r"<(?:input|textarea)\b[^>]*>", html):
        name, limit = re.search(r'name="([^"]+)"', tag), re.search(r'maxlength="(\d+)"', tag)
        if name and limit:
            limits[name[1]] = int(limit[1])
    return limits


@pytest.mark.parametrize(
    ("view", "fields"),
    [
        ("customer", {"last_name", "first_name", "patronymic", "phone", "email", "address"}),
        ("product", {"name", "description"}),
        ("user", {"email", "full_name"}),
    ],
)
def test_every_length_limit_a_form_shows_is_held_to(admin_client, view, fields):
    record, data = editable(view)
    html = admin_client.get(f"/admin/{view}/edit/?id={record.id}").get_data(as_text=True)
    limits = shown_limits(html)
    assert fields <= set(limits)
    before = stored(view, record.id)
    for name, limit in limits.items():
        too_long = {**data, "version": record.version, name: "я" * (limit + 1)}
        response = admin_client.post(f"/admin/{view}/edit/?id={record.id}", data=too_long)
        assert response.status_code == 422, name
        assert stored(view, record.id) == before


def admin_views(app) -> list:
    return [view for view in app.extensions["admin"][0]._views if hasattr(view, "model")]


def test_no_list_edits_in_place(app):
    """The list's rows show values only (admin/crm_list.html): an editable column would show
    its value but no editor."""
    assert [view.endpoint for view in admin_views(app) if view.column_editable_list] == []


@pytest.mark.parametrize(
    "return_url", ["/admin/loan/?page_size=25", f"/admin/loan/?search={ROW_ID}"]
)
def test_the_rows_buttons_lead_where_flask_admins_would(app, return_url):
    """Built once a page with a stand-in for the id, even a page whose own address holds it."""
    view = next(view for view in admin_views(app) if view.endpoint == "loan")
    with app.test_request_context("/admin/loan/"):
        rows = ListRows(
            view, return_url, [], selectable=False, delete_form=None, can_edit=True, can_delete=True
        )
        for row_id in (1, 42, 303613):
            for endpoint in (".details_view", ".edit_view"):
                expected = view.get_url(endpoint, id=row_id, url=return_url)
                assert rows.address(endpoint, row_id) == expected
