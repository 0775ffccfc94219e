from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    StringField,
    SubmitField,
    TelField,
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


def new_password_fields(label: str) -> tuple[PasswordField, PasswordField]:
    """A new password and the same again; the policy (crm/auth/passwords.py) is the
    service's to apply."""
    return (
        PasswordField(
            label,
            validators=[DataRequired(), Length(max=200)],
            description=_l(
                "At least 12 characters. A few unrelated words are strong and easy to remember."
            ),
            render_kw={"autocomplete": "new-password"},
        ),
        PasswordField(
            _l("Password again"),
            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
            render_kw={"autocomplete": "new-password"},
        ),
    )


class RegistrationForm(FlaskForm):
    """Registering for the personal account; the customers' own checks (names, phone)
    apply in the service."""

    last_name = StringField(_l("Last name"), render_kw={"autocomplete": "family-name"})
    first_name = StringField(_l("First name"), render_kw={"autocomplete": "given-name"})
    patronymic = StringField(_l("Patronymic"), render_kw={"autocomplete": "additional-name"})
    phone = TelField(_l("Phone"), render_kw={"autocomplete": "tel"})
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254), no_control_characters],
        render_kw={"autocomplete": "email"},
    )
    password, confirm = new_password_fields(_l("Password"))
    submit = SubmitField(_l("Register"))


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254), no_control_characters],
        render_kw={"autocomplete": "email", "autofocus": True},
    )
    submit = SubmitField(_l("Send the link"))


class NewPasswordForm(FlaskForm):
    """The password set through a link: an invitation or a reset."""

    password, confirm = new_password_fields(_l("New password"))
    submit = SubmitField(_l("Save the password"))


class LinkForm(FlaskForm):
    """The one button that uses a link (its page only shows what it will do: mail
    programs that open links to check them use nothing)."""

    submit = SubmitField(_l("Confirm"))


class EmailChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    email = EmailField(
        _l("New e-mail"),
        validators=[DataRequired(), Length(max=254), no_control_characters],
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("Send the confirmation link"))
