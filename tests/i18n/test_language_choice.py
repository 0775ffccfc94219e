"""Which language a page speaks: the user's saved choice, then this browser's choice, then
the browser's Accept-Language, then Ukrainian."""

import re

import pytest
from flask_babel import refresh

from crm.extensions import db
from crm.i18n.locale import COOKIE_NAME
from crm.models import Role, User
from tests import factories
from tests.auth.test_routes import CONTROL_CHARACTER_TARGETS
from tests.conftest import PASSWORD, csrf_token
from tests.i18n.conftest import ENGLISH, UKRAINIAN

UK_LOGIN = "Вхід до Credit CRM"
EN_LOGIN = "Log in to Credit CRM"


def page_language(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page names its language"
    return match.group(1)


def switch(client, language: str, next_url: str = "/auth/login", **kwargs):
    return client.post("/language", data={"language": language, "next": next_url, **kwargs})


def saved_language(user: User) -> str | None:
    db.session.expire_all()
    return db.session.get(User, user.id).locale


def test_without_any_choice_the_interface_is_ukrainian(client, production_languages):
    response = client.get("/auth/login")

    assert page_language(response) == "uk"
    assert UK_LOGIN in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("uk-UA,uk;q=0.9", "uk"),
        ("en-US,en;q=0.9", "en"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("en;q=0.4,uk;q=0.8", "uk"),
        ("de-DE,fr;q=0.5", "uk"),
        ("ru-RU,ru;q=0.9", "uk"),
    ],
)
def test_the_browser_language_decides_when_nothing_was_chosen(
    client, production_languages, accept, expected
):
    response = client.get("/auth/login", headers={"Accept-Language": accept})

    assert page_language(response) == expected


def test_a_choice_on_the_login_page_is_remembered_by_the_browser(client, production_languages):
    response = switch(client, "en")

    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    cookie = client.get_cookie(COOKIE_NAME)
    assert cookie.value == "en"
    assert cookie.http_only
    assert cookie.expires is not None, "kept when the browser restarts"
    later = client.get("/auth/login", headers=UKRAINIAN)
    assert page_language(later) == "en"
    assert EN_LOGIN in later.get_data(as_text=True)


def test_the_switch_returns_to_the_page_it_came_from_and_never_off_site(client, manager, login):
    login(manager)

    assert switch(client, "uk", "/customers/?q=abc").headers["Location"] == "/customers/?q=abc"
    assert switch(client, "uk", "https://evil.example/").headers["Location"] == "/"
    assert switch(client, "uk", "//evil.example/").headers["Location"] == "/"


@pytest.mark.parametrize("next_url", CONTROL_CHARACTER_TARGETS)
def test_the_switch_drops_a_return_address_with_control_characters(
    client, manager, login, next_url
):
    response = switch(client, "en", next_url)
    assert (response.status_code, response.headers["Location"]) == (302, "/auth/login")
    login(manager)

    response = switch(client, "uk", next_url)

    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert "X-Injected" not in response.headers
    assert saved_language(manager) == "uk"


@pytest.mark.parametrize("language", ["", "ru", "de", "uk-UA", "../en"])
def test_a_language_the_interface_does_not_speak_is_refused(client, language):
    response = switch(client, language)

    assert response.status_code == 400
    assert client.get_cookie(COOKIE_NAME) is None


def test_the_switch_needs_get_never(client):
    assert client.get("/language").status_code == 405


