from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Length

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
