"""The forms of the personal account. They read what was typed; the services check it
(crm/account/services.py), with the same rules as the staff site."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField

from crm.i18n.fields import MoneyField, WholeNumberField
from crm.validation import MAX_TYPED_PHONE, parse_id, parse_version


class VersionedForm(FlaskForm):
    """A form built from a record's `version`: a change posted from a page someone else
    has since changed is refused instead of applied (crm.validation.check_version)."""

    version = HiddenField()

    def expected_version(self) -> int:
        return parse_version(self.version.data)


class ApplyForm(FlaskForm):
    #: The choices are the products on offer (set by the view); any id is read, and the
    #: service refuses one that is not offered, beside the field.
    product_id = SelectField(_l("Product"), coerce=parse_id, validate_choice=False)
    amount = MoneyField(_l("Amount"))
    term_months = WholeNumberField(_l("Term, months"))
    submit = SubmitField(_l("Send the application"))


class WithdrawForm(VersionedForm):
    submit = SubmitField(_l("Withdraw the application"))


class ProfileForm(VersionedForm):
    phone = StringField(
        _l("Phone"),
        description=_l("With the country code, or a Ukrainian number such as 050 123 45 67."),
        render_kw={"maxlength": MAX_TYPED_PHONE, "autocomplete": "tel", "inputmode": "tel"},
    )
    #: The choices are the languages the interface speaks (set by the view).
    language = SelectField(_l("Language"))
    submit = SubmitField(_l("Save"))
