"""The second-factor pages of the staff site, the banner, and STAFF_TOTP_REQUIRED."""

import json
import logging
import re

import pyotp
import pytest

from crm.extensions import db
from crm.models import SecondFactor, User
from tests import factories
from tests.i18n.conftest import UKRAINIAN
from tests.i18n.test_every_page import LATIN_WORD, _SeenText

SECRET_INPUT = re.compile(r'<input[^>]*id="secret"[^>]*value="([A-Z2-7]{32})"')
RECOVERY_CODE = re.compile(r"<li>([0-9a-z]{4}(?:-[0-9a-z]{4}){3})</li>")
BANNER = "Set up a second factor"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def events(caplog, name: str) -> list[dict]:
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "crm.security"]
    return [line for line in lines if line["event"] == name]


def test_a_manager_sets_up_the_app_and_gets_ten_recovery_codes_once(
    client, login, reauthenticate, clock, manager, caplog
):
    caplog.set_level(logging.INFO, logger="crm.security")
    login(manager)
    reauthenticate()

    page = client.get("/second-factor/setup").get_data(as_text=True)
    secret = SECRET_INPUT.search(page).group(1)
    shown = client.post("/second-factor/setup", data={"code": pyotp.TOTP(secret).at(clock.now)})

    assert '<svg width="' in page  # inline: no data: URI, no request of its own
    assert 'class="crm-qr"' in page
    assert "data:" not in page
    assert not INLINE_SCRIPT.search(page)
    assert shown.status_code == 200
    codes = RECOVERY_CODE.findall(shown.get_data(as_text=True))
    assert len(set(codes)) == 10
    factor = db.session.get(User, manager.id).second_factor
    assert factor.secret == secret
    assert factor.unused_recovery_codes == 10
    assert [event["user_id"] for event in events(caplog, "second_factor_enrolled")] == [manager.id]
    assert client.get("/second-factor/").get_data(as_text=True).count("10 recovery codes left") == 1


def test_the_qr_code_carries_the_secret_for_this_login(client, login, reauthenticate, manager):
    login(manager)
    reauthenticate()

    first = SECRET_INPUT.search(client.get("/second-factor/setup").get_data(as_text=True))
    again = SECRET_INPUT.search(client.get("/second-factor/setup").get_data(as_text=True))

    assert first.group(1) == again.group(1), "a reload keeps the secret the app may have scanned"


def test_a_wrong_first_code_sets_nothing_up(client, login, reauthenticate, manager):
    login(manager)
    reauthenticate()
    client.get("/second-factor/setup")

    response = client.post("/second-factor/setup", data={"code": "123 456"}, headers=UKRAINIAN)

    assert response.status_code == 422
    assert "Це не той код, який зараз показує застосунок." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(SecondFactor)) is None


def test_setting_up_needs_a_recent_confirmation(client, login, manager):
    login(manager)

    response = client.get("/second-factor/setup")

    assert response.headers["Location"] == "/auth/confirm?next=/second-factor/setup"


def test_customers_have_no_second_factor_pages(client, login, customer_user):
    login(customer_user)

    assert client.get("/second-factor/").status_code == 403
    assert client.get("/second-factor/setup").status_code == 403


def test_turning_it_off_needs_a_confirmation_and_is_logged(
    client, login, reauthenticate, clock, manager, caplog
):
    factories.enrol_second_factor(manager, clock.now)
    clock.advance(seconds=30)
    client.post("/auth/login", data={"email": manager.email, "password": factories.PASSWORD})
    caplog.set_level(logging.INFO, logger="crm.security")
    secret = manager.second_factor.secret
    client.post("/auth/login/code", data={"code": pyotp.TOTP(secret).at(clock.now)})

    unconfirmed = client.post("/second-factor/remove")
    assert unconfirmed.headers["Location"] == "/auth/confirm?next=/second-factor/"
    assert db.session.scalar(db.select(SecondFactor)) is not None
    clock.advance(seconds=30)
    reauthenticate(code=pyotp.TOTP(secret).at(clock.now))
    client.post("/second-factor/remove")

    assert db.session.scalar(db.select(SecondFactor)) is None
    assert [event["by"] for event in events(caplog, "second_factor_removed")] == [manager.id]


