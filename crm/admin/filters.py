"""The list filters: drop-downs of the current choices, and ranges of dates."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import Enum
from typing import Any

from flask_admin.contrib.sqla.filters import (
    DateTimeBetweenFilter,
    DateTimeGreaterFilter,
    DateTimeSmallerFilter,
    FilterEqual,
)

from crm.admin.columns import COLUMN_LABELS
from crm.admin.formatters import enum_labels
from crm.auth.queries import staff_names
from crm.extensions import db
from crm.i18n.labels import CATEGORY_LABELS
from crm.models import Customer, Product, ProductCategory


class LazyChoices:
    """Filter options read from the database when a page shows them, not when the app starts.

    Flask-Admin asks a filter for its options once, while the view is built; handing it this
    iterable postpones the query to each list page, so new products or managers appear.
    """

    def __init__(self, load: Callable[[], Iterable[tuple[Any, str]]]) -> None:
        self.load = load

    def __bool__(self) -> bool:
        return True

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        return iter(self.load())


class ChoiceFilter(FilterEqual):
    """An "equals" filter with a drop-down of the current choices; other values are ignored.

    `load` returns (value, label) pairs; `coerce` turns the value from the URL back into
    what the column holds (int for ids, str for enum values).
    """

    def __init__(
        self,
        column,
        name: str,
        load: Callable[[], Iterable[tuple[Any, str]]],
        coerce: Callable[[str], Any] = str,
    ) -> None:
        super().__init__(column, name)
        self.load = load
        self.coerce = coerce

    def get_options(self, view):
        return LazyChoices(self.load)

    def validate(self, value) -> bool:
        return str(value) in {str(choice) for choice, _label in self.load()}

    def clean(self, value):
        return self.coerce(value)


class TypedTextFilter(FilterEqual):
    """An "equals" filter on a text column stored lower-case (an e-mail), for text typed in
    any case; NUL, which PostgreSQL refuses in a parameter, is never part of one."""

    def clean(self, value):
        return str(value).replace("\x00", "").strip().lower()


def enum_filter(
    column, name: str, enum_class: type[Enum], labels: Mapping[Enum, str]
) -> ChoiceFilter:
    """An "equals" filter on an enum column, offering its members by label."""
    return ChoiceFilter(column, name, lambda: enum_labels(enum_class, labels))


def manager_filter() -> ChoiceFilter:
    """The customer's manager (for loans, their customer's), among all staff members."""
    return ChoiceFilter(
        Customer.manager_id, COLUMN_LABELS["manager"], lambda: staff_names(db.session), int
    )


def category_filter() -> ChoiceFilter:
    """The product's category (for loans, their product's)."""
    return enum_filter(
        Product.category, COLUMN_LABELS["category"], ProductCategory, CATEGORY_LABELS
    )


def date_filters(column, name: str) -> list:
    """After, before and between, for a timestamp column (equality to the second is no use)."""
    return [
        DateTimeGreaterFilter(column, name),
        DateTimeSmallerFilter(column, name),
        DateTimeBetweenFilter(column, name),
    ]
