"""Template filters for money, dates and statuses, formatted for the request's locale."""

import re
from datetime import date, datetime
from decimal import Decimal

import phonenumbers
from flask import Flask
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
)
from flask_babel import lazy_gettext as _l

from crm.models import LoanStatus, ProductCategory, RepaymentMethod

CURRENCY = "UAH"

#: Bootstrap colour of each status badge.
STATUS_COLOURS = {
    LoanStatus.PENDING: "warning",
    LoanStatus.REFUSED: "danger",
    LoanStatus.WITHDRAWN: "secondary",
    LoanStatus.ACTIVE: "primary",
    LoanStatus.FINISHED: "success",
    LoanStatus.WRITTEN_OFF: "dark",
}

#: What users read for each status; the stored values stay English identifiers.
STATUS_LABELS = {
    LoanStatus.PENDING: _l("Pending"),
    LoanStatus.REFUSED: _l("Refused"),
    LoanStatus.WITHDRAWN: _l("Withdrawn"),
    LoanStatus.ACTIVE: _l("Active"),
    LoanStatus.FINISHED: _l("Finished"),
    LoanStatus.WRITTEN_OFF: _l("Written off"),
}

CATEGORY_LABELS = {
    ProductCategory.SECURED: _l("Secured"),
    ProductCategory.UNSECURED: _l("Unsecured"),
}

REPAYMENT_LABELS = {
    RepaymentMethod.ANNUITY: _l("Annuity"),
    RepaymentMethod.DIFFERENTIATED: _l("Differentiated"),
}


#: Where a currency code touches a digit ("UAH10.00"); CLDR puts a space there, Babel does not.
CODE_BESIDE_DIGIT = re.compile(r"(?<=[^\W\d])(?=\d)|(?<=\d)(?=[^\W\d])")


def money(value: Decimal | None) -> str:
    """UAH 1,234.50 in English, 1 234,50 ₴ in Ukrainian: the locale's own pattern."""
    if value is None:
        return ""
    return CODE_BESIDE_DIGIT.sub("\u00a0", format_currency(value, CURRENCY))


def number(value: int | None) -> str:
    """A count with the locale's digit grouping: 12,345."""
    return "" if value is None else format_decimal(value, format="#,##0")


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{format_decimal(value, format='#,##0.00##')} %"


def day(value: date | datetime | None, time: bool = True) -> str:
    """A date, or a moment in the user's time zone; `time=False` drops the time (for lists)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and time:
        return format_datetime(value, "short")
    return format_date(value, "medium")


def phone(value: str | None) -> str:
    """+380501234567 → +380 50 123 4567; anything that does not parse is shown as stored."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def register(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(number)
    app.add_template_filter(percent)
    app.add_template_filter(day)
    app.add_template_filter(phone)
    app.add_template_global(STATUS_COLOURS, "status_colours")
    app.add_template_global(STATUS_LABELS, "status_labels")
    app.add_template_global(CATEGORY_LABELS, "category_labels")
    app.add_template_global(REPAYMENT_LABELS, "repayment_labels")
    app.add_template_global(lambda: str(get_locale() or "en"), "current_locale")
