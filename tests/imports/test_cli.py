"""`flask --app wsgi import customers|payments FILE [--dry-run]` (crm/cli/imports.py)."""

import csv

from sqlalchemy import func, select

from crm.extensions import db
from crm.models import AuditEvent, Customer, ImportMapping, Payment
from crm.models.audit import SYSTEM
from tests import factories
from tests.imports.conftest import table_rows
from tests.imports.files import PAYMENT_HEADERS, csv_bytes, customer_row, xlsx_bytes
from tests.loans.conftest import APPLIED, start


def customers() -> int:
    return db.session.scalar(select(func.count()).select_from(Customer))


def write(path, content: bytes):
    path.write_bytes(content)
    return str(path)


def refused_rows(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file, delimiter=";"))


def test_the_help_says_what_is_imported_how_rows_are_keyed_and_that_reruns_are_safe(runner):
    result = runner.invoke(args=["import", "customers", "--help"])
    text = " ".join(result.output.split())
    assert "keyed by its tax id, else its e-mail, else its phone" in text
    assert "Running the same file again adds and changes nothing" in text
    assert "--dry-run" in text
    assert "--refused" in text
    payments = " ".join(runner.invoke(args=["import", "payments", "--help"]).output.split())
    assert "posts nothing twice" in payments


def test_a_dry_run_writes_nothing_and_says_what_would_be_done(runner, tmp_path):
    path = write(
        tmp_path / "клієнти.csv", csv_bytes([customer_row(1), customer_row(2, phone="12")])
    )
    before = table_rows()

    result = runner.invoke(args=["import", "customers", path, "--dry-run"])

    assert result.exit_code == 0, result.output
    assert table_rows() == before
    assert "Dry run of клієнти.csv: nothing was written." in result.output
    assert "New customer: 1" in result.output
    assert "Refused: 1" in result.output
    # What would be refused, with why, as the apply would write it.
    assert refused_rows(tmp_path / "клієнти.refused.csv")[1][-2:] == [
        "3",
        "Phone: Not a valid phone number.",
    ]


def test_an_import_writes_audited_chunks_and_the_refused_rows_and_a_rerun_adds_nothing(
    runner, tmp_path
):
    path = write(
        tmp_path / "customers.csv", csv_bytes([customer_row(1), customer_row(2, tax_id="12")])
    )

    first = runner.invoke(args=["import", "customers", path])
    again = runner.invoke(args=["import", "customers", path, "--verbose"])

    assert first.exit_code == 0, first.output
    assert "Imported customers.csv:" in first.output
    assert customers() == 1
    assert "Row 2: Already there, unchanged." in again.output
    assert (
        "Row 3: Refused. Коваленко2 Олена Петрівна · Tax id: The tax id is 10 digits."
        in again.output
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import"))
    assert (event.actor, event.command) == (SYSTEM, "import customers")
    assert event.changes["created"] == [None, 1]
    assert event.changes["refused"] == [None, 1]
    rows = refused_rows(tmp_path / "customers.refused.csv")
    assert rows[0][-2:] == ["Row in the file", "Why it was refused"]
    assert rows[1][:2] == ["Коваленко2", "Олена"]


def test_the_refused_rows_go_where_refused_says(runner, tmp_path):
    path = write(tmp_path / "in.xlsx", xlsx_bytes([customer_row(1, phone="1")]))
    target = tmp_path / "out" / "why.csv"
    target.parent.mkdir()

    result = runner.invoke(args=["import", "customers", path, "--refused", str(target)])

    assert result.exit_code == 0, result.output
    assert str(target) in result.output
    assert refused_rows(target)[1][-1] == "Phone: Not a phone number."


def test_columns_the_headers_do_not_name_are_mapped_with_map(runner, tmp_path):
    headers = ["Фамилия", "Имя", "Мобилка", "Примітка"]
    content = csv_bytes([["Коваль", "Олена", "067 100 00 01", "VIP"]], headers=headers)
    path = write(tmp_path / "odd.csv", content)

    refused = runner.invoke(args=["import", "customers", path])
    result = runner.invoke(
        args=[
            "import",
            "customers",
            path,
            "--map",
            "Фамилия=last_name",
            "--map",
            "имя=first_name",
            "--map",
            "Мобилка=phone",
        ]
    )

    assert refused.exit_code == 2
    assert "Choose the columns of these fields: Last name, First name, Phone" in refused.output
    assert "'Примітка': (left out)" in refused.output
    assert result.exit_code == 0, result.output
    assert customers() == 1
    # The command uses what the admin remembered; it remembers nothing itself.
    assert db.session.scalar(select(func.count()).select_from(ImportMapping)) == 0


def test_a_file_that_is_not_a_table_is_an_error_not_a_traceback(runner, tmp_path):
    path = write(tmp_path / "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = runner.invoke(args=["import", "customers", path])
    assert result.exit_code == 1
    assert "This is not a CSV file or an XLSX workbook" in result.output


def test_payments_are_posted_once_whatever_the_reruns(runner, tmp_path, product, manager):
    loan = start(factories.LoanFactory(product=product, created_at=APPLIED), manager)
    content = csv_bytes(
        [["15.02.2025", "888,49", "BANK-1", f"#{loan.id}", ""]], headers=PAYMENT_HEADERS
    )
    path = write(tmp_path / "statement.csv", content)

    dry = runner.invoke(args=["import", "payments", path, "--dry-run"])
    first = runner.invoke(args=["import", "payments", path])
    again = runner.invoke(args=["import", "payments", path])

    assert "Payment posted: 1" in dry.output
    assert "Payment posted: 1" in first.output
    assert "Payment posted: 0" in again.output
    assert "Already posted: 1" in again.output
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
    assert db.session.scalar(select(Payment.recorded_by_id)) is None