def test_new_recovery_codes_replace_the_old_ones(client, login, reauthenticate, clock, manager):
    secret, old_codes = factories.enrol_second_factor(manager, clock.now)
    clock.advance(seconds=30)
    client.post("/auth/login", data={"email": manager.email, "password": factories.PASSWORD})
    client.post("/auth/login/code", data={"code": old_codes[0]})
    reauthenticate(code=pyotp.TOTP(secret).at(clock.now))

    response = client.post("/second-factor/recovery-codes")

    new_codes = RECOVERY_CODE.findall(response.get_data(as_text=True))
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert db.session.get(User, manager.id).second_factor.unused_recovery_codes == 10


@pytest.fixture
def required(app):
    app.config["STAFF_TOTP_REQUIRED"] = True


def test_when_required_staff_without_it_are_sent_to_set_it_up(client, login, required, manager):
    login(manager)

    assert client.get("/").headers["Location"] == "/second-factor/"
    assert client.get("/admin/").headers["Location"] == "/second-factor/"
    assert client.get("/customers/", headers={"Accept": "application/json"}).status_code == 403
    page = client.get("/second-factor/").get_data(as_text=True)
    assert "Staff logins need a second factor here" in page
    assert client.get("/auth/confirm").status_code == 200
    assert client.post("/auth/logout").status_code == 302


def test_when_required_staff_with_it_and_customers_work_as_before(
    app, client, login, required, clock, manager, customer_user
):
    secret, _codes = factories.enrol_second_factor(manager, clock.now)
    clock.advance(seconds=30)
    client.post("/auth/login", data={"email": manager.email, "password": factories.PASSWORD})
    client.post("/auth/login/code", data={"code": pyotp.TOTP(secret).at(clock.now)})
    assert client.get("/").status_code == 200

    customer = app.test_client()
    customer.post(
        "/auth/login", data={"email": customer_user.email, "password": factories.PASSWORD}
    )
    assert customer.get("/account/").status_code == 200


def test_not_required_by_default_outside_production(app):
    assert app.config["STAFF_TOTP_REQUIRED"] is False


def test_staff_without_it_see_a_banner_on_the_staff_site_and_the_admin(client, login, admin_user):
    login(admin_user)

    for page in ("/", "/customers/", "/admin/"):
        html = client.get(page).get_data(as_text=True)
        assert BANNER in html, page
        assert 'href="/second-factor/"' in html
    ukrainian = client.get("/", headers=UKRAINIAN).get_data(as_text=True)
    assert "Налаштувати другий фактор" in ukrainian
    assert BANNER not in client.get("/second-factor/").get_data(as_text=True)


def test_no_banner_with_a_second_factor_or_for_customers(
    app, client, login, clock, admin_user, customer_user
):
    secret, _codes = factories.enrol_second_factor(admin_user, clock.now)
    clock.advance(seconds=30)
    client.post("/auth/login", data={"email": admin_user.email, "password": factories.PASSWORD})
    client.post("/auth/login/code", data={"code": pyotp.TOTP(secret).at(clock.now)})
    assert client.get("/").status_code == 200
    assert BANNER not in client.get("/").get_data(as_text=True)
    assert BANNER not in client.get("/admin/").get_data(as_text=True)

    customer = app.test_client()
    customer.post(
        "/auth/login", data={"email": customer_user.email, "password": factories.PASSWORD}
    )
    assert BANNER not in customer.get("/account/").get_data(as_text=True)


def test_the_setup_pages_speak_ukrainian(client, login, reauthenticate, clock, manager):
    login(manager)
    reauthenticate()
    setup = client.get("/second-factor/setup", headers=UKRAINIAN).get_data(as_text=True)
    secret = SECRET_INPUT.search(setup).group(1)
    codes = client.post(
        "/second-factor/setup",
        data={"code": pyotp.TOTP(secret).at(clock.now)},
        headers=UKRAINIAN,
    ).get_data(as_text=True)
    status = client.get("/second-factor/", headers=UKRAINIAN).get_data(as_text=True)
    client.post("/auth/logout", headers=UKRAINIAN)
    clock.advance(seconds=30)
    client.post("/auth/login", data={"email": manager.email, "password": factories.PASSWORD})
    code_step = client.get("/auth/login/code", headers=UKRAINIAN).get_data(as_text=True)

    for html in (setup, RECOVERY_CODE.sub("", codes), status, code_step):
        reader = _SeenText()
        reader.feed(html)
        seen = " ".join(reader.texts)
        assert set(LATIN_WORD.findall(seen)) <= {
            "Credit",
            "CRM",
            "ENG",
            "English",
            "Petro",
            "Manager",
        }
    assert "Залишилося 10 резервних кодів." in status
