"""`flask --app wsgi loans …`: loan calculations, such as `loans quote`."""

import json
from datetime import datetime
from decimal import Decimal

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, pgettext

from crm.cli.options import table_or_json
from crm.i18n.commands import option
from crm.i18n.formats import parse_amount
from crm.i18n.labels import REPAYMENT_LABELS
from crm.lending.disclosure import Disclosure, disclose
from crm.lending.money import CONTEXT
from crm.lending.schedule import RepaymentMethod, Schedule, add_months, build_schedule
from crm.models.product import MAX_RATE, MAX_TERM, MIN_RATE, MIN_TERM

loans = AppGroup("loans", help=_l("Loan calculations."))


class DecimalRange(click.ParamType):
    """A decimal number read from its text (never through float), with bounds and places.

    Read as the forms read amounts (crm.i18n.formats.parse_amount), written the English
    way whatever the shell's language, as scripts write numbers: ASCII digits, a decimal
    point and optional comma grouping ("10000.50", "10,000.50"); no exponent, sign or
    underscore.
    """

    #: How the numbers are written, whatever language the messages are in.
    locale = "en"

    name = "decimal"

    def __init__(self, low: Decimal, high: Decimal, places: int, *, low_open: bool = False) -> None:
        self.low, self.high, self.places, self.low_open = low, high, places, low_open

    def convert(self, value, param, ctx) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_amount(value, self.locale)
        except ValueError:
            number = None
        if number is None:
            self.fail(_("%(value)r is not a number.", value=value), param, ctx)
        too_low = number <= self.low if self.low_open else number < self.low
        if too_low or number > self.high:
            if self.low_open:
                message = _(
                    "%(value)s is out of range: more than %(low)s and at most %(high)s.",
                    value=value,
                    low=self.low,
                    high=self.high,
                )
            else:
                message = _(
                    "%(value)s is out of range: at least %(low)s and at most %(high)s.",
                    value=value,
                    low=self.low,
                    high=self.high,
                )
            self.fail(message, param, ctx)
        if number != number.quantize(Decimal(1).scaleb(-self.places), context=CONTEXT):
            self.fail(
                ngettext(
                    "%(value)s has more than %(num)d decimal place.",
                    "%(value)s has more than %(num)d decimal places.",
                    self.places,
                    value=value,
                ),
                param,
                ctx,
            )
        return number


@loans.command(
    "quote", help=_l("Print a loan's repayment schedule, totals and APRC without saving anything.")
)
@option(
    "--amount",
    type=DecimalRange(Decimal(0), Decimal("999999999999.99"), 2, low_open=True),
    required=True,
    help=_l("Principal, to the cent: 10000 or 10000.50."),
)
@option(
    "--rate",
    type=DecimalRange(Decimal(MIN_RATE), Decimal(MAX_RATE), 4),
    required=True,
    help=_l("Nominal annual rate in percent, %(low)s to %(high)s.", low=MIN_RATE, high=MAX_RATE),
)
@option(
    "--term",
    type=click.IntRange(MIN_TERM, MAX_TERM),
    required=True,
    help=_l("Term in months, %(low)s to %(high)s.", low=MIN_TERM, high=MAX_TERM),
)
@option(
    "--method",
    type=click.Choice([method.value for method in RepaymentMethod]),
    required=True,
    help=_l("Level payments (annuity) or level principal (differentiated)."),
)
@option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help=_l("Disbursement date; the first payment falls due a month later.  [default: today]"),
)
@table_or_json
def quote_command(
    amount: Decimal,
    rate: Decimal,
    term: int,
    method: str,
    start: datetime | None,
    output_format: str,
) -> None:
    disbursed_on = start.date() if start else datetime.now().astimezone().date()
    try:
        add_months(disbursed_on, term)
    except ValueError:
        raise click.BadParameter(
            _("the last payment would fall after the year 9999."), param_hint="'--start'"
        ) from None
    schedule = build_schedule(amount, rate, term, method, disbursed_on)
    disclosure = disclose(schedule)
    if output_format == "json":
        click.echo(json.dumps(_quote_json(schedule, disclosure), indent=2))
    else:
        click.echo(_quote_table(schedule, disclosure))


def _cents(value: Decimal) -> str:
    return f"{value:.2f}"


def _quote_json(schedule: Schedule, disclosure: Disclosure) -> dict:
    return {
        "rows": [
            {
                "number": row.number,
                "due_date": row.due_date.isoformat(),
                "principal": _cents(row.principal),
                "interest": _cents(row.interest),
                "payment": _cents(row.payment),
                "balance": _cents(row.balance),
            }
            for row in schedule.rows
        ],
        "total_interest": _cents(disclosure.total_interest),
        "total_payable": _cents(disclosure.total_payable),
        "apr_percent": _cents(disclosure.apr_percent),
    }


def _money(value: Decimal) -> str:
    """An amount as the table prints it: 10,661.86."""
    return f"{value:,.2f}"


def _quote_table(schedule: Schedule, disclosure: Disclosure) -> str:
    return "\n".join(
        [
            _quote_title(schedule),
            "",
            *_schedule_lines(schedule, disclosure),
            "",
            *_summary_lines(disclosure),
        ]
    )


def _quote_title(schedule: Schedule) -> str:
    return ngettext(
        "%(method)s loan of %(amount)s at %(rate)s %% a year for %(num)d month, "
        "disbursed on %(date)s",
        "%(method)s loan of %(amount)s at %(rate)s %% a year for %(num)d months, "
        "disbursed on %(date)s",
        schedule.term_months,
        method=REPAYMENT_LABELS[RepaymentMethod(schedule.method)],
        amount=_money(schedule.amount),
        rate=schedule.annual_rate_percent,
        date=schedule.disbursed_on.isoformat(),
    )


def _schedule_lines(schedule: Schedule, disclosure: Disclosure) -> list[str]:
    """The schedule's header, a line per installment and the totals, in aligned columns."""
    header = (
        pgettext("number of a row in a schedule", "No"),
        _("Due date"),
        _("Principal"),
        _("Interest"),
        _("Payment"),
        _("Balance"),
    )
    rows = [
        (
            str(row.number),
            row.due_date.isoformat(),
            *map(_money, (row.principal, row.interest, row.payment, row.balance)),
        )
        for row in schedule.rows
    ]
    totals = (
        _("Total"),
        "",
        *map(
            _money,
            (disclosure.total_principal, disclosure.total_interest, disclosure.total_payable),
        ),
        "",
    )
    widths = [max(map(len, column)) for column in zip(header, *rows, totals, strict=True)]

    def render(cells: tuple[str, ...]) -> str:
        # Numbers align right, the due date left; the totals line starts flush left.
        first = cells[0].ljust(widths[0]) if cells is totals else cells[0].rjust(widths[0])
        rest = [cells[1].ljust(widths[1])]
        rest += [cell.rjust(width) for cell, width in zip(cells[2:], widths[2:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [render(cells) for cells in (header, *rows, totals)]


def _summary_lines(disclosure: Disclosure) -> list[str]:
    summary = [
        (_("Total interest:"), _money(disclosure.total_interest)),
        (_("Total payable:"), _money(disclosure.total_payable)),
        (_("APRC:"), f"{disclosure.apr_percent:.2f} %"),
    ]
    label_width = max(len(label) for label, _value in summary)
    return [f"{label:<{label_width}} {value}" for label, value in summary]
