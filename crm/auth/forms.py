from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import DataRequired, EqualTo, Length

from crm.validation import CONTROL_CHARACTERS


def no_control_characters(_form, field) -> None:
    """No stored address holds a control character, and PostgreSQL refuses a NUL in a
    query (a 500): such an address is refused as typed, never looked up."""
    if field.data and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(_("Not a valid e-mail address."))


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Length(max=254), no_control_characters]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Log in"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)]
    )
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class CodeForm(FlaskForm):
    """The second step of a log-in: the app's code, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("The six digits your authenticator app shows, or a recovery code."),
        render_kw={"autocomplete": "one-time-code", "autofocus": True},
    )
    submit = SubmitField(_l("Log in"))


class ConfirmForm(FlaskForm):
    """Re-authentication: the password again, and the code when there is a second factor."""

    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("The six digits your authenticator app shows, or a recovery code."),
        render_kw={"autocomplete": "one-time-code"},
    )
    submit = SubmitField(_l("Confirm"))
