"""The lender's calendar and the app's clock: which day it is where the lender works, and
what time it is for anything that expires (log-in sessions, second-factor codes,
confirmations)."""

from datetime import UTC, date, datetime, time

from flask import current_app, has_app_context
from flask_babel import to_user_timezone, to_utc


def lender_today() -> date:
    """Today in the lender's time zone (BABEL_DEFAULT_TIMEZONE), not where the server runs."""
    return lender_date(datetime.now(UTC))


def lender_date(moment: datetime) -> date:
    """The lender's calendar day at `moment`: 23:30 UTC is already tomorrow in Kyiv."""
    return to_user_timezone(moment).date()


def lender_day_start(day: date) -> datetime:
    """The moment the lender's calendar day `day` begins, as aware UTC: 9 March 00:00 in
    Kyiv is 8 March 22:00 UTC."""
    return to_utc(datetime.combine(day, time())).replace(tzinfo=UTC)


def utc_now() -> datetime:
    """The current time, timezone-aware UTC.

    Read from the app's CLOCK setting (a function returning an aware datetime) when one is
    set: tests set a clock they move by hand, so that a timeout is tested without waiting.
    """
    clock = current_app.config.get("CLOCK") if has_app_context() else None
    return clock() if clock is not None else datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime: SQLite hands stored times back without a zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
