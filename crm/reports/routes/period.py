"""The reports of a period (the current month up to today unless asked otherwise):
disbursements, collections, write-offs and applications, by product, each number linking
to the loans behind it; each report as a file."""

from collections.abc import Callable

from flask import render_template

from crm.clock import lender_today
from crm.extensions import db
from crm.figures_cache import Kept
from crm.reports import bp
from crm.reports.forms import OUTCOME_LABELS, PeriodForm
from crm.reports.queries import period as figures
from crm.reports.queries.period_figures import ByProduct
from crm.reports.routes.pages import kept_report, offered, tabs
from crm.reports.spreadsheets import FORMAT, period_file

#: Each report by its name in the addresses, with its query and its page's template.
REPORTS: dict[str, tuple[Callable[..., ByProduct], str]] = {
    "disbursements": (figures.disbursements, "reports/disbursements.html"),
    "collections": (figures.collections, "reports/collections.html"),
    "write-offs": (figures.write_offs, "reports/write_offs.html"),
    "applications": (figures.applications, "reports/applications.html"),
}


@bp.get("/disbursements")
def disbursements():
    return period_report("disbursements")


@bp.get("/collections")
def collections():
    return period_report("collections")


@bp.get("/write-offs")
def write_offs():
    return period_report("write-offs")


@bp.get("/applications")
def applications():
    return period_report("applications")


@bp.get(f"/<any(disbursements, collections, 'write-offs', applications):name>/export.{FORMAT}")
def period_export(name: str, file_format: str):
    form, found = checked(name)
    if found is None:
        return refused(name, form)
    return period_file(name, form.period, found.figures, file_format)


def period_report(name: str):
    """The page of the report `name` for the period and filters asked for; 422 with the
    messages beside the fields when they are not good."""
    form, found = checked(name)
    if found is None:
        return refused(name, form)
    _query, template = REPORTS[name]
    return render_template(
        template,
        form=form,
        tabs=tabs(form),
        args=form.link_args(),
        report=found.figures,
        computed_at=found.computed_at,
        outcomes=OUTCOME_LABELS,
    )


def checked(name: str) -> tuple[PeriodForm, Kept[ByProduct] | None]:
    """The period's form (by default the current month up to today), and the report `name`
    it asks for (None when its filters are not good)."""
    today = lender_today()
    form = PeriodForm(since=today.replace(day=1), until=today, **offered())
    if not form.check(today):
        return form, None
    query, _template = REPORTS[name]
    period, filters = form.period, form.filters()
    return form, kept_report(
        name,
        {"since": period.since, "until": period.until, **filters},
        lambda: query(db.session, period, **filters),
    )


def refused(name: str, form: PeriodForm):
    _query, template = REPORTS[name]
    return render_template(template, form=form, tabs=tabs(form), outcomes=OUTCOME_LABELS), 422
