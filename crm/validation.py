"""Checks and normalisation shared by the staff forms, the admin and the CLI.

Each function returns the cleaned value or raises FieldError naming the field, so that
every entry point shows the same message next to the same field.
"""

import re
from datetime import date
from decimal import Decimal

import phonenumbers
from email_validator import EmailNotValidError
from email_validator import validate_email as _check_email
from flask_babel import gettext as _

from crm.lending.money import is_cents
from crm.models.types import MAX_MONEY

TAX_ID_PATTERN = re.compile(r"^\d{10}$")
#: Oldest plausible borrower; older birth dates are typos.
MAX_AGE_YEARS = 120
#: The largest id an INTEGER column holds; a bigger one names no record.
MAX_ID = 2**31 - 1


class FieldError(ValueError):
    """Bad input for one field; `field` names it, the message says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def clean_name(value: str | None, field: str, *, required: bool = True) -> str | None:
    """Trim and collapse inner white space; an empty required name is an error."""
    cleaned = " ".join((value or "").split())
    if not cleaned:
        if required:
            raise FieldError(field, _("This field is required."))
        return None
    return cleaned


def normalise_phone(value: str | None, field: str = "phone", region: str = "UA") -> str:
    """The number in E.164 (+380501234567); numbers without a country code use `region`."""
    if not value or not value.strip():
        raise FieldError(field, _("This field is required."))
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise FieldError(field, _("Not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise FieldError(field, _("Not a valid phone number."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(
    value: str | None, field: str = "email", *, required: bool = False
) -> str | None:
    """A syntactically valid address, lower-cased; no DNS look-up (there is no network)."""
    if not value or not value.strip():
        if required:
            raise FieldError(field, _("This field is required."))
        return None
    try:
        result = _check_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise FieldError(field, _("Not a valid e-mail address.")) from None
    return result.normalized.lower()


def clean_tax_id(value: str | None, field: str = "tax_id") -> str | None:
    """RNOKPP: exactly 10 digits, or nothing."""
    cleaned = (value or "").strip()
    if not cleaned:
        return None
    if not TAX_ID_PATTERN.match(cleaned):
        raise FieldError(field, _("The tax id is 10 digits."))
    return cleaned


def check_birth_date(value: date | None, field: str = "birth_date", *, today: date) -> date | None:
    """Not in the future and not absurdly old."""
    if value is None:
        return None
    if value > today:
        raise FieldError(field, _("The date of birth cannot be in the future."))
    if value.year < today.year - MAX_AGE_YEARS:
        raise FieldError(field, _("The date of birth is too far in the past."))
    return value


def parse_id(value: object) -> int | None:
    """The record id in `value` (from a URL, a query string or a form), or None when it is
    not one: only ASCII digits ("²" and "١" are digits to str.isdigit() but not to int()),
    from 1 to MAX_ID."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def check_money(value: Decimal | None, field: str) -> Decimal:
    """A positive amount in whole cents that the money columns can hold."""
    if value is None:
        raise FieldError(field, _("This field is required."))
    if not value.is_finite() or value <= 0:
        raise FieldError(field, _("The amount must be greater than zero."))
    if not is_cents(value):
        raise FieldError(field, _("The amount has at most 2 decimal places."))
    if value > MAX_MONEY:
        raise FieldError(field, _("The amount is too large."))
    return value


def required_text(value: str | None, field: str) -> str:
    """The text trimmed; empty, or holding a NUL that no database column stores, is an error."""
    cleaned = (value or "").strip()
    if not cleaned:
        raise FieldError(field, _("This field is required."))
    if "\x00" in cleaned:
        raise FieldError(field, _("The text contains a character that cannot be stored."))
    return cleaned
