"""Who may open what: the one home of the access rules.

Anonymous visitors are sent to log in (JSON clients get 401); a logged-in user
without the role gets 403.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.errors import wants_json
from crm.extensions import db, login_manager
from crm.models import STAFF_ROLES, Role, User
from crm.validation import parse_id


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    number = parse_id(user_id)
    return None if number is None else db.session.get(User, number)


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return jsonify(error=_("Authentication required.")), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


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
