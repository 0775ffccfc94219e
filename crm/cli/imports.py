"""`flask --app wsgi import customers|payments FILE [--dry-run]`: imports of any size.

The same importers as the admin's import pages (crm/imports/), without their row limit:
the file is read a row at a time and written a chunk of rows per transaction, with a
progress bar over the file.
"""

import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.clock import lender_today
from crm.extensions import db
from crm.i18n.commands import option
from crm.i18n.formats import number
from crm.i18n.labels import IMPORT_OUTCOME_LABELS
from crm.imports.queries import remembered_mapping
from crm.imports.reading import Table, UnreadableFile, open_table
from crm.imports.refused import refused_lines
from crm.imports.running import run_import
from crm.imports.services.fields import check_mapping, field_names, header_key, suggest_mapping
from crm.imports.services.outcomes import KIND_OUTCOMES, RowOutcome
from crm.imports.services.settings import ImportSettings
from crm.models import ImportKind, ImportOutcome
from crm.validation import FieldError

imports = AppGroup(
    "import",
    help=_l(
        "Import customers, or payments from a bank statement, from a CSV or XLSX file of any "
        "size; try it with --dry-run first."
    ),
)

CUSTOMERS_HELP = _l(
    "Add or update customers from FILE, a CSV or XLSX file whose first row names the "
    "columns: last name, first name, patronymic, phone, e-mail, date of birth, tax id, "
    "address, in Ukrainian or English (Прізвище, Last name, Телефон, Phone, РНОКПП, Tax id, "
    "…), or as --map says. A row is keyed by its tax id, else its e-mail, else its phone: "
    "the customer with that key is updated with the row's non-empty cells (or left as they "
    "are), any other row adds a customer, and a row whose tax id, e-mail or phone is another "
    "customer's, or an earlier row's, is refused. Running the same file again adds and "
    "changes nothing. Rows are checked as the staff's forms check them; the good ones are "
    "written 500 to a transaction, and the refused ones are written with their reasons to "
    "a CSV file (FILE's name with .refused.csv, or --refused)."
)
PAYMENTS_HELP = _l(
    "Post payments from FILE, a bank statement as CSV or XLSX whose first row names the "
    "columns: the date, the amount, the reference, and the loan number (#123) or the "
    "customer's tax id (in Ukrainian or English, or as --map says). Each payment is posted "
    "to its active loan as the staff's payment form posts it, oldest installment first; a "
    "customer found by the tax id must have exactly one active loan. A payment whose "
    "reference the loan has already is not posted again, so running the same statement "
    "again posts nothing twice. The good rows are written 500 to a transaction, and the "
    "refused ones are written with their reasons to a CSV file (FILE's name with "
    ".refused.csv, or --refused)."
)


