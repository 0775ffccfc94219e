"""Checks and normalisation shared by the staff forms, the admin and the CLI.

Each function returns the cleaned value or raises FieldError naming the field, so that
every entry point shows the same message next to the same field.
"""

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError
from email_validator import validate_email as _check_email
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm.exc import StaleDataError

from crm.lending.money import is_cents
from crm.models.types import MAX_MONEY

#: Ten ASCII digits: `\d` would also take other scripts' digits ("١٢٣…").
TAX_ID_PATTERN = re.compile(r"[0-9]{10}")
#: Oldest plausible borrower; older birth dates are typos.
MAX_AGE_YEARS = 120
#: The largest id an INTEGER column holds; a bigger one names no record.
MAX_ID = 2**31 - 1
#: The version a form claims when it sends none (or a mangled one): no record is ever at
#: version 0, so the edit is refused as stale instead of saved over whatever is there now.
MISSING_VERSION = 0
#: Control characters no text is stored with: C0 (tab and line breaks aside, which a
#: multi-line text keeps), DEL and C1. NUL is among them; PostgreSQL refuses it outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: How long a phone number may be as typed (spaces, dashes and brackets included): the
#: forms' limit, well above any number's; the column holds the number normalised.
MAX_TYPED_PHONE = 32
#: Phones and e-mail addresses whose normal form is remembered: an import checks each one
#: twice (to find the customer by it, then with the customer's other details), and parsing
#: them is most of the cost of a row. Only results are remembered, never a refusal, whose
#: message is in the language of the moment.
NORMALISED_KEPT = 4096
#: The long-distance "8" of the old numbering, still written before a Ukrainian number
#: ("8 067 765 43 21", "8(067)7654321"), which phonenumbers would read as part of it.
OLD_TRUNK_PREFIX = re.compile(r"^\s*8(?=[\s\-.()]*0)")


class FieldError(ValueError):
    """Bad input for one field; `field` names it, the message says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def show_in(self, form) -> None:
        """Put the message beside the form's field it names (a WTForms form), or above the
        form when it has no such field."""
        errors = form[self.field].errors if self.field in form else form.form_errors
        errors.append(self.message)


class TakenError(FieldError):
    """A value that must be unique and that another record (`record_id`) already has. The
    message names no one: the staff's pages may link to the record, others must not."""

    def __init__(self, field: str, message: str, record_id: int) -> None:
        super().__init__(field, message)
        self.record_id = record_id


def clean_name(
    value: str | None, field: str, *, max_length: int, required: bool = True
) -> str | None:
    """Trim and collapse inner white space (a name is one line); an empty required name is
    an error, and so is one longer than `max_length` characters (see check_text)."""
    cleaned = " ".join((value or "").split())
    if not cleaned:
        if required:
            raise FieldError(field, _("This field is required."))
        return None
    return check_text(cleaned, field, max_length=max_length)


def required_text(value: str | None, field: str, *, max_length: int) -> str:
    """The text trimmed (line breaks inside it kept); empty is an error, and so is text
    longer than `max_length` characters or holding a control character (see check_text)."""
    cleaned = (value or "").strip()
    if not cleaned:
        raise FieldError(field, _("This field is required."))
    return check_text(cleaned, field, max_length=max_length)


def optional_text(value: str | None, field: str, *, max_length: int) -> str | None:
    """As required_text, but empty text gives None."""
    cleaned = (value or "").strip()
    return check_text(cleaned, field, max_length=max_length) if cleaned else None


def check_text(text: str, field: str, *, max_length: int) -> str:
    """`text` as it is, when it fits in `max_length` characters (the column's size, or the
    limit the form shows) and holds no control character; FieldError on `field` if not."""
    if CONTROL_CHARACTERS.search(text):
        raise FieldError(field, _("The text contains a character that cannot be stored."))
    if len(text) > max_length:
        raise FieldError(
            field,
            ngettext(
                "Too long: at most %(num)d character (this has %(count)d).",
                "Too long: at most %(num)d characters (this has %(count)d).",
                max_length,
                count=len(text),
            ),
        )
    return text


@lru_cache(maxsize=NORMALISED_KEPT)
def normalise_phone(value: str | None, field: str = "phone", region: str = "UA") -> str:
    """The number in E.164 (+380501234567); numbers without a country code use `region`.

    Any usual way of writing it is read, spaces, dashes and brackets included, however long:
    +380 67 765 43 21, +38 (067) 765-43-21, 067 765 43 21, 380677654321 and, in Ukraine,
    8 067 765 43 21. The one place phones are normalised, so check no length before it.
    """
    if not value or not value.strip():
        raise FieldError(field, _("This field is required."))
    if region == "UA":
        value = OLD_TRUNK_PREFIX.sub("", value, count=1)
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise FieldError(field, _("Not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise FieldError(field, _("Not a valid phone number."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=NORMALISED_KEPT)
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
    if not TAX_ID_PATTERN.fullmatch(cleaned):
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
    from 1 to MAX_ID. More digits than MAX_ID has are no id either (and int() refuses a
    string of over 4 300 digits with a ValueError)."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_version(value: object) -> int:
    """The version of a record that a form was built from (its hidden `version` field),
    read as parse_id reads an id; MISSING_VERSION when there is none, so that a form without
    one counts as stale."""
    return parse_id(value) or MISSING_VERSION


def check_version(record: object, expected_version: int | None) -> None:
    """Raise StaleDataError when `record` (a model with a `version` column, counted by
    SQLAlchemy's version_id_col) is no longer at `expected_version`: someone saved it after
    the user's form was built. None skips the check, for writers that edit no form (the
    CLI, the demo data); every form passes parse_version's answer."""
    current = record.version
    if expected_version is not None and expected_version != current:
        name = type(record).__name__
        raise StaleDataError(f"{name} {record.id} is at version {current}, not {expected_version}")


def check_money(value: Decimal | None, field: str) -> Decimal:
    """A positive amount in whole cents that the money columns can hold."""
    if value is None:
        raise FieldError(field, _("This field is required."))
    if not value.is_finite() or value <= 0:
        raise FieldError(field, _("The amount must be greater than zero."))
    # Before the places: rounding 1E+309 to cents needs more digits than any context has.
    if value > MAX_MONEY:
        raise FieldError(field, _("The amount is too large."))
    if not is_cents(value):
        raise FieldError(field, _("The amount has at most 2 decimal places."))
    return value
