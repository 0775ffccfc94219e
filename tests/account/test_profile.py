"""The customer's profile, /account/profile: phone number and language, and a new password
(the current one first), which ends their other sessions."""

import re

import pytest

from crm.extensions import db
from crm.models import Customer
from tests import factories
from tests.account.conftest import UKRAINIAN
from tests.factories import PASSWORD

NEW_PASSWORD = "Kestrel-umbra-9417-vyshyvanka"


def save(client, customer: Customer, headers=None, **form):
    data = {"phone": customer.phone, "language": "en", "version": customer.version, **form}
    return client.post("/account/profile", data=data, headers=headers or {})


def reloaded(record):
    db.session.expire_all()
    return db.session.get(type(record), record.id)


def error_beside(html: str, field: str) -> str:
    match = re.search(
        rf'name="{field}"[^>]*>(?:[^<]|<(?!div))*<div class="invalid-feedback">([^<]*)<', html
    )
    assert match, f"no message beside {field}"
    return match.group(1)


def test_the_profile_shows_the_email_read_only_and_the_phone(html_of, me):
    html = html_of("/account/profile")

    assert re.search(rf'<input[^>]*value="{re.escape(me.email)}" readonly>', html)
    assert 'name="email"' not in html
    assert f'value="{me.customer.phone}"' in html
    assert f'name="version" type="hidden" value="{me.customer.version}"' in html
    assert 'action="/account/password"' in html
    # The address changes only through a link sent to the new one (crm/auth/email_change.py).
    assert re.search(r'<a href="/auth/email" id="change-email">', html)


def test_a_phone_is_saved_as_the_staff_form_saves_it(my_client, me):
    response = save(my_client, me.customer, phone="067 123 45 67")

    assert response.status_code == 302
    assert reloaded(me.customer).phone == "+380671234567"
    assert "Your details are saved." in my_client.get("/account/profile").get_data(as_text=True)


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "This field is required."),
        ("12", "Not a valid phone number."),
        ("not a phone", "Not a phone number."),
        ("+38067\x00123", "Not a phone number."),
    ],
)
def test_a_bad_phone_is_a_422_beside_the_field(my_client, me, phone, message):
    before = me.customer.phone

    response = save(my_client, me.customer, phone=phone, language="uk")

    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "phone") == message
    assert reloaded(me.customer).phone == before
    assert reloaded(me).locale is None


def test_another_customers_number_is_refused_without_naming_them(my_client, me):
    other = factories.CustomerFactory(last_name="Бойко", phone="+380677654321")
    before = me.customer.phone

    response = save(my_client, me.customer, phone="+38 (067) 765-43-21")

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Contact the lender" in error_beside(html, "phone")
    assert other.last_name not in html
    assert f"/customers/{other.id}" not in html
    assert reloaded(me.customer).phone == before


def test_the_language_is_saved_with_the_login(my_client, me):
    response = save(my_client, me.customer, language="uk")

    assert response.status_code == 302
    assert reloaded(me).locale == "uk"
    # The chosen language wins over the browser's.
    html = my_client.get("/account/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="uk">' in html
    assert "Мої кредити" in html


def test_an_unknown_language_is_refused(my_client, me):
    response = save(my_client, me.customer, language="xx")
    assert response.status_code == 422
    assert reloaded(me).locale is None


def test_a_stale_profile_saves_nothing(my_client, me):
    before = me.customer.phone

    response = save(my_client, me.customer, phone="067 123 45 67", version=me.customer.version + 1)

    assert response.status_code == 302
    assert reloaded(me.customer).phone == before
    html = my_client.get("/account/profile").get_data(as_text=True)
    assert "Your details changed after you opened the page" in html


def test_the_profile_in_ukrainian(html_of):
    html = html_of("/account/profile", UKRAINIAN)
    for text in ("Профіль", "Контакти та мова", "Телефон", "Мова", "Змінити пароль", "Зберегти"):
        assert text in html


# --- The password -------------------------------------------------------------------------------


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/account/password",
        data={"current_password": current, "password": new, "confirm": confirm or new},
    )


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(
    my_client, logged_in, me, client, security_log
):
    elsewhere = logged_in(me)

    response = change_password(my_client)

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile"
    assert reloaded(me).check_password(NEW_PASSWORD)
    assert my_client.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302
    assert [event["user_id"] for event in security_log("password_changed")] == [me.id]
    logged_in_again = client.post("/auth/login", data={"email": me.email, "password": NEW_PASSWORD})
    assert logged_in_again.status_code == 302


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"current": "wrong-password-1"}, "current_password", "This is not your current password."),
        ({"new": "short"}, "password", "at least 12 characters"),
        ({"new": "password1234"}, "password", "too easy to guess"),
        ({"confirm": "something-else-entirely"}, "confirm", "The passwords differ."),
    ],
)
def test_a_refused_password_is_a_422_beside_the_field(my_client, me, form, field, message):
    response = change_password(my_client, **form)

    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), field)
    assert reloaded(me).check_password(PASSWORD)


def test_the_password_needs_the_current_one(my_client, me):
    response = my_client.post("/account/password", data={"password": NEW_PASSWORD})
    assert response.status_code == 422
    assert reloaded(me).check_password(PASSWORD)


def test_a_login_without_a_customer_record_changes_its_language_only(client, login):
    from crm.models import Role
    from tests import factories

    user = factories.UserFactory(role=Role.CUSTOMER)
    login(user)
    html = client.get("/account/profile").get_data(as_text=True)
    assert 'name="phone"' not in html
    response = client.post("/account/profile", data={"language": "uk"})
    assert response.status_code == 302
    assert reloaded(user).locale == "uk"
