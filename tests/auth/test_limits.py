"""Guessing is slow: the log-in's limits per account and per client address (crm/auth/limits.py),
counted in memory as a deployment without REDIS_URL does (tests/auth/test_limits_redis.py
runs the same against Redis)."""

import json
import logging

import pytest

from config import _limit_from_env
from crm.models import Role
from tests import factories
from tests.conftest import PASSWORD
from tests.i18n.conftest import UKRAINIAN

ACCOUNT_LIMIT = 10
WRONG_PASSWORD = "wrong-password"
ADDRESS_LIMIT = 50


def try_password(client, email: str, password: str = WRONG_PASSWORD, address: str = "127.0.0.1"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_thirty_wrong_passwords_then_the_right_one_is_refused_and_logs_no_one_in(client, manager):
    answers = [try_password(client, manager.email).status_code for _ in range(30)]
    right = try_password(client, manager.email, PASSWORD)

    assert answers == [422] * ACCOUNT_LIMIT + [429] * (30 - ACCOUNT_LIMIT)
    assert right.status_code == 429
    assert 0 < int(right.headers["Retry-After"]) <= 15 * 60
    assert not logged_in(client)


def test_a_refused_try_says_how_long_to_wait_in_the_users_language(client, manager):
    for _ in range(ACCOUNT_LIMIT):
        try_password(client, manager.email)

    page = client.post(
        "/auth/login", data={"email": manager.email, "password": "x"}, headers=UKRAINIAN
    )
    api = client.post(
        "/auth/login",
        data={"email": manager.email, "password": "x"},
        headers={"Accept": "application/json"},
    )

    assert page.status_code == api.status_code == 429
    assert "Retry-After" in page.headers
    assert "Забагато спроб. Спробуйте ще раз за 15 хвилин." in page.get_data(as_text=True)
    assert api.json == {"error": "Too many attempts. Try again in 15 minutes."}


def test_the_account_limit_holds_whatever_address_the_tries_come_from(client, manager):
    answers = [
        try_password(client, manager.email, address=f"198.51.100.{n}").status_code
        for n in range(ACCOUNT_LIMIT + 1)
    ]

    assert answers == [422] * ACCOUNT_LIMIT + [429]


def test_the_address_limit_holds_whatever_accounts_are_tried(client, manager):
    answers = [
        try_password(client, f"nobody{n}@example.com").status_code for n in range(ADDRESS_LIMIT)
    ]

    assert answers == [422] * ADDRESS_LIMIT
    assert try_password(client, manager.email, PASSWORD).status_code == 429
    assert try_password(client, manager.email, PASSWORD, "203.0.113.9").status_code == 302


def test_a_locked_account_does_not_lock_others_out(client, manager, admin_user):
    for _ in range(ACCOUNT_LIMIT + 1):
        try_password(client, manager.email)

    assert try_password(client, admin_user.email, PASSWORD).status_code == 302


def test_case_and_spaces_do_not_make_another_account(client, manager):
    spellings = [manager.email, manager.email.upper(), f"  {manager.email} "]
    for n in range(ACCOUNT_LIMIT):
        try_password(client, spellings[n % 3])

    assert try_password(client, manager.email.title(), PASSWORD).status_code == 429


def test_opening_the_login_page_is_not_a_try(client, manager):
    for _ in range(ACCOUNT_LIMIT * 2):
        assert client.get("/auth/login").status_code == 200

    assert try_password(client, manager.email, PASSWORD).status_code == 302


def security_events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "crm.security"]


def test_failures_and_the_lockout_are_security_events(client, manager, caplog):
    caplog.set_level(logging.INFO, logger="crm.security")
    for _ in range(ACCOUNT_LIMIT + 1):
        try_password(client, manager.email.upper())
    try_password(client, "nobody@example.com")

    events = security_events(caplog)
    failed = [event for event in events if event["event"] == "log_in_failed"]
    locked = [event for event in events if event["event"] == "locked_out"]
    assert len(failed) == ACCOUNT_LIMIT + 1
    assert failed[0]["email"] == manager.email
    assert failed[0]["reason"] == "wrong_password"
    assert (failed[-1]["email"], failed[-1]["reason"]) == ("nobody@example.com", "unknown_email")
    assert len(locked) == 1
    assert locked[0]["account"] == manager.email
    assert locked[0]["by"] == "account"
    assert locked[0]["scope"] == "log_in"
    assert locked[0]["ip"] == "127.0.0.1"


def test_an_inactive_login_fails_with_its_reason_in_the_log(client, caplog):
    user = factories.UserFactory(role=Role.MANAGER, active=False)
    caplog.set_level(logging.INFO, logger="crm.security")

    assert try_password(client, user.email, PASSWORD).status_code == 422
    (event,) = [e for e in security_events(caplog) if e["event"] == "log_in_failed"]
    assert event["reason"] == "inactive"


def test_a_deployment_sets_the_limits_in_its_environment_and_a_wrong_one_stops_the_start(
    monkeypatch,
):
    monkeypatch.setenv("GUESS_LIMIT_PER_ACCOUNT", "20 per hour")
    assert _limit_from_env("GUESS_LIMIT_PER_ACCOUNT", "10 per 15 minutes") == "20 per hour"
    monkeypatch.delenv("GUESS_LIMIT_PER_ACCOUNT")
    assert _limit_from_env("GUESS_LIMIT_PER_ACCOUNT", "10 per 15 minutes") == "10 per 15 minutes"
    monkeypatch.setenv("GUESS_LIMIT_PER_ACCOUNT", "ten a minute")
    with pytest.raises(RuntimeError, match="GUESS_LIMIT_PER_ACCOUNT='ten a minute'"):
        _limit_from_env("GUESS_LIMIT_PER_ACCOUNT", "10 per 15 minutes")


@pytest.fixture
def default_limit(build_app):
    """An app whose deployer limits every page (RATELIMIT_DEFAULT); the one Limiter of every
    app built here forgets that limit afterwards."""
    from crm.extensions import limiter

    yield build_app(RATELIMIT_DEFAULT="2 per day")
    limiter.limit_manager.set_default_limits([])


def test_a_limit_the_deployer_puts_on_every_page_holds(default_limit):
    """The CRM's own limits are on views; Flask-Limiter's check before every request is
    kept only for limits like this one."""
    client = default_limit.test_client()
    statuses = [client.get("/healthz").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