def test_the_switch_needs_the_forms_csrf_token(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/auth/login").get_data(as_text=True)

    assert switch(client, "uk").status_code == 400
    assert switch(client, "uk", csrf_token=csrf_token(page)).status_code == 302


def test_the_login_page_and_every_page_offer_the_switch(client, manager, login):
    login_page = client.get("/auth/login").get_data(as_text=True)
    login(manager)
    dashboard = client.get("/").get_data(as_text=True)
    admin = client.get("/admin/").get_data(as_text=True)

    for html in (login_page, dashboard, admin):
        assert 'action="/language"' in html
        assert 'name="language" value="uk"' in html
        assert 'name="language" value="en"' in html
        assert "Українська" in html


def test_a_logged_in_users_choice_is_saved_with_their_login(app, client, manager, login):
    login(manager)

    switch(client, "uk", "/")

    assert saved_language(manager) == "uk"
    other_browser = app.test_client()
    other_browser.post("/auth/login", data={"email": manager.email, "password": PASSWORD})
    response = other_browser.get("/", headers=ENGLISH)
    assert page_language(response) == "uk"
    assert "Огляд" in response.get_data(as_text=True)


def test_the_saved_choice_beats_the_browsers_cookie_and_accept_language(client, login):
    user = factories.UserFactory(role=Role.MANAGER, locale="en")
    client.set_cookie(COOKIE_NAME, "uk")
    login(user)

    response = client.get("/", headers=UKRAINIAN)

    assert page_language(response) == "en"
    assert saved_language(user) == "en"


def test_a_choice_on_the_login_page_wins_over_the_saved_one_and_is_saved(client, login):
    user = factories.UserFactory(role=Role.MANAGER, locale="uk")
    switch(client, "en")
    login(user)

    response = client.get("/", headers=UKRAINIAN)

    assert page_language(response) == "en"
    assert saved_language(user) == "en"
    client.post("/auth/logout")
    # The choice was used up by that log-in: the next one keeps what the login has.
    db.session.get(User, user.id).locale = "uk"
    db.session.commit()
    login(user)
    assert page_language(client.get("/", headers=ENGLISH)) == "uk"


def test_the_logged_out_page_speaks_the_language_the_user_was_using(
    client, login, production_languages
):
    user = factories.UserFactory(role=Role.MANAGER, locale="en")
    login(user)

    response = client.post("/auth/logout", headers=UKRAINIAN, follow_redirects=True)

    assert page_language(response) == "en"
    assert "You have logged out." in response.get_data(as_text=True)
    assert page_language(client.get("/auth/login", headers=UKRAINIAN)) == "en"


def test_switching_language_on_a_failed_posts_page_returns_to_the_form_page(client, manager, login):
    loan = factories.LoanFactory()
    login(manager)
    failed = client.post(f"/loans/{loan.id}/payments", data={"amount": ""})
    assert failed.status_code == 422
    next_url = re.search(r'name="next" value="([^"]+)"', failed.get_data(as_text=True))[1]

    response = switch(client, "en", next_url.replace("&amp;", "&"))

    assert response.headers["Location"] == f"/loans/{loan.id}"
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/loans/{id}/payments/7/reverse", "/loans/{id}"),
        ("/loans/{id}?history_page=2", "/loans/{id}?history_page=2"),
        ("/account/apply", "/account/apply"),
        ("/no/such/page", "/no/such/page"),
    ],
)
def test_the_switch_goes_back_to_the_nearest_page(client, manager, login, next_url, expected):
    loan = factories.LoanFactory()
    login(manager)

    response = switch(client, "uk", next_url.format(id=loan.id))

    assert response.headers["Location"] == expected.format(id=loan.id)


def test_a_saved_language_the_interface_no_longer_speaks_is_ignored(client, login):
    user = factories.UserFactory(role=Role.MANAGER, locale="ru")
    login(user)

    assert page_language(client.get("/", headers=UKRAINIAN)) == "uk"


def test_staff_and_customers_keep_their_own_choices(app, client, manager, customer_user, login):
    login(manager)
    switch(client, "en", "/")
    client.post("/auth/logout")
    login(customer_user)
    switch(client, "uk", "/account/")
    client.post("/auth/logout")

    assert (saved_language(manager), saved_language(customer_user)) == ("en", "uk")
    # The same browser, whose last choice was Ukrainian: each login gets its own language.
    login(manager)
    assert page_language(client.get("/")) == "en"
    client.post("/auth/logout")
    login(customer_user)
    assert page_language(client.get("/account/", headers=ENGLISH)) == "uk"


def test_messages_after_a_switch_come_in_the_new_language(client, manager, login):
    login(manager)
    switch(client, "uk", "/")

    response = client.post("/auth/logout", follow_redirects=True, headers=ENGLISH)

    assert "Ви вийшли із системи." in response.get_data(as_text=True)


def test_commands_speak_the_language_of_the_shell(app, runner):
    app.config["COMMAND_LANGUAGE"] = None
    piped = f"{PASSWORD}\n{PASSWORD}\n"

    refresh()
    ukrainian = runner.invoke(
        args=["users", "create", "olena@example.com", "--role", "manager"],
        input=piped,
        env={"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "uk_UA.UTF-8"},
    )
    refresh()
    english = runner.invoke(
        args=["users", "create", "petro@example.com", "--role", "manager"],
        input=piped,
        env={"LANGUAGE": "", "LC_ALL": "C.UTF-8", "LC_MESSAGES": "", "LANG": "uk_UA.UTF-8"},
    )

    assert "Створено обліковий запис olena@example.com з роллю manager" in ukrainian.output
    assert "Created manager petro@example.com" in english.output


def test_command_help_and_clicks_own_words_speak_the_language_of_the_shell(app, runner):
    app.config["COMMAND_LANGUAGE"] = None
    shell = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}

    refresh()
    ukrainian = runner.invoke(args=["loans", "quote", "--help"], env={**shell, "LANG": "uk_UA"})
    refresh()
    english = runner.invoke(args=["loans", "quote", "--help"], env={**shell, "LANG": "C.UTF-8"})
    refresh()
    mistake = runner.invoke(
        args=["loans", "quote", "--amount", "x"], env={**shell, "LANG": "uk_UA.UTF-8"}
    )

    assert ukrainian.exit_code == english.exit_code == 0
    for words in ("Використання:", "Параметри:", "Сума кредиту з точністю до копійки", "типово"):
        assert words in ukrainian.output
    for words in ("Usage:", "Options:", "Principal, to the cent", "default"):
        assert words in english.output
    assert "Options" not in ukrainian.output
    assert "Principal" not in ukrainian.output
    assert mistake.exit_code == 2
    assert "Помилка: Неправильне значення '--amount': 'x' — не число." in mistake.output
