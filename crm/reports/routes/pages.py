"""What the reports' pages share: the choices of their filters, the tabs between them, and
their figures kept between requests."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from crm.auth.queries import staff_names
from crm.extensions import db
from crm.figures_cache import Kept, kept
from crm.products.queries import product_names
from crm.reports.forms import ReportForm

T = TypeVar("T")


def offered() -> dict[str, list[tuple[int, str]]]:
    """The products and the managers the filters offer."""
    return {"products": product_names(db.session), "managers": staff_names(db.session)}


@dataclass(frozen=True)
class Tab:
    label: LazyString
    href: str
    active: bool


#: The reports, by endpoint, in the order of their tabs.
REPORTS = {
    "reports.index": _l("Portfolio"),
    "reports.disbursements": _l("Disbursements"),
    "reports.collections": _l("Collections"),
    "reports.write_offs": _l("Write-offs"),
    "reports.applications": _l("Applications"),
}


def tabs(form: ReportForm) -> list[Tab]:
    """A tab for each report, carrying the page's filters that are good: the product, the
    manager, and the day to the portfolio or the period to a report of a period."""
    kept = form.kept()
    found = []
    for endpoint, label in REPORTS.items():
        unused = ("since", "until") if endpoint == "reports.index" else ("as_of",)
        args = {key: value for key, value in kept.items() if key not in unused}
        found.append(Tab(label, url_for(endpoint, **args), request.endpoint == endpoint))
    return found


def kept_report(name: str, asked: dict[str, object], compute: Callable[[], T]) -> Kept[T]:
    """The figures of the report `name` for what was `asked` (its day or period and filters),
    kept as the dashboard's are (crm/figures_cache.py): a report reads the ledger of every loan
    (1–2 s at 100 000 customers), and a portfolio is read again and again by the managers and
    by every export of its tables, from data that changes far more slowly."""
    key = ":".join(["report", name, *(f"{field}={asked[field]}" for field in sorted(asked))])
    return kept(db.session, key, compute, reader_id=current_user.id)
