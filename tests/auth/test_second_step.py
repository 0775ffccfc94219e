"""A log-in with a second factor: the password, then the app's code (or a recovery code).
Time comes from the test clock (tests/conftest.py), never from sleeping."""

import json
import logging

import pyotp
import pytest

from crm.extensions import db
from crm.models import RecoveryCode, Role
from tests import factories
from tests.conftest import PASSWORD

CODE_LIMIT = 5


@pytest.fixture
def enrolled(clock, manager):
    """The manager with an authenticator app set up a minute ago: (secret, recovery codes)."""
    secret, codes = factories.enrol_second_factor(manager, clock.now)
    clock.advance(minutes=1)
    return secret, codes


def password_step(client, user, **query):
    return client.post(
        "/auth/login", query_string=query, data={"email": user.email, "password": PASSWORD}
    )


def code_step(client, code: str):
    return client.post("/auth/login/code", data={"code": code})


def logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_the_password_alone_no_longer_logs_in(client, manager, enrolled):
    response = password_step(client, manager)

    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login/code"
    assert not logged_in(client)
    page = client.get("/auth/login/code").get_data(as_text=True)
    assert 'name="code"' in page
    assert 'autocomplete="one-time-code"' in page


def test_the_apps_code_completes_the_log_in_and_goes_where_it_was_headed(
    client, clock, manager, enrolled
):
    secret, _codes = enrolled
    password_step(client, manager, next="/customers/")

    response = code_step(client, pyotp.TOTP(secret).at(clock.now))

    assert response.status_code == 302
    assert response.headers["Location"] == "/customers/"
    assert logged_in(client)


@pytest.mark.parametrize("offset", [-30, 30])
def test_a_code_one_step_early_or_late_is_accepted(client, clock, manager, enrolled, offset):
    secret, _codes = enrolled
    password_step(client, manager)

    assert (
        code_step(client, pyotp.TOTP(secret).at(clock.now.timestamp() + offset)).status_code == 302
    )


def test_a_wrong_or_old_code_is_refused_beside_the_field_and_logged(
    client, clock, manager, enrolled, caplog
):
    secret, _codes = enrolled
    caplog.set_level(logging.INFO, logger="crm.security")
    password_step(client, manager)

    stale = code_step(client, pyotp.TOTP(secret).at(clock.now.timestamp() - 90))
    garbage = code_step(client, "１２３４５６")

    for response in (stale, garbage):
        assert response.status_code == 422
        assert "That is not the code the app shows now." in response.get_data(as_text=True)
    assert not logged_in(client)
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "crm.security"]
    failed = [event for event in events if event["event"] == "second_factor_failed"]
    assert [event["user_id"] for event in failed] == [manager.id, manager.id]


def test_a_code_cannot_be_used_twice(app, clock, manager, enrolled):
    secret, _codes = enrolled
    code = pyotp.TOTP(secret).at(clock.now)
    first, second = app.test_client(), app.test_client()
    password_step(first, manager)
    password_step(second, manager)

    assert code_step(first, code).status_code == 302
    assert code_step(second, code).status_code == 422
    clock.advance(seconds=30)
    assert code_step(second, pyotp.TOTP(secret).at(clock.now)).status_code == 302


def test_the_code_of_the_setup_step_does_not_log_in(client, clock, manager):
    secret, _codes = factories.enrol_second_factor(manager, clock.now)
    password_step(client, manager)

    assert code_step(client, pyotp.TOTP(secret).at(clock.now)).status_code == 422


def test_a_recovery_code_logs_in_once(app, clock, manager, enrolled, caplog):
    _secret, codes = enrolled
    caplog.set_level(logging.INFO, logger="crm.security")
    first, second = app.test_client(), app.test_client()
    password_step(first, manager)
    password_step(second, manager)

    typed = codes[0].upper().replace("-", " ")
    assert code_step(first, typed).status_code == 302
    assert code_step(second, codes[0]).status_code == 422
    used = db.session.scalars(db.select(RecoveryCode).where(RecoveryCode.used_at.is_not(None)))
    assert len(used.all()) == 1
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "crm.security"]
    (event,) = [event for event in events if event["event"] == "recovery_code_used"]
    assert event["left"] == 9


def test_recovery_codes_are_stored_hashed(manager, enrolled):
    _secret, codes = enrolled
    stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()

    assert len(codes) == len(stored) == 10
    assert not {code.replace("-", "") for code in codes} & set(stored)
    assert all(len(code.replace("-", "")) == 16 for code in codes)


def test_the_code_step_expires_with_the_test_clock(app, client, clock, manager, enrolled):
    secret, _codes = enrolled
    password_step(client, manager)
    clock.advance(seconds=app.config["SECOND_STEP_MAX_AGE"] + 1)

    response = code_step(client, pyotp.TOTP(secret).at(clock.now))

    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert not logged_in(client)


def test_the_code_step_needs_the_password_step_first(client, clock, manager, enrolled):
    secret, _codes = enrolled

    response = code_step(client, pyotp.TOTP(secret).at(clock.now))

    assert response.headers["Location"] == "/auth/login"
    assert not logged_in(client)


def test_a_login_deactivated_between_the_steps_gets_no_further(client, clock, manager, enrolled):
    secret, _codes = enrolled
    password_step(client, manager)
    manager.active = False
    db.session.commit()

    code_step(client, pyotp.TOTP(secret).at(clock.now))

    assert not logged_in(client)


def test_codes_are_limited_per_account(app, clock, manager, enrolled):
    secret, _codes = enrolled
    client = app.test_client()
    password_step(client, manager)
    answers = [code_step(client, "000000").status_code for _ in range(CODE_LIMIT)]

    refused = code_step(client, pyotp.TOTP(secret).at(clock.now))

    assert answers == [422] * CODE_LIMIT
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    other_browser = app.test_client()
    password_step(other_browser, manager)
    assert code_step(other_browser, pyotp.TOTP(secret).at(clock.now)).status_code == 429


def test_without_a_second_factor_the_password_logs_in(client):
    user = factories.UserFactory(role=Role.ADMIN)

    assert password_step(client, user).headers["Location"] == "/"
    assert logged_in(client)


def test_an_off_site_next_is_dropped_across_the_steps(client, clock, manager, enrolled):
    secret, _codes = enrolled
    password_step(client, manager, next="//evil.example/")

    response = code_step(client, pyotp.TOTP(secret).at(clock.now))

    assert response.headers["Location"] == "/"
