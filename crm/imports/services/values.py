"""Dates, amounts and loan numbers as files write them, read into values the services take.

Files come from spreadsheets and banks rather than from a form in the user's language, so
each is read in every way it is commonly written, whatever the importing user's language:
dates as ISO 8601 (2025-03-09) or as Ukrainian documents write them (09.03.2025), amounts
with a decimal comma or point and spaces between thousands ("1 234,56", "1234.56") or with
commas between thousands ("1,234.56").
"""

import re
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from crm.i18n.formats import parse_amount, parse_day
from crm.validation import FieldError, parse_id

#: How dates are read (crm.i18n.formats.parse_day): ISO 8601 and the Ukrainian dd.mm.yyyy.
DATE_LOCALE = "uk"
#: The locales amounts are tried in, in turn: "1 234,56" and "1234.56", then "1,234.56".
AMOUNT_LOCALES = ("uk", "en")
#: A time of day after a date ("09.03.2025 10:31", "2025-03-09T10:31:00"), as bank
#: statements write a payment's moment; the day is what a payment keeps.
TIME_OF_DAY = re.compile(r"[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?$")
#: A loan number as the CRM writes it (#123), or as people type it (123, № 123, No. 123).
LOAN_NUMBER = re.compile(r"(?i)^\s*(?:#|№|no\.?)?\s*([0-9]+)\s*$")


def read_day(text: str | None, field: str) -> date | None:
    """The date in `text` (a time of day after it ignored), None when empty; FieldError on
    `field` when it is not one."""
    try:
        return parse_day(TIME_OF_DAY.sub("", (text or "").strip()), DATE_LOCALE)
    except ValueError:
        raise FieldError(field, _("Not a date: write it as 2025-03-09 or as 09.03.2025.")) from None


def read_amount(text: str | None, field: str) -> Decimal | None:
    """The amount in `text`, None when empty; FieldError on `field` when it is not one.
    Whether it is positive and in whole cents is the payment service's to check."""
    for locale in AMOUNT_LOCALES:
        try:
            return parse_amount(text, locale)
        except ValueError:
            continue
    raise FieldError(field, _("Not an amount: write it as 1234.56 or as 1 234,56."))


def read_loan_number(text: str | None, field: str) -> int | None:
    """The loan number in `text` ("#123", "123"), None when empty; FieldError on `field`
    when it is not one."""
    if not (text or "").strip():
        return None
    match = LOAN_NUMBER.match(text)
    number = parse_id(match.group(1)) if match else None
    if number is None:
        raise FieldError(field, _("Not a loan number: write it as the CRM does, e.g. #123."))
    return number
