"""The admin's logins (crm/admin/users.py), driven through real requests."""

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Customer, Role, User
from tests import factories
from tests.admin.pages import assert_refused, count, field_errors, flashes, user_form


def test_admin_creates_a_user_who_can_log_in(client, login, reauthenticate, admin_user):
    login(admin_user)
    reauthenticate()
    html = client.get("/admin/user/new/").get_data(as_text=True)
    assert 'type="password"' in html
    assert "password_hash" not in html
    assert client.post("/admin/user/new/", data=user_form()).status_code == 302
    user = db.session.scalars(select(User).where(User.email == "new.manager@example.com")).one()
    assert user.role is Role.MANAGER
    assert user.password_hash != "long-enough-secret"
    assert user.check_password("long-enough-secret")
    client.post("/auth/logout")
    response = client.post(
        "/auth/login", data={"email": "new.manager@example.com", "password": "long-enough-secret"}
    )
    assert response.status_code == 302


def test_password_hash_is_never_shown(client, login, reauthenticate, admin_user):
    login(admin_user)
    reauthenticate()
    pages = [
        "/admin/user/",
        f"/admin/user/details/?id={admin_user.id}",
        f"/admin/user/edit/?id={admin_user.id}",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert admin_user.password_hash not in html
        assert "password_hash" not in html.lower().replace("-", "_")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "short"}, "password", "at least 12 characters"),
        ({"password": ""}, "password", "at least 12 characters"),
        ({"password": "password"}, "password", "at least 12 characters"),
        ({"password": "aaaaaaaa"}, "password", "at least 12 characters"),
        ({"password": "password1234"}, "password", "too easy to guess"),
        ({"email": "TAKEN@example.com"}, "email", "already exists"),
        ({"email": "nobody@"}, "email", "Not a valid e-mail address."),
        ({"role": "root"}, "role", "Invalid Choice"),
    ],
)
def test_bad_user_input_is_shown_beside_its_field(
    client, login, reauthenticate, admin_user, changes, field, message
):
    factories.UserFactory(email="taken@example.com")
    login(admin_user)
    reauthenticate()
    response = client.post("/admin/user/new/", data=user_form(**changes))
    assert_refused(response, field, message)
    assert count(User) == 2


def test_editing_a_user_without_a_password_keeps_it(client, login, reauthenticate, admin_user):
    user = factories.UserFactory(role=Role.MANAGER)
    old_hash = user.password_hash
    login(admin_user)
    reauthenticate()
    response = client.post(
        f"/admin/user/edit/?id={user.id}",
        data=user_form(email=user.email, password="", active="", version=user.version),
    )
    assert response.status_code == 302
    user = db.session.get(User, user.id)
    assert user.password_hash == old_hash
    assert not user.active


def test_admin_cannot_lock_themselves_out(client, login, reauthenticate, admin_user):
    login(admin_user)
    reauthenticate()
    response = client.post(
        f"/admin/user/edit/?id={admin_user.id}",
        data=user_form(
            email=admin_user.email, role="manager", password="", version=admin_user.version
        ),
    )
    assert "You cannot change your own role." in field_errors(
        response.get_data(as_text=True), "role"
    )
    response = client.post("/admin/user/delete/", data={"id": admin_user.id}, follow_redirects=True)
    assert "You cannot delete your own login." in flashes(response.get_data(as_text=True))
    assert db.session.get(User, admin_user.id).role is Role.ADMIN


def test_user_who_manages_customers_is_not_deleted(
    client, login, reauthenticate, admin_user, manager
):
    factories.CustomerFactory(manager=manager)
    login(admin_user)
    reauthenticate()
    response = client.post("/admin/user/delete/", data={"id": manager.id}, follow_redirects=True)
    assert "manages customers and cannot be deleted" in flashes(response.get_data(as_text=True))
    assert db.session.get(User, manager.id) is not None


def test_customers_login_can_be_deleted_and_the_customer_stays(
    client, login, reauthenticate, admin_user, customer_user
):
    login(admin_user)
    reauthenticate()
    assert client.post("/admin/user/delete/", data={"id": customer_user.id}).status_code == 302
    assert db.session.get(User, customer_user.id) is None
    assert db.session.get(Customer, customer_user.customer_id) is not None


def test_manager_of_customers_cannot_become_a_customer_login(
    client, login, reauthenticate, admin_user, manager
):
    factories.CustomerFactory(manager=manager)
    login(admin_user)
    reauthenticate()
    response = client.post(
        f"/admin/user/edit/?id={manager.id}",
        data=user_form(email=manager.email, role="customer", password="", version=manager.version),
    )
    assert "give them another manager first" in " ".join(
        field_errors(response.get_data(as_text=True), "role")
    )
    assert db.session.get(User, manager.id).role is Role.MANAGER
