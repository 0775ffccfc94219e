"""The lender's calendar and the app's clock: which day it is where the lender works, and
what time it is for anything that expires (log-in sessions, second-factor codes,
confirmations)."""

from datetime import UTC, date, datetime, time, tzinfo

from flask import current_app, has_app_context
from flask_babel import get_timezone, to_user_timezone


def lender_today() -> date:
    """Today in the lender's time zone (BABEL_DEFAULT_TIMEZONE), not where the server runs."""
    return lender_date(datetime.now(UTC))


def lender_date(moment: datetime) -> date:
    """The lender's calendar day at `moment`: 23:30 UTC is already tomorrow in Kyiv."""
    return to_user_timezone(moment).date()


def lender_wall_time(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """The lender's wall-clock time at `moment`, to the second and without a zone: what a
    spreadsheet, which keeps none, shows for it (21:30 UTC on 30 April is 00:30 on 1 May in
    Kyiv in summer). `zone` is the lender's (get_timezone()), from a caller that converts
    many moments and looks it up once."""
    local = as_utc(moment).astimezone(zone or get_timezone())
    return local.replace(tzinfo=None, microsecond=0)


def lender_day_start(day: date) -> datetime:
    """The UTC moment the lender's calendar day begins: 1 May starts at 21:00 UTC on 30 April
    in Kyiv (summer time), so a record made then belongs to 1 May."""
    zone = get_timezone()
    return zone.localize(datetime.combine(day, time.min)).astimezone(UTC)


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
