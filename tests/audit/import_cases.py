"""The coverage cases of the admin's import (crm/admin/imports.py) and the scenarios of
`flask --app wsgi import …`: the customers and payments it writes are audited by the
session's hook, record by record, and each chunk it writes adds one `import` event."""

from dataclasses import replace
from pathlib import Path
from unittest.mock import ANY

from crm.models.audit import SYSTEM
from tests.audit.cases import PAID_ON, Case, Ctx, nothing
from tests.audit.expected import Event
from tests.audit.loan_cases import paid
from tests.imports.batches import NEW_LAST_NAME, NEW_TAX_ID
from tests.imports.files import PAYMENT_HEADERS, csv_bytes, customer_row


def imported(kind: str, by: str = "admin", **counts: int) -> Event:
    """The event of a chunk written: what it was, its rows and their outcomes."""
    changes = {"kind": [None, kind], **{name: [None, count] for name, count in counts.items()}}
    return Event("import", "import", None, changes, by, customer_id=None, loan_id=None)


def customer_imported(_ctx: Ctx, by: str = "admin") -> list[Event]:
    changes = {"last_name": [None, NEW_LAST_NAME], "tax_id": [None, NEW_TAX_ID]}
    return [
        Event("create", "customer", ANY, changes, by, loan_id=None),
        imported("customers", by, rows=1, created=1),
    ]


IMPORT_CASES: dict[str, Case] = {
    # The upload and the mapping with its dry run keep the file and what the dry run found
    # (import_batches, import_mappings: out of the trail), and write no record.
    "imports.index": Case(nothing),
    "imports.mapping": Case(nothing),
    "imports.apply": Case(customer_imported),
}


# --- The command line (tests/audit/test_coverage_cli.py) ----------------------------------------


def customers_file(ctx: Ctx) -> list[str]:
    path = Path(ctx.tmp_path) / "клієнти.csv"
    path.write_bytes(csv_bytes([customer_row(1)]))
    return [str(path)]


def statement_file(ctx: Ctx) -> list[str]:
    """The payment the staff's form posts in its case (loan_cases.paid), from a statement."""
    path = Path(ctx.tmp_path) / "виписка.csv"
    row = [PAID_ON, "1000.50", "BANK-1", f"#{ctx.world.active}", ""]
    path.write_bytes(csv_bytes([row], headers=PAYMENT_HEADERS))
    return [str(path)]


def payment_imported(ctx: Ctx) -> list[Event]:
    """The form's events, by the system; nobody is named as having recorded the payment."""
    payment, *rest = paid(ctx)
    changes = {key: value for key, value in payment.changes.items() if key != "recorded_by_id"}
    return [
        replace(payment, changes=changes, by=SYSTEM),
        *(replace(event, by=SYSTEM) for event in rest),
        imported("payments", SYSTEM, rows=1, posted=1),
    ]