def import_options(command):
    """The argument and options every import takes."""
    decorators = [
        click.argument(
            "path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
        ),
        option(
            "--dry-run",
            is_flag=True,
            help=_l("Check every row and say what would be done, writing nothing."),
        ),
        option(
            "--refused",
            "refused_path",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="PATH",
            help=_l(
                "Where to write the refused rows with their reasons.  [default: next to "
                "FILE, as NAME.refused.csv]"
            ),
        ),
        option(
            "--map",
            "column_map",
            multiple=True,
            metavar="HEADER=FIELD",
            help=_l(
                "Take the column HEADER for FIELD (last_name, first_name, patronymic, phone, "
                "email, birth_date, tax_id, address; for payments paid_on, amount, reference, "
                "loan, tax_id), or leave it out with HEADER=. May be repeated."
            ),
        ),
        option("--verbose", is_flag=True, help=_l("Print what became of every row.")),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@imports.command("customers", help=CUSTOMERS_HELP)
@import_options
def customers_command(**options) -> None:
    import_file(ImportKind.CUSTOMERS, **options)


@imports.command("payments", help=PAYMENTS_HELP)
@import_options
def payments_command(**options) -> None:
    import_file(ImportKind.PAYMENTS, **options)


def import_file(
    kind: ImportKind,
    path: Path,
    dry_run: bool,
    refused_path: Path | None,
    column_map: tuple[str, ...],
    verbose: bool,
) -> None:
    settings = ImportSettings(region=current_app.config["PHONE_REGION"], today=lender_today())
    reasons: dict[int, str] = {}

    def take(outcomes: list[RowOutcome]) -> None:
        for outcome in outcomes:
            if outcome.outcome is ImportOutcome.REFUSED:
                reasons[outcome.row] = outcome.reason
            if verbose:
                click.echo(row_line(outcome))

    try:
        with path.open("rb") as stream, open_table(stream) as table:
            mapping = chosen_mapping(kind, table.headers, column_map)
            counts = run_with_progress(kind, table, mapping, settings, path.name, dry_run, take)
        refused_file = write_refused(path, refused_path, reasons)
    except UnreadableFile as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    click.echo(summary(kind, path, counts, dry_run, refused_file))


def run_with_progress(
    kind: ImportKind,
    table: Table,
    mapping: list[str | None],
    settings: ImportSettings,
    file_name: str,
    dry_run: bool,
    take: Callable[[list[RowOutcome]], None],
) -> dict[str, int]:
    label = _("Checking") if dry_run else _("Importing")
    # A workbook written without its dimensions does not say how long it is: no percent then.
    known = table.size is not None
    # On standard error, so that standard output holds the rows and the summary only.
    with click.progressbar(
        length=table.size if known else sys.maxsize,
        label=label,
        file=sys.stderr,
        show_percent=known,
        show_eta=known,
    ) as bar:

        def on_chunk(outcomes: list[RowOutcome]) -> None:
            take(outcomes)
            bar.update(table.progress() - bar.pos)

        return run_import(
            db.session,
            kind,
            table.rows,
            mapping,
            settings,
            dry_run=dry_run,
            file_name=file_name,
            on_chunk=on_chunk,
        )


def chosen_mapping(
    kind: ImportKind, headers: list[str], column_map: tuple[str, ...]
) -> list[str | None]:
    """The mapping remembered for these headers (the admin's last choice), else the one they
    suggest, with --map's choices over it; UsageError naming the columns when it will not do."""
    mapping = remembered_mapping(db.session, kind, headers) or suggest_mapping(kind, headers)
    positions = {header_key(header): position for position, header in enumerate(headers)}
    for choice in column_map:
        header, _sign, field = choice.partition("=")
        position = positions.get(header_key(header))
        if position is None or (field and field not in field_names(kind)):
            raise click.BadParameter(
                _("%(choice)r: no such column or field.", choice=choice), param_hint="--map"
            )
        mapping[position] = field or None
    try:
        return check_mapping(kind, mapping, len(headers))
    except FieldError as error:
        raise click.UsageError(
            f"{error.message}\n{describe_mapping(kind, headers, mapping)}"
        ) from None


def describe_mapping(kind: ImportKind, headers: list[str], mapping: list[str | None]) -> str:
    fields = field_names(kind)
    lines = [_("The columns of the file, and the fields they went to:")]
    for header, name in zip(headers, mapping, strict=True):
        field = str(fields[name].label) if name else _("(left out)")
        lines.append(f"  {header!r}: {field}")
    return "\n".join(lines)


def write_refused(path: Path, refused_path: Path | None, reasons: dict[int, str]) -> Path | None:
    """The refused rows, with their reasons, in a CSV file (none when no row was refused)."""
    if not reasons:
        return None
    target = refused_path or path.with_name(f"{path.stem}.refused.csv")
    with (
        path.open("rb") as stream,
        open_table(stream) as table,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        out.writelines(refused_lines(table, reasons))
    return target


def row_line(outcome: RowOutcome) -> str:
    label = str(IMPORT_OUTCOME_LABELS[outcome.outcome])
    text = _("Row %(row)d: %(outcome)s", row=outcome.row, outcome=label)
    details = " · ".join(part for part in (outcome.name, outcome.reason) if part)
    return f"{text}. {details}" if details else text


def summary(
    kind: ImportKind, path: Path, counts: dict, dry_run: bool, refused_file: Path | None
) -> str:
    if dry_run:
        lines = [_("Dry run of %(file)s: nothing was written. The rows would be:", file=path.name)]
    else:
        lines = [_("Imported %(file)s:", file=path.name)]
    for outcome in KIND_OUTCOMES[kind]:
        lines.append(f"  {IMPORT_OUTCOME_LABELS[outcome]}: {number(counts.get(outcome.value, 0))}")
    if refused_file is not None:
        lines.append(_("The refused rows, with the reasons: %(path)s", path=str(refused_file)))
    return "\n".join(lines)
