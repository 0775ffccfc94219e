"""A logged-in user's change of their own password, for every page that offers one (the
staff's /auth/password, the account's profile): the current password first, guesses at it
limited and recorded, the policy's message beside the new one, the other sessions ended."""

from flask import flash
from flask_babel import gettext as _
from wtforms import Field

from crm.auth.events import refusal_event, security_event
from crm.auth.forms import PasswordForm
from crm.auth.limits import limit_guessing_per_user
from crm.auth.login_sessions import current_login_session
from crm.auth.services import set_password
from crm.extensions import db
from crm.models import User
from crm.validation import FieldError

#: Guesses at the current password count per user, as the confirmation's do.
limit_password_guessing = limit_guessing_per_user("change_password")


def check_current_password(user: User, field: Field) -> bool:
    """True when `field` holds `user`'s password; otherwise the guess is recorded (a
    refusal: nothing else of the request is kept) and the field says it is wrong."""
    if user.check_password(field.data):
        return True
    refusal_event("reauthentication_failed", user_id=user.id, reason="wrong_password")
    field.errors.append(_("This is not your current password."))
    return False


def change_own_password(user: User, form: PasswordForm) -> bool:
    """True when the form's new password is now `user`'s (committed, flashed); False with
    the errors beside the fields otherwise."""
    if not form.validate_on_submit():
        return False
    if not check_current_password(user, form.current_password):
        return False
    try:
        set_password(db.session, user, form.password.data, keep=current_login_session(), by=user)
    except FieldError as error:
        db.session.rollback()
        # The policy's message: set_password checks nothing else.
        form.password.errors.append(error.message)
        return False
    security_event("password_changed", user_id=user.id, email=user.email, by=user.id)
    db.session.commit()
    flash(_("Your password has been changed; your other sessions have ended."), "info")
    return True
