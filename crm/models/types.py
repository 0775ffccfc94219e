"""Annotated column types shared by the models, and the UTC clock."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import MappedColumn, mapped_column

#: Money: Decimal in Python, Numeric(14, 2) in the database.
Money = Annotated[Decimal, "money"]
#: The largest amount a Money column holds.
MAX_MONEY = Decimal("999999999999.99")
#: The longest reason kept for a step (a refusal, a write-off, a reversal): a sentence or
#: two, not a document. The columns are TEXT; the services hold every entry point to this.
MAX_REASON = 2000
#: An annual rate in percent (18.5 means 18.5 %), Numeric(7, 4).
Rate = Annotated[Decimal, "rate"]


def utcnow() -> datetime:
    """The current time, timezone-aware UTC; pass the function itself as a column default."""
    return datetime.now(UTC)


def foreign_id(table: str, *, ondelete: str = "RESTRICT", **foreign_key: Any) -> MappedColumn:
    """An indexed foreign key to `table`.id: lists filter and join on every one of them.
    By default the row it points to cannot be deleted while this one does."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete=ondelete, **foreign_key), index=True)
