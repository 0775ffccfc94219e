"""Form fields that read numbers and dates the way the user's language writes them.

Use them wherever people type an amount or a date:

    from crm.i18n.fields import DateInputField, MoneyField

    class PaymentForm(FlaskForm):
        amount = MoneyField(_l("Amount"), validators=[DataRequired()])
        paid_on = DateInputField(_l("Date"), validators=[DataRequired()])

In Ukrainian "1 234,56", "1234,56" and "1234.56" all give Decimal("1234.56"); in English
"1,234.56" and "1234.56"; nothing but ASCII digits and the language's separators makes a
number (crm.i18n.formats.parse_amount). Whole numbers (a term in months) are ASCII digits.
Dates take ISO 8601 (2025-03-09) everywhere, and 09.03.2025 in Ukrainian. In Flask-Admin
views, name them in `form_overrides` (crm/admin/fields.py makes every whole-number and
decimal column use them). The range and decimal-place checks stay with the services, so
that every entry point gives the same message.
"""

from datetime import date
from decimal import Decimal

from flask_admin.form import DatePickerWidget
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import TextInput

from crm.i18n.formats import (
    DATE_INPUT_FORMATS,
    amount,
    parse_amount,
    parse_day,
    parse_whole_number,
)

#: The first input format of each language for moment.js, which the admin's picker uses.
MOMENT_FORMATS = {"uk": "DD.MM.YYYY"}


def _language() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


class DecimalInputField(Field):
    """A Decimal typed the locale's way (a rate: 18,5 in Ukrainian, 18.5 in English)."""

    #: type="number" would refuse "1 234,56" in the browser and follows the browser's locale
    #: rather than the user's; a text input with the decimal keypad on phones takes both.
    widget = TextInput()
    #: The keypad phones show for the field.
    inputmode = "decimal"
    example: Decimal | int = Decimal("18.5")
    invalid_message = _l("Type a number such as %(example)s.")
    #: How the typed text is read: a ValueError for text that is not a number.
    parse = staticmethod(parse_amount)

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        # Flask-Admin passes the arguments of the DecimalField or IntegerField it would
        # have made.
        kwargs.pop("places", None)
        kwargs.pop("rounding", None)
        render_kw = {"inputmode": self.inputmode, "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def format(self, value: Decimal) -> str:
        return str(value).replace(".", "," if _language() == "uk" else ".")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.format(self.data)

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        try:
            self.data = self.parse(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(
                str(self.invalid_message) % {"example": self.format(self.example)}
            ) from None


class MoneyField(DecimalInputField):
    """An amount of money: shown as 1 234,50 (uk) or 1,234.50 (en), read back either way."""

    example = Decimal("1234.56")
    invalid_message = _l("Type an amount such as %(example)s.")

    def format(self, value: Decimal) -> str:
        return amount(value)


class WholeNumberField(DecimalInputField):
    """A whole number in ASCII digits (a term: 12); WTForms' IntegerField would also take
    "+12", "1_2" and other scripts' digits, as Python's int() does."""

    inputmode = "numeric"
    example = 12
    invalid_message = _l("Type a whole number such as %(example)s.")
    parse = staticmethod(parse_whole_number)

    def format(self, value: int) -> str:
        return str(value)


class LocalDatePickerWidget(DatePickerWidget):
    """Flask-Admin's date picker, writing dates the way the user's language does."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("data-date-format", MOMENT_FORMATS.get(_language(), "YYYY-MM-DD"))
        return super().__call__(field, **kwargs)


class DateInputField(Field):
    """A date typed as 2025-03-09, or as the language writes it (09.03.2025 in Ukrainian)."""

    widget = LocalDatePickerWidget()
    example = date(2025, 3, 9)
    invalid_message = _l("Type a date such as %(example)s.")

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        # Flask-Admin passes the `format` of the DateField it would have made.
        kwargs.pop("format", None)
        super().__init__(label, validators, **kwargs)

    def format(self, value: date) -> str:
        formats = DATE_INPUT_FORMATS.get(_language())
        return value.strftime(formats[0]) if formats else value.isoformat()

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.format(self.data) if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        try:
            self.data = parse_day(" ".join(valuelist))
        except ValueError:
            self.data = None
            raise ValueError(
                str(self.invalid_message) % {"example": self.format(self.example)}
            ) from None
