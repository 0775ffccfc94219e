"""The lender's calendar: which day it is where the lender works; and the time now, which the
tests replace to move time (second-factor codes, confirmations) without sleeping."""

from datetime import UTC, date, datetime

from flask_babel import to_user_timezone


def lender_today() -> date:
    """Today in the lender's time zone (BABEL_DEFAULT_TIMEZONE), not where the server runs."""
    return to_user_timezone(datetime.now(UTC)).date()


def utc_now() -> datetime:
    """Now, timezone-aware UTC. Call it as `clock.utc_now()`, so that a test clock can stand in."""
    return datetime.now(UTC)
