"""The loans behind a report's figure, a page at a time, or all of them as a file."""

from flask import render_template

from crm.clock import lender_today
from crm.lending.delinquency import Bucket
from crm.paging import paginate
from crm.reports import bp
from crm.reports.forms import MEASURE_LABELS, OUTCOME_LABELS, LoansForm
from crm.reports.queries.drill import LoanList, Measure, period_list, position_list
from crm.reports.queries.monthly import Outcome
from crm.reports.routes.pages import offered, tabs
from crm.reports.spreadsheets import FORMAT, loans_file

TEMPLATE = "reports/loans.html"


@bp.get("/loans")
def loans():
    form = checked()
    context = page_context(form)
    if form.errors:
        return render_template(TEMPLATE, **context), 422
    loan_list = listed(form)
    page = paginate(loan_list.lines, count_of=loan_list.rows)
    return render_template(
        TEMPLATE, page=page, measure=Measure(form.measure.data), args=form.link_args(), **context
    )


@bp.get(f"/loans/export.{FORMAT}")
def loans_export(file_format: str):
    form = checked()
    if form.errors:
        return render_template(TEMPLATE, **page_context(form)), 422
    days = (form.as_of.data,) if form.as_of_measure else (form.since.data, form.until.data)
    return loans_file(Measure(form.measure.data), days, listed(form), file_format)


def checked() -> LoansForm:
    """The list's form, checked: its errors say whether its filters are good."""
    today = lender_today()
    form = LoansForm(
        measure=Measure.ACTIVE.value,
        as_of=today,
        since=today.replace(day=1),
        until=today,
        **offered(),
    )
    form.check(today)
    return form


def page_context(form: LoansForm) -> dict:
    return {
        "form": form,
        "tabs": tabs(form),
        "measures": MEASURE_LABELS,
        "outcomes": OUTCOME_LABELS,
    }


def listed(form: LoansForm) -> LoanList:
    """The list the checked form asks for."""
    measure, filters = Measure(form.measure.data), form.filters()
    if form.as_of_measure:
        bucket = Bucket(form.bucket.data) if form.bucket.data else None
        return position_list(form.as_of.data, measure, bucket=bucket, **filters)
    outcome = Outcome(form.outcome.data) if form.outcome.data else None
    return period_list(form.period, measure, outcome=outcome, **filters)
