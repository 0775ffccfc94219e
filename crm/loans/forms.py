"""The forms of the loan page: one per lifecycle step, a payment, a reversal.

The fields only read what was typed; the services check it (required reasons, dates,
amounts), so the staff site and every other entry point give the same messages.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import DateInput

from crm.i18n.fields import MoneyField, WholeNumberField
from crm.models.servicing import MAX_REFERENCE
from crm.models.types import MAX_REASON
from crm.validation import parse_id, parse_version


class ApplicationForm(FlaskForm):
    """A new application taken by the staff for a customer. The field names are the
    admin's loan form's, which the schedule preview (static/js/loan-preview.js) reads."""

    #: The choices are the products on offer (set by the view); any id is read, and the
    #: service refuses one that is no longer offered, beside the field.
    product = SelectField(_l("Product"), coerce=parse_id, validate_choice=False)
    amount = MoneyField(_l("Amount"))
    term_months = WholeNumberField(_l("Term, months"))
    submit = SubmitField(_l("Save the application"))


class VersionedForm(FlaskForm):
    """A step on a loan; `version` is the loan's version the page showed, so that a step
    taken on a page someone else has since changed is refused instead of applied. A post
    without it is refused the same way: it cannot say which version it was built from."""

    version = HiddenField()

    def expected_version(self) -> int:
        return parse_version(self.version.data)


class StartLoanForm(VersionedForm):
    # A browser date input sends 2025-03-09 whatever the language, so no local format here.
    disbursed_on = DateField(_l("Disbursed on"), validators=[Optional()], widget=DateInput())
    submit = SubmitField(_l("Start the loan"))


class RefuseLoanForm(VersionedForm):
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 2, "maxlength": MAX_REASON})
    submit = SubmitField(_l("Refuse"))


class WithdrawLoanForm(VersionedForm):
    submit = SubmitField(_l("Withdrawn by the customer"))


class WriteOffForm(VersionedForm):
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 2, "maxlength": MAX_REASON})
    submit = SubmitField(_l("Write off"))


class PaymentForm(FlaskForm):
    amount = MoneyField(_l("Amount"))
    paid_on = DateField(_l("Paid on"), validators=[Optional()], widget=DateInput())
    reference = StringField(
        _l("Reference"),
        description=_l("The bank's or cashier's reference; a payment is recorded once."),
        render_kw={"maxlength": MAX_REFERENCE, "autocomplete": "off"},
    )
    submit = SubmitField(_l("Record the payment"))


class ReversePaymentForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 2, "maxlength": MAX_REASON})
    submit = SubmitField(_l("Reverse"))
