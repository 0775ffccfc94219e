"""What the reports' pages share: the choices of their filters, and the tabs between them."""

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from crm.auth.queries import staff_names
from crm.extensions import db
from crm.products.queries import product_names
from crm.reports.forms import ReportForm


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
