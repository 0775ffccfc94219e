"""The reports of a period (the current month up to today unless asked otherwise):
disbursements, collections, write-offs and applications, by product, each number linking
to the loans behind it."""

from collections.abc import Callable
from datetime import date

from flask import render_template

from crm.clock import lender_today
from crm.extensions import db
from crm.reports import bp
from crm.reports.forms import OUTCOME_LABELS, PeriodForm
from crm.reports.queries import period as figures
from crm.reports.routes.pages import offered, tabs


@bp.get("/disbursements")
def disbursements():
    return period_report("disbursements", figures.disbursements)


@bp.get("/collections")
def collections():
    return period_report("collections", figures.collections)


@bp.get("/write-offs")
def write_offs():
    return period_report("write_offs", figures.write_offs)


@bp.get("/applications")
def applications():
    return period_report("applications", figures.applications, outcomes=OUTCOME_LABELS)


def period_report(name: str, query: Callable[..., figures.ByProduct], **context):
    """The page `reports/<name>.html` with the report `query` gives for the period and
    filters asked for; 422 with the messages beside the fields when they are not good."""
    today = lender_today()
    form = period_form(today)
    template = f"reports/{name}.html"
    if not form.check(today):
        return render_template(template, form=form, tabs=tabs(form), **context), 422
    report = query(db.session, form.period, **form.filters())
    return render_template(
        template, form=form, tabs=tabs(form), args=form.link_args(), report=report, **context
    )


def period_form(today: date) -> PeriodForm:
    """The period's form, by default the current month up to today."""
    return PeriodForm(since=today.replace(day=1), until=today, **offered())
