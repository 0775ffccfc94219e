"""Who may open what: the one home of the access rules.

Anonymous visitors are sent to log in (JSON clients get 401); a logged-in user
without the role gets 403.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from flask import Blueprint, Flask, abort, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from crm.auth.events import refusal_event
from crm.errors import render_error, wants_json
from crm.extensions import login_manager
from crm.models import STAFF_ROLES, Role

#: Every role: for pages any logged-in user may open (their password, their sessions).
ANY_ROLE = frozenset(Role)


@login_manager.unauthorized_handler
def unauthorized():
    ended = _forget_ended_session()
    if wants_json():
        return jsonify(error=_("Authentication required.")), 401
    if ended:
        flash(_("Your session has ended. Log in again."), "warning")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _forget_ended_session() -> bool:
    """Drop the cookies' token of a session that has ended or expired; True if there was one."""
    if session.pop("_user_id", None) is None:
        return False
    session.pop("_fresh", None)
    session["_remember"] = "clear"
    return True


def has_role(roles: Iterable[Role]) -> bool:
    return bool(
        current_user.is_authenticated and current_user.is_active and current_user.role in roles
    )


def check_roles(roles: Iterable[Role]):
    """None when the current user may pass; otherwise the response that refuses them."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not has_role(roles):
        abort(403)
    return None


def roles_required(*roles: Role) -> Callable:
    """Decorate a view so that only users with one of `roles` reach it."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            return check_roles(roles) or view(*args, **kwargs)

        return wrapper

    return decorator


def guard_blueprint(blueprint: Blueprint, roles: Iterable[Role] = STAFF_ROLES) -> None:
    """Let only `roles` (staff by default) reach any route of `blueprint`.

    A guard on the blueprint, not on each view, so that no new route can forget it.
    """
    allowed = frozenset(roles)
    blueprint.before_request(lambda: check_roles(allowed))


def register(app: Flask) -> None:
    app.register_error_handler(Forbidden, refuse)


def refuse(error: Forbidden):
    """Every 403, whichever check gave it: recorded as access_refused, then the error page."""
    user = current_user if current_user.is_authenticated else None
    refusal_event(
        "access_refused",
        user_id=user.id if user else None,
        email=user.email if user else None,
        method=request.method,
        path=request.path[:200],
    )
    return render_error(error)
