"""Who the client is does not depend on headers the client writes: X-Forwarded-For counts
only behind the proxies the deployer names (TRUSTED_PROXY_COUNT), for "strong" session
protection, the session's recorded address and the security log alike."""

import pytest
from flask import Flask
from sqlalchemy import select

from config import _count_from_env
from crm.extensions import db
from crm.models import UserSession
from tests.factories import PASSWORD

HOME, THIEF = "198.51.100.7", "203.0.113.66"


def copy_cookies(source, target) -> None:
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def recorded_address() -> str:
    return db.session.scalars(select(UserSession.ip_address)).one()


def test_a_forged_x_forwarded_for_does_not_carry_a_session_to_another_address(
    app, logged_in, manager
):
    victim = logged_in(manager, REMOTE_ADDR=HOME)
    thief = app.test_client()
    thief.environ_base["REMOTE_ADDR"] = THIEF
    copy_cookies(victim, thief)

    response = thief.get("/customers/", headers={"X-Forwarded-For": HOME})

    assert response.status_code == 302
    assert victim.get("/customers/").status_code == 200


def test_a_forged_x_forwarded_for_changes_nothing_for_the_user(logged_in, manager, security_log):
    client = logged_in(manager, REMOTE_ADDR=HOME)
    for forged in (THIEF, f"{THIEF}, {HOME}", "not-an-address"):
        response = client.get("/customers/", headers={"X-Forwarded-For": forged})
        assert response.status_code == 200
    assert recorded_address() == HOME
    assert security_log("log_in")[0]["ip"] == HOME


@pytest.fixture
def behind_a_proxy(app, build_app) -> Flask:
    """The app as deployed behind one reverse proxy, on the suite's database."""
    return build_app(TRUSTED_PROXY_COUNT=1)


def test_behind_a_trusted_proxy_the_address_is_the_one_it_forwards(
    behind_a_proxy, manager, security_log
):
    client = behind_a_proxy.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    forwarded = {"X-Forwarded-For": f"{THIEF}, {HOME}"}  # the proxy appended what it saw
    form = {"email": manager.email, "password": PASSWORD}

    assert client.post("/auth/login", data=form, headers=forwarded).status_code == 302

    assert recorded_address() == HOME
    assert security_log("log_in")[0]["ip"] == HOME
    assert client.get("/customers/", headers=forwarded).status_code == 200
    moved = {"X-Forwarded-For": THIEF}
    assert client.get("/customers/", headers=moved).status_code == 302


@pytest.mark.parametrize("value", ["one", "-1", "1.5", "٣"])
def test_the_proxy_count_must_be_a_whole_number(monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", value)
    with pytest.raises(RuntimeError, match="TRUSTED_PROXY_COUNT"):
        _count_from_env("TRUSTED_PROXY_COUNT")
