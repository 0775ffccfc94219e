"""The reports as CSV and XLSX files (crm/exports/): each table of a report, with its total,
and the list of the loans behind a figure, every page of it. The files hold the figures the
page shows, read by the same queries with the same filters, and name their day or period
in their first columns, so that a file read later still says what it is of."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import LazyString, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.exports.columns import Column, Kind, streamed
from crm.exports.download import Export, download
from crm.exports.writers import FileFormat
from crm.extensions import db
from crm.i18n.labels import BUCKET_LABELS
from crm.lending.portfolio import PAR_DAYS, percent
from crm.reports.forms import OUTCOME_LABELS
from crm.reports.queries.drill import AS_OF_MEASURES, LoanLine, LoanList, Measure
from crm.reports.queries.monthly import Outcome
from crm.reports.queries.period_figures import ByProduct, Period
from crm.reports.queries.portfolio import PortfolioReport

#: The address of a report's file ends in its format.
FORMAT = "<any(csv, xlsx):file_format>"
#: The page arguments an audited download names (crm.exports.download.used_filters).
FILTERS = ("as_of", "since", "until", "product_id", "manager_id", "measure", "bucket", "outcome")


@dataclass(frozen=True)
class Line:
    """A row of a report's table: the group's name and its figures."""

    name: str
    figures: Any


def _lines(groups: Iterable[tuple[str, Any]], total: Any) -> list[Line]:
    """A table's rows and the total below them, as the page shows them."""
    return [*(Line(name, figures) for name, figures in groups), Line(_("In all"), total)]


def _day(label: LazyString, day: date) -> Column:
    return Column(label, Kind.DATE, lambda _row: day)


def _par(days: int) -> LazyString:
    """The page's header of a PAR column: "PAR30" («Під ризиком 30+» in Ukrainian)."""
    return _l("PAR%(days)d", days=days)


# --- The portfolio ----------------------------------------------------------------------------


def _portfolio_columns(as_of: date, first: LazyString) -> tuple[Column, ...]:
    at_risk = []
    for days in PAR_DAYS:
        at_risk.append(Column(_par(days), Kind.PERCENT, lambda row, n=days: row.figures.par(n)))
        at_risk.append(
            Column(
                lazy_ngettext(
                    "Loans over %(num)d day past due", "Loans over %(num)d days past due", days
                ),
                Kind.INTEGER,
                lambda row, n=days: row.figures.loans_at_risk[n],
            )
        )
    return (
        _day(_l("As of"), as_of),
        Column(first, Kind.TEXT, lambda row: row.name),
        Column(_l("Active loans"), Kind.INTEGER, lambda row: row.figures.active_loans),
        Column(_l("Outstanding principal"), Kind.MONEY, lambda row: row.figures.outstanding),
        Column(_l("Overdue loans"), Kind.INTEGER, lambda row: row.figures.overdue_loans),
        Column(_l("Overdue amount"), Kind.MONEY, lambda row: row.figures.overdue_amount),
        *at_risk,
    )


def _aging_columns(as_of: date, total: Any) -> tuple[Column, ...]:
    return (
        _day(_l("As of"), as_of),
        Column(_l("Days past due"), Kind.TEXT, lambda row: row.name),
        Column(_l("Loans"), Kind.INTEGER, lambda row: row.figures.active_loans),
        Column(_l("Outstanding principal"), Kind.MONEY, lambda row: row.figures.outstanding),
        Column(
            _l("Share of the principal"),
            Kind.PERCENT,
            lambda row: percent(row.figures.outstanding, total.outstanding),
        ),
        Column(_l("Overdue amount"), Kind.MONEY, lambda row: row.figures.overdue_amount),
    )


def portfolio_file(table: str, report: PortfolioReport, file_format: str):
    """The download of one table of the portfolio: `table` is products, managers or buckets."""
    as_of, total = report.as_of, report.total
    if table == "products":
        groups = ((group.name, group.figures) for group in report.by_product)
        columns = _portfolio_columns(as_of, _l("Product"))
        title = _l("Portfolio by product")
    elif table == "managers":
        nobody = _("Nobody’s customers")
        groups = (
            (group.name if group.key is not None else nobody, group.figures)
            for group in report.by_manager
        )
        columns = _portfolio_columns(as_of, _l("Manager"))
        title = _l("Portfolio by manager")
    else:
        groups = ((str(BUCKET_LABELS[group.key]), group.figures) for group in report.by_bucket)
        columns = _aging_columns(as_of, total)
        title = _l("Aging by delinquency bucket")
    export = Export(f"portfolio-{table}", title, "portfolio", columns, FILTERS)
    lines = _lines(groups, total)
    return download(export, FileFormat(file_format), lambda: lines)


# --- The reports of a period ------------------------------------------------------------------


def _counted(amount: LazyString) -> tuple[Column, ...]:
    return (
        Column(_l("Loans"), Kind.INTEGER, lambda row: row.figures.loans),
        Column(amount, Kind.MONEY, lambda row: row.figures.amount),
    )


