"""How the admin shows stored values: column formatters, and an enum's members by label."""

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from markupsafe import Markup, escape

from crm.i18n.labels import STATUS_LABELS
from crm.models import Loan
from crm.templating import STATUS_COLOURS


def formatted(function: Callable[[Any], Any], attribute: str | None = None):
    """A column formatter that shows the model's attribute through a template filter."""

    def formatter(_view, _context, model, name):
        return function(getattr(model, attribute or name))

    return formatter


def status_badge(_view, _context, loan: Loan, _name) -> Markup:
    # An f-string of escaped values: Markup.format's formatter, a cell of every row of the
    # loans list, cost as much as the rest of the row's cells together.
    label = escape(STATUS_LABELS[loan.status])
    return Markup(f'<span class="badge badge-{STATUS_COLOURS[loan.status]}">{label}</span>')  # noqa: S704 (our colour, an escaped label)


def label_of(labels: Mapping[Enum, str]):
    """A column formatter that shows an enum column by its label (crm/i18n/labels.py)."""

    def formatter(_view, _context, model, name):
        return labels[getattr(model, name)]

    return formatter


def enum_labels(enum_class: type[Enum], labels: Mapping[Enum, str]) -> list[tuple[Any, str]]:
    """(stored value, label) of each member, in the enum's order: a filter's or a form's options."""
    return [(member.value, labels[member]) for member in enum_class]
