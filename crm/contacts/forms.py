"""The contact form. It reads what was typed; crm/contacts/services.py checks it, so that
every entry point refuses the same things."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import DateInput

from crm.i18n.fields import MoneyField
from crm.i18n.labels import CONTACT_KIND_LABELS, CONTACT_OUTCOME_LABELS
from crm.models.interaction import MAX_CONTACT_TEXT, ContactOutcome
from crm.validation import parse_id

PROMISE_FIELDS = ("promise_amount", "promise_due_on")


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(member.value, label) for member, label in labels.items()]


class ContactForm(FlaskForm):
    # Any value is read; the service refuses one that is not a kind or an outcome, beside
    # the field.
    kind = SelectField(_l("Kind"), choices=choices(CONTACT_KIND_LABELS), validate_choice=False)
    outcome = SelectField(
        _l("Outcome"), choices=choices(CONTACT_OUTCOME_LABELS), validate_choice=False
    )
    text = TextAreaField(_l("What was said"), render_kw={"rows": 3, "maxlength": MAX_CONTACT_TEXT})
    #: The choices are the customer's loans (set by the view).
    loan_id = SelectField(_l("Loan"), coerce=parse_id, validate_choice=False)
    promise_amount = MoneyField(_l("Promised amount"))
    # A browser date input sends 2025-03-09 whatever the language.
    promise_due_on = DateField(_l("To be paid by"), validators=[Optional()], widget=DateInput())
    submit = SubmitField(_l("Log the contact"))

    @property
    def is_promise(self) -> bool:
        return self.outcome.data == ContactOutcome.PROMISED_TO_PAY.value

    def validate(self, extra_validators=None) -> bool:
        """The promise's fields count only for a promise to pay: what else was typed in
        them (the page shows them when scripts are off) is dropped, not refused."""
        valid = super().validate(extra_validators)
        if self.is_promise:
            return valid
        for name in PROMISE_FIELDS:
            self[name].data = None
            self[name].errors = []
        return not any(field.errors for field in self)
