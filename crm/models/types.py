"""Annotated column types shared by the models, and the UTC clock."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

#: Money: Decimal in Python, Numeric(14, 2) in the database.
Money = Annotated[Decimal, "money"]
#: The largest amount a Money column holds.
MAX_MONEY = Decimal("999999999999.99")
#: An annual rate in percent (18.5 means 18.5 %), Numeric(7, 4).
Rate = Annotated[Decimal, "rate"]


def utcnow() -> datetime:
    """The current time, timezone-aware UTC; pass the function itself as a column default."""
    return datetime.now(UTC)