def _collections() -> tuple[Column, ...]:
    return (
        Column(_l("Loans"), Kind.INTEGER, lambda row: row.figures.loans),
        Column(_l("Due"), Kind.MONEY, lambda row: row.figures.due),
        Column(_l("Received for it"), Kind.MONEY, lambda row: row.figures.received),
        Column(_l("Shortfall"), Kind.MONEY, lambda row: row.figures.shortfall),
        Column(_l("Efficiency"), Kind.PERCENT, lambda row: row.figures.efficiency),
        Column(_l("Money received in the period"), Kind.MONEY, lambda row: row.figures.paid),
    )


def _applications() -> tuple[Column, ...]:
    columns = [
        Column(_l("Applications"), Kind.INTEGER, lambda row: row.figures.total.loans),
        Column(_l("Amount"), Kind.MONEY, lambda row: row.figures.total.amount),
    ]
    for outcome in (Outcome.PENDING, Outcome.REFUSED, Outcome.WITHDRAWN, Outcome.APPROVED):
        columns.append(
            Column(
                OUTCOME_LABELS[outcome], Kind.INTEGER, lambda row, o=outcome: row.figures[o].loans
            )
        )
    columns.append(Column(_l("Approval rate"), Kind.PERCENT, lambda row: row.figures.approval_rate))
    return tuple(columns)


#: Each report of a period by its name in the addresses: its title and its columns.
PERIOD_REPORTS: dict[str, tuple[LazyString, Callable[[], tuple[Column, ...]]]] = {
    "disbursements": (_l("Disbursements"), lambda: _counted(_l("Principal"))),
    "collections": (_l("Collections"), _collections),
    "write-offs": (_l("Write-offs"), lambda: _counted(_l("Principal written off"))),
    "applications": (_l("Applications"), _applications),
}


def period_file(name: str, period: Period, report: ByProduct, file_format: str):
    """The download of the report of a period `name` (a key of PERIOD_REPORTS), by product."""
    title, columns = PERIOD_REPORTS[name]
    columns = (
        _day(_l("From"), period.since),
        _day(_l("To"), period.until),
        Column(_l("Product"), Kind.TEXT, lambda row: row.name),
        *columns(),
    )
    export = Export(name, title, name.replace("-", "_"), columns, FILTERS)
    lines = _lines(((line.name, line.figures) for line in report.products), report.total)
    return download(export, FileFormat(file_format), lambda: lines)


# --- The loans behind a figure ----------------------------------------------------------------

_LOAN = (
    Column(_l("Loan"), Kind.INTEGER, lambda line: line.loan_id),
    Column(_l("Customer"), Kind.TEXT, lambda line: line.customer_name),
    Column(_l("Product"), Kind.TEXT, lambda line: line.product_name),
    Column(_l("Manager"), Kind.TEXT, lambda line: line.manager_name),
    Column(_l("Amount"), Kind.MONEY, lambda line: line.amount),
)
#: The columns of each figure's list after the loan's own, as on the page.
_MEASURE_COLUMNS = {
    Measure.DISBURSED: (Column(_l("Disbursed on"), Kind.DATE, lambda line: line.disbursed_on),),
    Measure.WRITTEN_OFF: (
        Column(_l("Written off"), Kind.DATETIME, lambda line: line.written_off_at),
        Column(_l("Principal written off"), Kind.MONEY, lambda line: line.written_off),
    ),
    Measure.DUE: (
        Column(_l("Due in the period"), Kind.MONEY, lambda line: line.due),
        Column(_l("Received for it"), Kind.MONEY, lambda line: line.received),
        Column(_l("Shortfall"), Kind.MONEY, lambda line: line.due - line.received),
    ),
    Measure.APPLICATIONS: (
        Column(_l("Applied"), Kind.DATETIME, lambda line: line.created_at),
        Column(
            _l("Decided"),
            Kind.DATETIME,
            lambda line: None if line.outcome is Outcome.PENDING else line.decided_at,
        ),
        Column(_l("Outcome"), Kind.TEXT, lambda line: line.outcome, OUTCOME_LABELS),
    ),
}
_POSITION_COLUMNS = (
    Column(_l("Outstanding principal"), Kind.MONEY, lambda line: line.outstanding),
    Column(_l("Overdue amount"), Kind.MONEY, lambda line: line.overdue),
    Column(_l("Days past due"), Kind.INTEGER, lambda line: line.days_past_due),
)


def loans_file(measure: Measure, days: tuple[date, ...], loan_list: LoanList, file_format: str):
    """The download of the loans behind a figure: `days` is its day, or its period's two."""
    if measure in AS_OF_MEASURES:
        dated = (_day(_l("As of"), days[0]),)
        columns = (*dated, *_LOAN, *_POSITION_COLUMNS)
    else:
        dated = (_day(_l("From"), days[0]), _day(_l("To"), days[1]))
        columns = (*dated, *_LOAN, *_MEASURE_COLUMNS[measure])
    export = Export("report-loans", _l("Loans behind a figure"), "report_loans", columns, FILTERS)
    statement = loan_list.lines

    def rows() -> Iterable[LoanLine]:
        return streamed(db.session, statement)

    return download(export, FileFormat(file_format), rows)
