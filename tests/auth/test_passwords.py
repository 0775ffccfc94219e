"""The password policy (crm/auth/passwords.py) and how passwords are hashed."""

import pytest
from flask_babel import force_locale
from zxcvbn_rs_py import Warning as Weakness

from config import Config, ProductionConfig
from crm.auth.passwords import WEAKNESSES, check_new_password
from crm.auth.services import create_user
from crm.extensions import db
from crm.models import Role, User
from crm.models.user import PASSWORD_HASH_METHOD
from crm.validation import FieldError
from tests import factories
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password", "at least 12 characters"),
        ("aaaaaaaa", "at least 12 characters"),
        ("aaaaaaaaaaaa", "Repeats like “aaa” are easy to guess."),
        ("password1234", "too easy to guess"),
        ("qwertyuiopasdf", "too easy to guess"),
        ("x" * 12 + "A1!" * 39, "at most 128 characters"),
    ],
)
def test_short_long_and_common_passwords_are_refused(app, password, why):
    with pytest.raises(FieldError, match=why) as refused:
        check_new_password(password)

    assert refused.value.field == "password"


def test_a_password_built_from_the_users_name_or_address_is_refused(app):
    inputs = ("olena.koval@example.com", "Olena Koval")

    for password in ("olena.koval1990", "Koval.Olena!!", "olenakoval2024"):
        with pytest.raises(FieldError, match="built from your name or e-mail address"):
            check_new_password(password, user_inputs=inputs)
    check_new_password("olena.koval1990")  # fine for someone else


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "demo-password-for-a-bank",
        "Kestrel-umbra-9417-vyshyvanka",
        "кава з медом о сьомій",
    ],
)
def test_long_uncommon_passwords_pass(app, password):
    check_new_password(password, user_inputs=("olena@example.com", "Olena Koval"))


def test_the_reasons_come_in_the_users_language(app):
    with force_locale("uk"), pytest.raises(FieldError) as refused:
        check_new_password("password1234")

    assert refused.value.message.startswith("Цей пароль надто легко вгадати.")


def test_every_warning_of_the_checker_has_our_own_words():
    named = [weakness for weakness, _text in WEAKNESSES]
    members = [getattr(Weakness, name) for name in dir(Weakness) if name[0].isupper()]

    assert len(members) == 14
    assert all(any(member == weakness for weakness in named) for member in members)


def test_the_services_apply_the_policy_with_the_users_own_words(app):
    with pytest.raises(FieldError, match="built from your name"):
        create_user(
            db.session,
            "olena@example.com",
            "olena.koval1990",
            Role.MANAGER,
            full_name="Olena Koval",
        )


def test_production_hashes_with_owasps_scrypt_parameters(app):
    assert "PASSWORD_HASH_METHOD" not in vars(Config)
    assert "PASSWORD_HASH_METHOD" not in vars(ProductionConfig)
    assert PASSWORD_HASH_METHOD == "scrypt:131072:8:1"  # N = 2^17, r = 8, p = 1
    app.config["PASSWORD_HASH_METHOD"] = PASSWORD_HASH_METHOD
    user = User()

    user.set_password(PASSWORD)  # 128 MiB: within what hashlib is allowed to use

    assert user.password_hash.startswith("scrypt:131072:8:1$")
    assert user.check_password(PASSWORD)
    assert not user.password_needs_rehash


@pytest.mark.parametrize("old_method", ["scrypt:32768:8:1", "pbkdf2:sha256:600000"])
def test_an_older_hash_is_upgraded_on_the_next_log_in(app, client, old_method):
    user = factories.UserFactory(role=Role.MANAGER)
    app.config["PASSWORD_HASH_METHOD"], today = old_method, app.config["PASSWORD_HASH_METHOD"]
    user.set_password(PASSWORD)
    db.session.commit()
    app.config["PASSWORD_HASH_METHOD"] = today

    client.post("/auth/login", data={"email": user.email, "password": "wrong-password-42"})
    assert db.session.get(User, user.id).password_hash.startswith(f"{old_method}$")
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})

    upgraded = db.session.get(User, user.id)
    assert upgraded.password_hash.startswith(f"{today}$")
    assert upgraded.check_password(PASSWORD)
