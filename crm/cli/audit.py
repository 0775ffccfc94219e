"""`flask --app wsgi audit …`: reading the audit trail out, such as `audit export`."""

import re
from datetime import date

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit.export import csv_lines, jsonl_lines, period, read_events
from crm.extensions import db
from crm.i18n.commands import option

audit = AppGroup("audit", help=_l("The audit trail: who changed what, and when."))

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Day(click.ParamType):
    """A calendar day written YYYY-MM-DD, and nothing else (no week dates, no times)."""

    name = "date"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            if ISO_DATE.fullmatch(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.fail(
            _("%(value)r is not a date: write it as YYYY-MM-DD, e.g. 2025-01-31.", value=value),
            param,
            ctx,
        )


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
