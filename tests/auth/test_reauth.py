"""Re-authentication before creating logins and changing them (crm/auth/reauth.py): the
password again, and the code when there is a second factor; it holds for REAUTH_MAX_AGE."""

import pyotp
import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Role, User
from tests import factories
from tests.admin.pages import user_form
from tests.conftest import PASSWORD
from tests.i18n.conftest import UKRAINIAN

GUARDED = ["/admin/user/new/", "/admin/user/edit/?id={id}"]


@pytest.mark.parametrize("path", GUARDED)
def test_user_forms_ask_the_admin_to_confirm_first(client, login, admin_user, path):
    login(admin_user)

    response = client.get(path.format(id=admin_user.id))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/confirm?next=/admin/user/")


def test_creating_a_login_without_confirming_creates_nothing(client, login, admin_user):
    login(admin_user)

    response = client.post("/admin/user/new/", data=user_form(role="admin"))

    assert response.status_code == 302
    assert "/auth/confirm" in response.headers["Location"]
    assert (
        db.session.scalar(select(User).where(User.role == Role.ADMIN, User.id != admin_user.id))
        is None
    )


def test_changing_a_role_without_confirming_changes_nothing(client, login, admin_user, manager):
    login(admin_user)

    client.post(
        f"/admin/user/edit/?id={manager.id}",
        data=user_form(email=manager.email, role="admin", password=""),
    )

    assert db.session.get(User, manager.id).role is Role.MANAGER


def test_deleting_a_login_without_confirming_comes_back_to_the_list(client, login, admin_user):
    other = factories.UserFactory(role=Role.CUSTOMER)
    login(admin_user)

    response = client.post("/admin/user/delete/", data={"id": other.id})

    assert response.headers["Location"] == "/auth/confirm?next=/admin/user/"
    assert db.session.get(User, other.id) is not None


def test_the_confirmation_leads_back_to_the_form(client, login, admin_user):
    login(admin_user)

    response = client.post(
        "/auth/confirm", query_string={"next": "/admin/user/new/"}, data={"password": PASSWORD}
    )

    assert response.headers["Location"] == "/admin/user/new/"
    assert client.get("/admin/user/new/").status_code == 200


def test_a_wrong_password_is_refused_in_the_users_language(client, login, admin_user):
    login(admin_user)

    response = client.post("/auth/confirm", data={"password": "not-it"}, headers=UKRAINIAN)

    assert response.status_code == 422
    assert "Неправильний пароль." in response.get_data(as_text=True)
    assert client.get("/admin/user/new/").status_code == 302


def test_with_a_second_factor_the_code_is_asked_too(client, login, clock, admin_user):
    secret, _codes = factories.enrol_second_factor(admin_user, clock.now)
    clock.advance(seconds=30)
    client.post("/auth/login", data={"email": admin_user.email, "password": PASSWORD})
    client.post("/auth/login/code", data={"code": pyotp.TOTP(secret).at(clock.now)})
    clock.advance(seconds=30)

    page = client.get("/auth/confirm").get_data(as_text=True)
    without = client.post("/auth/confirm", data={"password": PASSWORD})
    wrong = client.post("/auth/confirm", data={"password": PASSWORD, "code": "000000"})
    right = client.post(
        "/auth/confirm", data={"password": PASSWORD, "code": pyotp.TOTP(secret).at(clock.now)}
    )

    assert 'name="code"' in page
    assert without.status_code == wrong.status_code == 422
    assert right.status_code == 302
    assert client.get("/admin/user/new/").status_code == 200


def test_the_confirmation_runs_out(app, client, login, reauthenticate, clock, admin_user):
    login(admin_user)
    reauthenticate()
    clock.advance(seconds=app.config["REAUTH_MAX_AGE"] - 1)
    assert client.get("/admin/user/new/").status_code == 200

    clock.advance(seconds=2)

    assert client.get("/admin/user/new/").status_code == 302


def test_the_confirmation_belongs_to_the_user_who_gave_it(
    client, login, reauthenticate, admin_user
):
    other_admin = factories.UserFactory(role=Role.ADMIN)
    login(admin_user)
    reauthenticate()
    client.post("/auth/logout")
    login(other_admin)

    assert client.get("/admin/user/new/").status_code == 302


def test_json_clients_are_told_to_confirm(client, login, admin_user):
    login(admin_user)

    response = client.get("/admin/user/new/", headers={"Accept": "application/json"})

    assert response.status_code == 401
    assert response.json == {"error": "Confirm your password to go on.", "field": "password"}


def test_a_manager_still_gets_403_not_a_confirmation(client, login, manager):
    login(manager)

    assert client.get("/admin/user/new/").status_code == 403


def test_confirming_is_limited_per_user(client, login, admin_user):
    login(admin_user)
    answers = [
        client.post("/auth/confirm", data={"password": "not-it"}).status_code for _ in range(5)
    ]

    assert answers == [422] * 5
    assert client.post("/auth/confirm", data={"password": PASSWORD}).status_code == 429


def test_the_confirmation_page_needs_a_log_in(client):
    response = client.get("/auth/confirm")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
