"""Who is acting, from where, in which request: what every audit event is stamped with.

In a request the actor is the logged-in user, whom crm.auth.login_sessions loads before the
view runs; the hook reads the user Flask-Login has already loaded rather than asking for
it, since asking would query the database in the middle of a flush. Outside a request the
actor is SYSTEM, with the command being run (`flask --app wsgi users create …`).
"""

import uuid
from dataclasses import dataclass

import click
from flask import Flask, g, has_request_context, request

from crm.models import User
from crm.models.audit import ANONYMOUS, SYSTEM


@dataclass(frozen=True)
class Stamp:
    """What an audit event says about where it came from."""

    actor_id: int | None
    actor: str
    command: str | None
    ip: str | None
    request_id: str | None


def register(app: Flask) -> None:
    app.before_request(_name_the_request)


def _name_the_request() -> None:
    g.audit_request_id = uuid.uuid4().hex
    # `g` outlives the request where an app context spans several (the tests' client).
    g.pop("audit_actor", None)


def act_as(user: User) -> None:
    """Name `user` the actor of what this request changes before they are logged in (the
    password that proves who they are has just been checked)."""
    g.audit_actor = (user.id, user.email)


def current_stamp(*, actor_id: int | None = None, actor: str | None = None) -> Stamp:
    """The stamp for an event now; `actor_id`/`actor` name the actor when nobody is logged
    in yet (the user a log-in is for)."""
    if not has_request_context():
        return Stamp(None, SYSTEM, _command(), None, None)
    user = g.get("_login_user")
    if user is not None and user.is_authenticated:
        actor_id, actor = user.id, user.email
    elif actor is None and "audit_actor" in g:
        actor_id, actor = g.audit_actor
    return Stamp(
        actor_id,
        actor or ANONYMOUS,
        None,
        request.remote_addr,
        g.get("audit_request_id"),
    )


def _command() -> str | None:
    """The command line's command ("users create"), when one is running."""
    context = click.get_current_context(silent=True)
    if context is None:
        return None
    words = context.command_path.split()
    return " ".join(words[1:]) or None
