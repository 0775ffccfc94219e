"""Checks and normalisation shared by the staff forms, the admin and the CLI.

Each function returns the cleaned value or raises FieldError naming the field, so that
every entry point shows the same message next to the same field.
"""

import re
from datetime import date

import phonenumbers
from email_validator import EmailNotValidError
from email_validator import validate_email as _check_email
from flask_babel import gettext as _

TAX_ID_PATTERN = re.compile(r"^\d{10}$")
#: Oldest plausible borrower; older birth dates are typos.
MAX_AGE_YEARS = 120


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
