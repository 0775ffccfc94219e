"""Borrowers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from crm.models.base import Base
from crm.models.sorting import ukrainian_order
from crm.models.types import foreign_id, utcnow

if TYPE_CHECKING:
    from crm.models.loan import Loan
    from crm.models.user import User

#: The longest last name, first name or patronymic the columns hold.
MAX_NAME = 100
#: The longest address kept (the column is TEXT): a postal address, not a letter.
MAX_ADDRESS = 500


def person_name(last_name: str, first_name: str, patronymic: str | None) -> str:
    """Last name, first name, patronymic: the order Ukrainian documents use; blanks skipped."""
    return " ".join(part for part in (last_name, first_name, patronymic) if part)


def search_key(*parts: str | None) -> str:
    """Text that `LIKE '%q%'` matches case-insensitively for any alphabet.

    SQLite's LOWER() folds ASCII only, so Cyrillic names are folded in Python once, on write.
    """
    return " ".join(part.casefold() for part in parts if part)


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    last_name: Mapped[str] = mapped_column(String(MAX_NAME))
    first_name: Mapped[str] = mapped_column(String(MAX_NAME))
    patronymic: Mapped[str | None] = mapped_column(String(MAX_NAME))
    #: E.164, e.g. +380501234567.
    phone: Mapped[str] = mapped_column(String(16), index=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    birth_date: Mapped[date | None]
    #: RNOKPP, the Ukrainian taxpayer number: 10 digits.
    tax_id: Mapped[str | None] = mapped_column(String(10), unique=True)
    address: Mapped[str | None] = mapped_column(Text)
    #: use_alter: users and customers point at each other, so this key is added after both exist.
    manager_id: Mapped[int | None] = foreign_id("users", use_alter=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: Case-folded name, phone, e-mail and tax id, kept in step by a mapper event.
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: Bumped on every update; a stale edit fails instead of overwriting someone else's.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])
    login: Mapped[User | None] = relationship(
        foreign_keys="User.customer_id", back_populates="customer"
    )
    loans: Mapped[list[Loan]] = relationship(
        back_populates="customer", passive_deletes="all", order_by="Loan.amount.desc()"
    )
    #: Whether the customer has a loan, where the query asked for it (with_expression): the
    #: admin's list, which offers a delete only to customers without one. None elsewhere.
    has_loans: Mapped[bool | None] = query_expression()

    @property
    def full_name(self) -> str:
        return person_name(self.last_name, self.first_name, self.patronymic)

    def refresh_search_text(self) -> None:
        self.search_text = search_key(
            self.last_name,
            self.first_name,
            self.patronymic,
            self.phone,
            self.email,
            self.tax_id,
        )

    def __str__(self) -> str:
        return self.full_name


#: Customers by name in Ukrainian alphabetical order; the id comes last so that namesakes keep
#: one order and the pages of a list neither repeat nor skip anyone.
NAME_ORDER = (
    ukrainian_order(Customer.last_name),
    ukrainian_order(Customer.first_name),
    ukrainian_order(Customer.patronymic),
    Customer.id,
)
#: The same order, stored: a page of the list sorted by name reads its own entries of this
#: index (backwards for the descending sort) instead of sorting every customer. It only serves
#: an ORDER BY of exactly these expressions, or of their first ones, all in one direction.
#: PostgreSQL also keeps the three names in it: its planner reads an index alone (an
#: index-only scan) only when the columns an expression is made of are there, and a page
#: deep in the list reads up to half the entries for its ids (SQLite's entries hold them).
Index(
    "ix_customers_name_order",
    *NAME_ORDER,
    postgresql_include=["last_name", "first_name", "patronymic"],
)


@event.listens_for(Customer, "before_insert")
@event.listens_for(Customer, "before_update")
def _keep_search_text(_mapper, _connection, customer: Customer) -> None:
    customer.refresh_search_text()
