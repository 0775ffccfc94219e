"""`flask --app wsgi demo …`: the demo data set."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit.recorder import add_event
from crm.demo.load import DemoAlreadyLoaded, load_demo
from crm.extensions import db
from crm.i18n.commands import option

demo = AppGroup("demo", help=_l("Demo data for trying the CRM and for benchmarks."))


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
    try:
        summary = load_demo(db.session, customers=customer_count)
    except DemoAlreadyLoaded as error:
        if not if_empty:
            raise click.ClickException(error.describe()) from None
        click.echo(_("Skipped. %(reason)s", reason=error.describe()))
        return
    # The rows went in bulk, past the audit hook: one event says how many of each; the staff
    # and products written through the session have their own.
    add_event(db.session, action="demo_load", entity="demo", facts=summary.counts())
    db.session.commit()
    click.echo(summary.describe())
