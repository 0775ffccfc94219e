"""`flask --app wsgi collections …`: the day's collections run, for cron."""

from datetime import date

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from crm.cli.options import Day
from crm.clock import lender_today
from crm.collections.services import DailyRun, run_daily
from crm.extensions import db
from crm.i18n.commands import option

collections = AppGroup("collections", help=_l("Collections: promises, follow-ups, reminders."))


@collections.command(
    "daily",
    help=_l(
        "The day's run (from cron, once a day): a follow-up task for each broken promise to "
        "pay and each loan that entered a worse overdue bucket, and e-mail reminders to "
        "customers whose installment is due in 3 days or became late today. Running it "
        "twice for a day adds nothing the second time; a missed day is caught up by the next "
        "run (events of the last 7 days)."
    ),
)
@option(
    "--as-of",
    "as_of",
    type=Day(),
    metavar="YYYY-MM-DD",
    help=_l("The day to run for.  [default: the lender's today]"),
)
def daily_command(as_of: date | None) -> None:
    run = run_daily(db.session, as_of or lender_today())
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise click.ClickException(
            _("Another run for the same day was saving at the same time; run it again.")
        ) from error
    click.echo(summary(run))


def summary(run: DailyRun) -> str:
    return "\n".join(
        [
            _("Collections run for %(date)s:", date=run.as_of.isoformat()),
            _("  follow-up tasks for broken promises: %(num)d", num=run.promise_tasks),
            _("  follow-up tasks for loans in a worse bucket: %(num)d", num=run.bucket_tasks),
            _("  reminders of installments due soon: %(num)d", num=run.reminders["due"]),
            _("  reminders of installments late: %(num)d", num=run.reminders["late"]),
            _("  installments not reminded (no e-mail): %(num)d", num=run.no_email),
            _("  follow-ups with nobody to assign: %(num)d", num=run.unassigned),
        ]
    )
