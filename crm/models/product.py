"""Credit products."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.lending.schedule import RepaymentMethod
from crm.models.base import Base
from crm.models.types import Money, Rate, utcnow

if TYPE_CHECKING:
    from crm.models.loan import Loan


class ProductCategory(enum.StrEnum):
    SECURED = "secured"
    UNSECURED = "unsecured"


#: Bounds every rate in the system obeys, in percent per year.
MIN_RATE, MAX_RATE = 0, 200
#: Bounds every term obeys, in months.
MIN_TERM, MAX_TERM = 1, 360
#: The longest product name the column holds.
MAX_PRODUCT_NAME = 120
#: The longest description kept (the column is TEXT): what the product is, in a paragraph.
MAX_DESCRIPTION = 2000


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint(f"annual_rate >= {MIN_RATE} AND annual_rate <= {MAX_RATE}", "rate_range"),
        CheckConstraint("min_amount > 0 AND max_amount >= min_amount", "amount_limits"),
        CheckConstraint(
            f"min_term >= {MIN_TERM} AND max_term <= {MAX_TERM} AND max_term >= min_term",
            "term_limits",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_PRODUCT_NAME), unique=True)
    #: Nominal annual rate in percent: 18.5 means 18.5 % a year.
    annual_rate: Mapped[Rate]
    category: Mapped[ProductCategory] = mapped_column(index=True)
    description: Mapped[str | None] = mapped_column(Text)
    min_amount: Mapped[Money]
    max_amount: Mapped[Money]
    #: Term limits in months.
    min_term: Mapped[int]
    max_term: Mapped[int]
    repayment_method: Mapped[RepaymentMethod] = mapped_column(default=RepaymentMethod.ANNUITY)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Bumped on every update; a stale edit fails instead of overwriting someone else's.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    loans: Mapped[list[Loan]] = relationship(back_populates="product", passive_deletes="all")

    def __str__(self) -> str:
        return self.name
