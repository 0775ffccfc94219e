"""The portfolio as of a day: its figures, then by product, by manager and by delinquency
bucket, each number linking to the loans behind it; each table as a file."""

from flask import render_template

from crm.clock import lender_today
from crm.extensions import db
from crm.figures_cache import Kept
from crm.lending.portfolio import percent
from crm.reports import bp
from crm.reports.forms import AsOfForm
from crm.reports.queries.portfolio import PortfolioReport, portfolio_report
from crm.reports.routes.pages import kept_report, offered, tabs
from crm.reports.spreadsheets import FORMAT, portfolio_file

TEMPLATE = "reports/portfolio.html"


@bp.get("/")
def index():
    form, found = checked()
    if found is None:
        return refused(form)
    report = found.figures
    outstanding = report.total.outstanding
    return render_template(
        TEMPLATE,
        form=form,
        tabs=tabs(form),
        args=form.link_args(),
        report=report,
        computed_at=found.computed_at,
        shares={
            group.key: percent(group.figures.outstanding, outstanding) for group in report.by_bucket
        },
    )


@bp.get(f"/export/<any(products, managers, buckets):table>.{FORMAT}")
def portfolio_export(table: str, file_format: str):
    form, found = checked()
    if found is None:
        return refused(form)
    return portfolio_file(table, found.figures, file_format)


def checked() -> tuple[AsOfForm, Kept[PortfolioReport] | None]:
    """The page's form, and the report it asks for (None when its filters are not good)."""
    today = lender_today()
    form = AsOfForm(as_of=today, **offered())
    if not form.check(today):
        return form, None
    as_of, filters = form.as_of.data, form.filters()
    return form, kept_report(
        "portfolio",
        {"as_of": as_of, **filters},
        lambda: portfolio_report(db.session, as_of, **filters),
    )


def refused(form: AsOfForm):
    return render_template(TEMPLATE, form=form, tabs=tabs(form)), 422
