"""A cookie signed with a key from the code opens nothing, nor does one naming a user's id.

Before, a deployment started without SECRET_KEY signed its cookies with the key written in
config.py, and the remember cookie carried the user's id: anyone who read the repository
could sign in as the admin. Here the app runs as `make run` starts it (development, no
SECRET_KEY) against the suite's database.
"""

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_login.utils import encode_cookie

from config import DevelopmentConfig
from crm import create_app
from crm.extensions import db
from crm.secret_key import PUBLISHED_KEYS


@pytest.fixture
def dev_app(database_url, tmp_path) -> Iterator[Flask]:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": None,
        "SECRET_KEY_FILE": str(tmp_path / "secret_key"),
    }
    app = create_app(type("Dev", (DevelopmentConfig,), settings))
    yield app
    with app.app_context():
        db.engine.dispose()


def signed_session(app: Flask, key: str, data: dict) -> str:
    """The session cookie `app` would accept if its key were `key`."""
    forger = Flask("forger")
    forger.config.update(app.config, SECRET_KEY=key)
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(data)


#: Where the forged requests come from; "strong" session protection hashes both.
CLIENT = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "Forger/1.0"}


def fingerprint(app: Flask) -> str:
    """What "strong" session protection expects of the forged requests."""
    with app.test_request_context(environ_base=CLIENT):
        return app.login_manager._session_identifier_generator()


def admin_users_page(app: Flask, cookie: str, value: str):
    client = app.test_client()
    client.environ_base.update(CLIENT)
    client.set_cookie(cookie, value)
    return client.get("/admin/user/")


@pytest.mark.parametrize("key", sorted(PUBLISHED_KEYS))
def test_a_remember_cookie_signed_with_a_key_from_the_code_opens_nothing(dev_app, admin_user, key):
    response = admin_users_page(dev_app, "remember_token", encode_cookie(str(admin_user.id), key))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("key", sorted(PUBLISHED_KEYS))
def test_a_session_cookie_signed_with_a_key_from_the_code_opens_nothing(dev_app, admin_user, key):
    data = {"_user_id": str(admin_user.id), "_fresh": True, "_id": fingerprint(dev_app)}
    response = admin_users_page(dev_app, "session", signed_session(dev_app, key, data))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_even_with_the_real_key_a_cookie_naming_a_user_id_opens_nothing(dev_app, admin_user):
    key = dev_app.config["SECRET_KEY"]
    data = {"_user_id": str(admin_user.id), "_fresh": True, "_id": fingerprint(dev_app)}
    assert (
        admin_users_page(dev_app, "session", signed_session(dev_app, key, data)).status_code == 302
    )
    remember = encode_cookie(str(admin_user.id), key)
    assert admin_users_page(dev_app, "remember_token", remember).status_code == 302
