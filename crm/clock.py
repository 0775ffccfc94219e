"""The lender's calendar: which day it is where the lender works."""

from datetime import UTC, date, datetime

from flask_babel import to_user_timezone


def lender_today() -> date:
    """Today in the lender's time zone (BABEL_DEFAULT_TIMEZONE), not where the server runs."""
    return to_user_timezone(datetime.now(UTC)).date()
