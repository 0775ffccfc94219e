"""Command-line tools: `flask --app wsgi users …`, `demo …` and `loans …`."""

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, pgettext

from crm.auth.services import create_user
from crm.extensions import db
from crm.formatting import REPAYMENT_LABELS
from crm.i18n.commands import TranslatedOption, option, use_catalogue_for_click
from crm.lending.disclosure import Disclosure, disclose
from crm.lending.money import CONTEXT
from crm.lending.schedule import Schedule, add_months, build_schedule
from crm.models import Customer, RepaymentMethod, Role
from crm.models.product import MAX_RATE, MAX_TERM, MIN_RATE, MIN_TERM
from crm.validation import FieldError

users = AppGroup("users", help=_l("Manage logins."))
demo = AppGroup("demo", help=_l("Demo data for trying the CRM and for benchmarks."))
loans = AppGroup("loans", help=_l("Loan calculations."))


@users.command(
    "create", help=_l("Create a login; the password is prompted for, or read from standard input.")
)
@click.argument("email")
@option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    required=True,
    help=_l("What the login may do."),
)
@option("--name", "full_name", default="", help=_l("Full name shown in the navbar."))
@option(
    "--customer",
    "customer_id",
    type=int,
    help=_l("Customer record a customer login belongs to."),
)
@click.password_option(
    cls=TranslatedOption, help=_l("Prompted for (twice) when not given; can be piped in.")
)
def create_user_command(
    email: str, role: str, full_name: str, customer_id: int | None, password: str
) -> None:
    customer = None
    if customer_id is not None:
        customer = db.session.get(Customer, customer_id)
        if customer is None:
            raise click.BadParameter(
                _("no customer with id %(id)d", id=customer_id),
                param_hint="--customer",
            )
    try:
        user = create_user(
            db.session,
            email,
            password,
            Role(role),
            full_name=full_name,
            customer=customer,
        )
    except FieldError as error:
        raise click.BadParameter(error.message, param_hint=error.field) from None
    db.session.commit()
    click.echo(
        _(
            "Created %(role)s %(email)s (id %(id)d).",
            role=user.role.value,
            email=user.email,
            id=user.id,
        )
    )


@demo.command(
    "load",
    help=_l("Load deterministic demo data: products, staff, customers and loans in every status."),
)
@option(
    "--customers",
    "customer_count",
    type=click.IntRange(1, 1_000_000),
    default=200,
    show_default=True,
    help=_l("How many customers to create (about three loans each)."),
)
@option(
    "--if-empty",
    is_flag=True,
    help=_l("When data is already there, say so and succeed instead of failing (for `make run`)."),
)
def load_demo_command(customer_count: int, if_empty: bool) -> None:
    from crm.demo.load import DemoAlreadyLoaded, load_demo

    try:
        summary = load_demo(db.session, customers=customer_count)
    except DemoAlreadyLoaded as error:
        if not if_empty:
            raise click.ClickException(error.describe()) from None
        click.echo(_("Skipped. %(reason)s", reason=error.describe()))
        return
    db.session.commit()
    click.echo(summary.describe())


class DecimalRange(click.ParamType):
    """A decimal number read from its text (never through float), with bounds and places."""

    name = "decimal"

    def __init__(self, low: Decimal, high: Decimal, places: int, *, low_open: bool = False) -> None:
        self.low, self.high, self.places, self.low_open = low, high, places, low_open

    def convert(self, value, param, ctx) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
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
@option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help=_l("A table to read or JSON for scripts."),
)
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


def _quote_table(schedule: Schedule, disclosure: Disclosure) -> str:
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
            *(f"{value:,.2f}" for value in (row.principal, row.interest, row.payment, row.balance)),
        )
        for row in schedule.rows
    ]
    totals = (
        _("Total"),
        "",
        *(
            f"{value:,.2f}"
            for value in (
                disclosure.total_principal,
                disclosure.total_interest,
                disclosure.total_payable,
            )
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

    summary = [
        (_("Total interest:"), f"{disclosure.total_interest:,.2f}"),
        (_("Total payable:"), f"{disclosure.total_payable:,.2f}"),
        (_("APRC:"), f"{disclosure.apr_percent:.2f} %"),
    ]
    label_width = max(len(label) for label, _value in summary)
    title = ngettext(
        "%(method)s loan of %(amount)s at %(rate)s %% a year for %(num)d month, "
        "disbursed on %(date)s",
        "%(method)s loan of %(amount)s at %(rate)s %% a year for %(num)d months, "
        "disbursed on %(date)s",
        schedule.term_months,
        method=REPAYMENT_LABELS[RepaymentMethod(schedule.method)],
        amount=f"{schedule.amount:,.2f}",
        rate=schedule.annual_rate_percent,
        date=schedule.disbursed_on.isoformat(),
    )
    return "\n".join(
        [
            title,
            "",
            *map(render, [header, *rows, totals]),
            "",
            *(f"{label:<{label_width}} {value}" for label, value in summary),
        ]
    )


def register(app: Flask) -> None:
    use_catalogue_for_click(Path(app.root_path) / "translations")
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(loans)
