"""`flask --app wsgi reports …`: the portfolio as of a day, and the month ends kept for charts."""

import json
from datetime import date
from decimal import Decimal

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.cli.options import Day, table_or_json
from crm.clock import lender_today
from crm.extensions import db
from crm.i18n.commands import option
from crm.lending.portfolio import PortfolioFigures
from crm.reports.queries.portfolio import portfolio_as_of
from crm.reports.services import record_month_ends

reports = AppGroup("reports", help=_l("Portfolio reports from the ledger, as of any day."))

#: How many closed month ends `month-ends` keeps by default: the dashboard's year of PAR.
MONTHS = 12


@reports.command(
    "portfolio",
    help=_l(
        "The portfolio at the end of a day, from the ledger alone: installments due by then, "
        "payments dated by then and not reversed by then. The same day gives the same "
        "figures whenever it is asked. PAR n is the outstanding principal of the loans with "
        "an installment unpaid for more than n days, as a percentage of all outstanding "
        "principal."
    ),
)
@option(
    "--as-of",
    "as_of",
    type=Day(),
    metavar="YYYY-MM-DD",
    help=_l("The day.  [default: the lender's today]"),
)
@table_or_json
def portfolio_command(as_of: date | None, output_format: str) -> None:
    figures = portfolio_as_of(db.session, as_of or lender_today())
    if output_format == "json":
        click.echo(json.dumps(portfolio_json(figures), indent=2))
    else:
        click.echo(portfolio_table(figures))


def portfolio_json(figures: PortfolioFigures) -> dict:
    """The keys DESIGN.md promises: money and percentages as strings with two decimals."""
    return {
        "as_of": figures.as_of.isoformat(),
        "active_loans": figures.active_loans,
        "outstanding_principal": _two_decimals(figures.outstanding),
        "overdue_amount": _two_decimals(figures.overdue_amount),
        "par1": _two_decimals(figures.par(1)),
        "par30": _two_decimals(figures.par(30)),
        "par90": _two_decimals(figures.par(90)),
        "loans_par30": figures.loans_at_risk[30],
    }


def _two_decimals(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def portfolio_table(figures: PortfolioFigures) -> str:
    rows = [
        (_("Active loans"), str(figures.active_loans)),
        (_("Outstanding principal"), _two_decimals(figures.outstanding)),
        (_("Overdue amount"), _two_decimals(figures.overdue_amount)),
        *(
            (_("PAR%(days)d", days=days), _percent(figures.par(days)))
            for days in sorted(figures.at_risk)
        ),
        (_("Loans more than 30 days past due"), str(figures.loans_at_risk[30])),
    ]
    width = max(len(label) for label, _value in rows)
    lines = [_("Portfolio at the end of %(date)s", date=figures.as_of.isoformat())]
    lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
    return "\n".join(lines)


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f} %"


@reports.command(
    "month-ends",
    help=_l(
        "Compute and keep the portfolio's figures at the month ends the dashboard's PAR chart "
        "shows, those not kept yet (run it nightly from cron, after `collections daily`). A "
        "payment or a disbursement dated into a closed month drops the month ends from that "
        "day on, and the next run computes them again."
    ),
)
@option(
    "--months",
    type=click.IntRange(1, 120),
    default=MONTHS,
    show_default=True,
    help=_l("How many closed months back."),
)
def month_ends_command(months: int) -> None:
    computed = record_month_ends(db.session, lender_today(), months)
    db.session.commit()
    click.echo(
        _(
            "Month ends computed: %(num)d (%(days)s).",
            num=len(computed),
            days=", ".join(day.isoformat() for day in computed) or "—",
        )
    )
