"""`flask users create`, run through Flask's CLI runner against the test database."""

import logging

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Role, SecondFactor, User
from tests import factories

NEW_PASSWORD = "piped-password-1"
PIPED = f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"


def create_user(runner, *args: str, stdin: str = PIPED):
    return runner.invoke(args=["users", "create", *args], input=stdin)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("not-an-address", "--role", "manager"), PIPED, "Not a valid e-mail address."),
        (("olena@example.com", "--role", "manager"), "short\nshort\n", "at least 12 characters"),
        (
            ("olena@example.com", "--role", "manager"),
            "password\npassword\n",
            "at least 12 characters",
        ),
        (
            ("olena@example.com", "--role", "manager"),
            "aaaaaaaaaaaa\naaaaaaaaaaaa\n",
            "Repeats like “aaa” are easy to guess.",
        ),
        (
            ("olena@example.com", "--role", "manager", "--name", "Olena Koval"),
            "olena.koval1990\nolena.koval1990\n",
            "built from your name or e-mail address",
        ),
        (
            ("taras@example.com", "--role", "customer", "--customer", "9999"),
            PIPED,
            "no customer with id 9999",
        ),
    ],
    ids=[
        "bad e-mail",
        "short password",
        "password",
        "aaaaaaaaaaaa",
        "password from the name",
        "unknown customer",
    ],
)
def test_users_create_refuses_bad_input_and_writes_nothing(runner, rows_in, args, stdin, message):
    result = create_user(runner, *args, stdin=stdin)

    assert result.exit_code != 0
    assert message in result.output
    assert rows_in(User) == 0


def test_users_create_makes_a_login_with_the_piped_password(runner):
    result = create_user(runner, "Olena@Example.com", "--role", "manager", "--name", "Олена Коваль")

    assert result.exit_code == 0, result.output
    assert "Created manager olena@example.com" in result.output
    user = db.session.scalar(select(User).where(User.email == "olena@example.com"))
    assert user.role is Role.MANAGER
    assert user.full_name == "Олена Коваль"
    assert user.check_password(NEW_PASSWORD)


def test_users_create_refuses_a_taken_email(runner, rows_in):
    create_user(runner, "olena@example.com", "--role", "admin")

    result = create_user(runner, "OLENA@example.com", "--role", "manager")

    assert result.exit_code != 0
    assert "A user with the e-mail olena@example.com already exists." in result.output
    assert rows_in(User) == 1


def test_users_create_links_a_customer_login_to_the_customer(runner):
    customer = factories.CustomerFactory()

    result = create_user(
        runner, "taras@example.com", "--role", "customer", "--customer", str(customer.id)
    )

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "taras@example.com"))
    assert user.role is Role.CUSTOMER
    assert user.customer_id == customer.id


def test_users_create_links_only_customer_logins(runner):
    customer = factories.CustomerFactory()

    result = create_user(
        runner, "petro@example.com", "--role", "manager", "--customer", str(customer.id)
    )

    assert result.exit_code != 0
    assert "Only a customer login can be linked to a customer." in result.output


def test_users_remove_second_factor_turns_it_off_for_a_lost_phone(runner, clock, caplog):
    user = factories.UserFactory(email="olena@example.com")
    factories.enrol_second_factor(user, clock.now)
    caplog.set_level(logging.INFO, logger="crm.security")

    result = runner.invoke(args=["users", "remove-second-factor", "OLENA@example.com"])
    again = runner.invoke(args=["users", "remove-second-factor", "olena@example.com"])
    nobody = runner.invoke(args=["users", "remove-second-factor", "nobody@example.com"])

    assert result.exit_code == 0, result.output
    assert "Removed the second factor of olena@example.com." in result.output
    assert db.session.scalar(select(SecondFactor)) is None
    assert "olena@example.com has no second factor." in again.output
    assert nobody.exit_code != 0
    assert "no login with the e-mail nobody@example.com" in nobody.output
    assert '"by": "system"' in caplog.text
