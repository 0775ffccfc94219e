"""The portfolio as of a day: its figures, then by product, by manager and by delinquency
bucket, each number linking to the loans behind it."""

from flask import render_template

from crm.clock import lender_today
from crm.extensions import db
from crm.lending.portfolio import percent
from crm.reports import bp
from crm.reports.forms import AsOfForm
from crm.reports.queries.portfolio import portfolio_report
from crm.reports.routes.pages import offered, tabs

TEMPLATE = "reports/portfolio.html"


@bp.get("/")
def index():
    today = lender_today()
    form = AsOfForm(as_of=today, **offered())
    if not form.check(today):
        return render_template(TEMPLATE, form=form, tabs=tabs(form)), 422
    report = portfolio_report(db.session, form.as_of.data, **form.filters())
    outstanding = report.total.outstanding
    return render_template(
        TEMPLATE,
        form=form,
        tabs=tabs(form),
        args=form.link_args(),
        report=report,
        shares={
            group.key: percent(group.figures.outstanding, outstanding) for group in report.by_bucket
        },
    )
