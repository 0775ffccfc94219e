"""Re-authentication before sensitive changes.

Creating or changing logins, setting up or removing a second factor, ending other people's
sessions: someone who finds a session open (a borrowed laptop, a stolen cookie) must not get
that far. Before such a change the user confirms their password again, and their code when
they have a second factor (`auth.confirm`); the confirmation holds for REAUTH_MAX_AGE seconds,
for this user in this browser session.

Guard a view with `@reauthentication_required`, or call `check_reauthenticated()` where a
decorator does not fit (Flask-Admin's views: crm/admin/users.py).
"""

from collections.abc import Callable
from functools import wraps

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm import clock
from crm.errors import wants_json

SESSION_KEY = "reauthenticated"


def mark_reauthenticated(user_id: int) -> None:
    """Record that `user_id` has just confirmed who they are."""
    session[SESSION_KEY] = {"user_id": user_id, "at": clock.utc_now().timestamp()}


def recently_reauthenticated() -> bool:
    mark = session.get(SESSION_KEY)
    if not isinstance(mark, dict) or not current_user.is_authenticated:
        return False
    if mark.get("user_id") != current_user.id or not isinstance(mark.get("at"), int | float):
        return False
    age = clock.utc_now().timestamp() - mark["at"]
    return 0 <= age <= current_app.config["REAUTH_MAX_AGE"]


def check_reauthenticated(return_to: str | None = None):
    """None when the user confirmed who they are within REAUTH_MAX_AGE; otherwise the response
    that asks them to: the confirmation page, which sends them on to `return_to` (by default
    this address), or for JSON clients a 401 saying so."""
    if recently_reauthenticated():
        return None
    if wants_json():
        return jsonify(error=_("Confirm your password to go on."), field="password"), 401
    target = return_to or request.full_path.rstrip("?")
    return redirect(url_for("auth.confirm", next=target))


def reauthentication_required(view: Callable | None = None, *, return_to: str | None = None):
    """Decorate a view that needs a recent confirmation (`return_to`: an endpoint to come back
    to, for views that answer POST only)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            target = url_for(return_to) if return_to else None
            return check_reauthenticated(target) or view(*args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
