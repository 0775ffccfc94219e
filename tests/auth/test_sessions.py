"""Log-in sessions the server keeps and ends: log-out, "remember me", timeouts, the
password page and "log out everywhere", driven through real requests."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from crm.extensions import db
from crm.models import User
from tests.factories import PASSWORD

NEW_PASSWORD = "harbour-lantern-73-vyshyvanka"
STAFF_PAGE = "/customers/"


def status(client, path: str = STAFF_PAGE) -> int:
    return client.get(path).status_code


def invalid_fields(html: str) -> set[str]:
    """The names of the inputs that a page marks invalid (the message sits beside each)."""
    inputs = re.findall(r"<input[^>]*>", html)
    return {re.search(r'name="([^"]+)"', tag)[1] for tag in inputs if "is-invalid" in tag}


def browser_with(app, **cookies: str):
    """A fresh browser holding only these cookies (a replay, or a restart)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def test_replaying_the_session_cookie_after_log_out_opens_nothing(app, logged_in, manager):
    client = logged_in(manager)
    session_cookie = client.get_cookie("session").value
    assert status(client) == 200

    client.post("/auth/logout")

    response = browser_with(app, session=session_cookie).get(STAFF_PAGE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_each_log_in_gets_a_remember_token_of_its_own_for_at_most_30_days(logged_in, manager):
    cookies = [logged_in(manager, remember=True).get_cookie("remember_token") for _ in range(2)]

    assert cookies[0].value != cookies[1].value
    assert all(cookie.value.split("|")[0] != str(manager.id) for cookie in cookies)
    latest = datetime.now(UTC) + timedelta(days=30, minutes=1)
    assert all(cookie.expires <= latest for cookie in cookies)


def test_remember_me_opens_a_restarted_browser_until_the_session_is_logged_out(
    app, logged_in, manager
):
    client = logged_in(manager, remember=True)
    remember = client.get_cookie("remember_token").value
    restarted = browser_with(app, remember_token=remember)
    assert [status(restarted), status(restarted)] == [200, 200]

    client.post("/auth/logout")

    assert status(restarted) == 302
    assert status(browser_with(app, remember_token=remember)) == 302


def test_a_password_change_keeps_this_session_and_ends_the_others(
    app, logged_in, manager, security_log
):
    elsewhere = logged_in(manager, remember=True)
    remember = elsewhere.get_cookie("remember_token").value
    here = logged_in(manager)

    response = here.post(
        "/auth/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert status(here) == 200
    assert status(elsewhere) == 302
    assert status(browser_with(app, remember_token=remember)) == 302
    assert db.session.get(User, manager.id).check_password(NEW_PASSWORD)
    (event,) = security_log("password_changed")
    assert (event["user_id"], event["by"]) == (manager.id, manager.id)


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"current_password": "not-my-password"}, "current_password", "not your current password"),
        ({"confirm": "harbour-lantern-73-different"}, "confirm", "The passwords differ."),
        ({"password": "short", "confirm": "short"}, "password", ""),
    ],
    ids=["wrong current password", "confirmation differs", "refused by the policy"],
)
def test_a_refused_password_change_changes_nothing(logged_in, manager, form, field, message):
    elsewhere = logged_in(manager)
    here = logged_in(manager)
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}

    response = here.post("/auth/password", data={**data, **form})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert invalid_fields(html) == {field}
    assert message in html
    assert db.session.get(User, manager.id).check_password(PASSWORD)
    assert [status(here), status(elsewhere)] == [200, 200]


def test_log_out_everywhere_ends_every_session_of_the_user_and_no_one_elses(
    logged_in, manager, admin_user, security_log
):
    phone = logged_in(manager, remember=True)
    laptop = logged_in(manager)
    colleague = logged_in(admin_user)

    response = laptop.post("/auth/logout-everywhere")

    assert response.headers["Location"] == "/auth/login"
    assert [status(laptop), status(phone), status(colleague)] == [302, 302, 200]
    (event,) = security_log("sessions_ended_everywhere")
    assert (event["user_id"], event["sessions"]) == (manager.id, 2)


@pytest.mark.parametrize("role", ["manager", "customer_user"])
def test_the_menu_offers_the_password_page_and_log_out_everywhere(request, logged_in, role):
    user = request.getfixturevalue(role)
    client = logged_in(user)
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert 'href="/auth/password"' in home
    assert 'action="/auth/logout-everywhere"' in home
    assert status(client, "/auth/password") == 200


def test_the_password_page_needs_a_log_in(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_log_in_and_log_out_are_logged(client, login, manager, security_log):
    login(manager)
    client.post("/auth/logout")
    (logged_in,) = security_log("log_in")
    (logged_out,) = security_log("log_out")
    assert logged_in["user_id"] == logged_out["user_id"] == manager.id
    assert logged_in["ip"] == "127.0.0.1"


def test_a_log_in_without_remember_me_deletes_an_old_remember_cookie(app, manager):
    client = browser_with(app, remember_token="an-old-token|not-signed-by-this-key")
    form = {"email": manager.email, "password": PASSWORD}

    response = client.post("/auth/login", data=form)

    assert response.status_code == 302
    assert client.get_cookie("remember_token") is None
    assert status(client) == 200
