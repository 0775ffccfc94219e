"""What several commands take alike: a day, and the choice of a table or JSON."""

import re
from datetime import date

import click
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.i18n.commands import option

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


#: `--format table|json` (as `output_format`): a table to read, or JSON for scripts.
table_or_json = option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help=_l("A table to read or JSON for scripts."),
)
