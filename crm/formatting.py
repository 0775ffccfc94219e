"""Template filters for money, dates and statuses, formatted for the request's locale."""

from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
)

from crm.models import LoanStatus

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


def money(value: Decimal | None) -> str:
    return "" if value is None else format_currency(value, CURRENCY)


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{format_decimal(value, format='#,##0.00##')} %"


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    return format_date(value, "medium")


def register(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(percent)
    app.add_template_filter(day)
    app.add_template_global(STATUS_COLOURS, "status_colours")
    app.add_template_global(lambda: str(get_locale() or "en"), "current_locale")
