"""`flask --app wsgi demo …`: the demo data set."""

from dataclasses import asdict

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit.context import current_stamp
from crm.clock import utc_now
from crm.demo.load import DemoAlreadyLoaded, DemoSummary, load_demo
from crm.extensions import db
from crm.i18n.commands import option
from crm.models import AuditEvent

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
    _record_the_load(summary)
    db.session.commit()
    click.echo(summary.describe())


def _record_the_load(summary: DemoSummary) -> None:
    """One event for the rows the load wrote in bulk, past the audit hook (crm.demo.bulk):
    how many of each, in the load's transaction. The staff and products it wrote through
    the session have their own events."""
    db.session.add(
        AuditEvent(
            at=utc_now(),
            **asdict(current_stamp()),
            action="demo_load",
            entity="demo",
            entity_id=None,
            changes={name: [None, count] for name, count in summary.counts().items()},
        )
    )
