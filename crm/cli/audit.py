"""`flask --app wsgi audit …`: reading the audit trail out, such as `audit export`."""

from datetime import date

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit.export import csv_lines, jsonl_lines, period, read_events
from crm.cli.options import Day
from crm.extensions import db
from crm.i18n.commands import option

audit = AppGroup("audit", help=_l("The audit trail: who changed what, and when."))


@audit.command(
    "export",
    help=_l(
        "Write the audit trail to standard output, one event per line, oldest first: at "
        "(UTC), actor, action, entity, entity_id, changes (field: [before, after]), ip. "
        "Days are UTC days."
    ),
)
@option(
    "--since",
    type=Day(),
    metavar="YYYY-MM-DD",
    help=_l("The first day to export, from 00:00 UTC.  [default: the first event]"),
)
@option(
    "--until",
    type=Day(),
    metavar="YYYY-MM-DD",
    help=_l("The last day to export, to its end at 24:00 UTC.  [default: the last event]"),
)
@option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help=_l(
        "A JSON object per line for scripts, or CSV with a header row for a spreadsheet, "
        "where a cell a spreadsheet could take for a formula starts with a ' added."
    ),
)
def export_command(since: date | None, until: date | None, output_format: str) -> None:
    if since is not None and until is not None and since > until:
        raise click.UsageError(
            _(
                "--since %(since)s is after --until %(until)s: nothing could be exported.",
                since=since.isoformat(),
                until=until.isoformat(),
            )
        )
    rows = read_events(db.session, *period(since, until))
    try:
        if output_format == "csv":
            for line in csv_lines(rows):
                click.echo(line, nl=False)
        else:
            for line in jsonl_lines(rows):
                click.echo(line)
    finally:
        db.session.rollback()  # the read's snapshot; nothing was written
