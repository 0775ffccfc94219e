"""An admin sees a login's open sessions and ends them; changing a login's password, role
or Active flag in the admin ends its sessions at once."""

import re

import pytest

from crm.extensions import db
from crm.models import Role, User, UserSession
from tests.admin.pages import user_form
from tests.factories import PASSWORD

STAFF_PAGE = "/customers/"
NEW_PASSWORD = "harbour-lantern-73-vyshyvanka"


def status(client, path: str = STAFF_PAGE) -> int:
    return client.get(path).status_code


def session_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'name="session" value="(\d+)"', html)]


def confirmed(client):
    """The admin's browser once they confirmed their password, which the user admin asks
    for before it changes a login or ends its sessions (crm/auth/reauth.py)."""
    assert client.post("/auth/confirm", data={"password": PASSWORD}).status_code == 302
    return client


def edit(admin, user, **changes):
    data = user_form(email=user.email, full_name=user.full_name, role=user.role.value)
    data |= {"password": "", "version": user.version, **changes}
    return admin.post(f"/admin/user/edit/?id={user.id}", data=data)


@pytest.mark.parametrize("form", ["edit", "details"])
def test_the_admin_shows_a_logins_open_sessions(logged_in, admin_user, manager, form):
    logged_in(manager, REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Firefox/140.0")
    logged_out = logged_in(manager)
    logged_out.post("/auth/logout")
    admin = confirmed(logged_in(admin_user))

    html = admin.get(f"/admin/user/{form}/?id={manager.id}").get_data(as_text=True)

    assert "198.51.100.7" in html
    assert "Firefox/140.0" in html
    assert len(session_ids(html)) == 1
    assert "End all sessions" in html


def test_an_admin_ends_one_session_and_that_browser_is_logged_out(
    logged_in, admin_user, manager, security_log
):
    phone = logged_in(manager, REMOTE_ADDR="198.51.100.7")
    laptop = logged_in(manager, REMOTE_ADDR="198.51.100.8")
    admin = confirmed(logged_in(admin_user))
    phone_session = db.session.scalar(
        UserSession.__table__.select()
        .with_only_columns(UserSession.id)
        .where(UserSession.ip_address == "198.51.100.7")
    )

    response = admin.post(
        "/admin/user/sessions/end/", data={"user": manager.id, "session": phone_session}
    )

    assert response.status_code == 302
    assert [status(phone), status(laptop), status(admin)] == [302, 200, 200]
    (event,) = security_log("session_ended")
    assert (event["user_id"], event["by"], event["reason"]) == (
        manager.id,
        admin_user.id,
        "ended_by_admin",
    )


def test_an_admin_ends_all_sessions_of_a_login(logged_in, admin_user, manager, security_log):
    browsers = [logged_in(manager), logged_in(manager, remember=True)]
    admin = confirmed(logged_in(admin_user))

    admin.post("/admin/user/sessions/end/", data={"user": manager.id})

    assert [status(client) for client in browsers] == [302, 302]
    assert security_log("session_ended")[0]["sessions"] == 2
    html = admin.get(f"/admin/user/edit/?id={manager.id}").get_data(as_text=True)
    assert session_ids(html) == []
    assert "No open sessions." in html


def test_a_session_of_another_login_is_not_found(logged_in, admin_user, manager):
    logged_in(manager)
    admin = confirmed(logged_in(admin_user))
    own = db.session.scalar(
        UserSession.__table__.select()
        .with_only_columns(UserSession.id)
        .where(UserSession.user_id == admin_user.id)
    )
    response = admin.post("/admin/user/sessions/end/", data={"user": manager.id, "session": own})
    assert response.status_code == 404
    assert status(admin) == 200


def test_only_admins_end_sessions(logged_in, manager, admin_user):
    admins_browser = logged_in(admin_user)
    client = logged_in(manager)
    response = client.post("/admin/user/sessions/end/", data={"user": admin_user.id})
    assert response.status_code == 403
    assert status(admins_browser) == 200


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"password": NEW_PASSWORD}, "password_changed"),
        ({"active": ""}, "deactivated"),
        ({"role": "admin"}, "role_changed"),
    ],
    ids=["password", "deactivation", "role"],
)
def test_a_change_in_the_admin_ends_the_logins_sessions(
    logged_in, admin_user, manager, security_log, changes, reason
):
    users_browser = logged_in(manager, remember=True)
    admin = confirmed(logged_in(admin_user))

    assert edit(admin, manager, **changes).status_code == 302

    assert status(users_browser) == 302
    assert status(admin) == 200
    (event,) = security_log("session_ended")
    assert (event["user_id"], event["reason"], event["by"]) == (manager.id, reason, admin_user.id)


def test_an_admin_changing_their_own_password_stays_logged_in_here_only(
    logged_in, admin_user, security_log
):
    elsewhere = logged_in(admin_user)
    admin = confirmed(logged_in(admin_user))

    assert edit(admin, admin_user, password=NEW_PASSWORD).status_code == 302

    assert [status(admin), status(elsewhere)] == [200, 302]
    assert db.session.get(User, admin_user.id).check_password(NEW_PASSWORD)
    (event,) = security_log("password_changed")
    assert event["by"] == admin_user.id


def test_an_edit_that_changes_nothing_of_the_kind_keeps_the_sessions(
    logged_in, admin_user, manager
):
    users_browser = logged_in(manager)
    admin = confirmed(logged_in(admin_user))
    assert edit(admin, manager, full_name="Петро Іваненко").status_code == 302
    assert status(users_browser) == 200
    assert db.session.get(User, manager.id).role is Role.MANAGER


def test_a_deleted_login_takes_its_sessions_along(logged_in, admin_user, customer_user):
    customers_browser = logged_in(customer_user, remember=True)
    admin = confirmed(logged_in(admin_user))

    assert admin.post("/admin/user/delete/", data={"id": customer_user.id}).status_code == 302

    assert db.session.get(User, customer_user.id) is None
    assert status(customers_browser, "/account/") == 302
    assert (
        db.session.scalar(
            UserSession.__table__.select()
            .with_only_columns(UserSession.id)
            .where(UserSession.user_id == customer_user.id)
        )
        is None
    )


def test_ending_someone_elses_sessions_asks_the_admin_to_confirm_first(
    logged_in, admin_user, manager
):
    managers_browser = logged_in(manager)
    admin = logged_in(admin_user)

    response = admin.post("/admin/user/sessions/end/", data={"user": manager.id})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/confirm")
    assert status(managers_browser) == 200
    assert db.session.query(UserSession).filter_by(user_id=manager.id, ended_at=None).count() == 1
