"""`flask users set-password` and `users deactivate`: both end the login's sessions."""

import pytest

from crm.extensions import db
from crm.models import User

NEW_PASSWORD = "harbour-lantern-73-vyshyvanka"


def status(client) -> int:
    return client.get("/customers/").status_code


def test_set_password_takes_the_piped_password_and_ends_every_session(
    runner, logged_in, manager, security_log
):
    browsers = [logged_in(manager), logged_in(manager, remember=True)]

    result = runner.invoke(
        args=["users", "set-password", manager.email.upper()],
        input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert f"New password set for {manager.email}; 2 sessions ended." in result.output
    assert db.session.get(User, manager.id).check_password(NEW_PASSWORD)
    assert [status(client) for client in browsers] == [302, 302]
    (ended,) = security_log("session_ended")
    assert (ended["user_id"], ended["reason"], ended["by"]) == (
        manager.id,
        "password_changed",
        "system",
    )
    assert security_log("password_changed")[0]["by"] == "system"


def test_set_password_refuses_a_password_the_policy_refuses_and_changes_nothing(
    runner, logged_in, manager
):
    client = logged_in(manager)
    old_hash = manager.password_hash

    result = runner.invoke(args=["users", "set-password", manager.email], input="short\nshort\n")

    assert result.exit_code != 0
    assert db.session.get(User, manager.id).password_hash == old_hash
    assert status(client) == 200


def test_deactivate_ends_every_session(runner, logged_in, manager):
    client = logged_in(manager)

    result = runner.invoke(args=["users", "deactivate", manager.email])

    assert result.exit_code == 0, result.output
    assert f"Deactivated {manager.email}; 1 session ended." in result.output
    assert not db.session.get(User, manager.id).active
    assert status(client) == 302


@pytest.mark.parametrize(
    ("command", "stdin"),
    [("set-password", f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"), ("deactivate", None)],
)
def test_an_unknown_email_is_refused(runner, command, stdin):
    result = runner.invoke(args=["users", command, "nobody@example.com"], input=stdin)
    assert result.exit_code != 0
    assert "no login with the e-mail nobody@example.com" in result.output


@pytest.mark.parametrize("command", ["set-password", "deactivate"])
def test_each_command_explains_itself(runner, command):
    result = runner.invoke(args=["users", command, "--help"])
    assert result.exit_code == 0
    assert "sessions" in result.output
