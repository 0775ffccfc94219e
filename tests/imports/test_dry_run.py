"""A dry run (crm/imports/running.py) says what the apply would do, row by row, and writes
nothing: no record, no audit event, no search term, no e-mail, in no table."""

from dataclasses import replace

from sqlalchemy import select

from crm.extensions import db
from crm.models import Customer, ImportKind, ImportOutcome
from tests import factories
from tests.imports.conftest import table_rows
from tests.imports.files import PAYMENT_HEADERS, csv_bytes, customer_row
from tests.loans.conftest import APPLIED, start


def customers_file(existing: Customer) -> bytes:
    changed = ["", "", "", "", "", "", existing.tax_id, "Київ, нова адреса"]
    return csv_bytes(
        [
            customer_row(1),
            changed,
            customer_row(2, phone="12"),
            customer_row(3, email=factories.CustomerFactory().email),
            customer_row(1, last_name="Двічі"),
        ]
    )


def test_a_dry_run_of_customers_writes_nothing_and_foretells_the_apply(run_file):
    existing = factories.CustomerFactory(address="Одеса")
    content = customers_file(existing)
    before = table_rows()
    stored = db.session.execute(select(Customer.__table__)).all()

    dry_counts, foretold = run_file(ImportKind.CUSTOMERS, content, dry_run=True)

    assert table_rows() == before
    assert db.session.execute(select(Customer.__table__)).all() == stored
    counts, done = run_file(ImportKind.CUSTOMERS, content)
    assert dry_counts == counts
    assert [o.outcome for o in foretold] == [
        ImportOutcome.CREATED,
        ImportOutcome.UPDATED,
        ImportOutcome.REFUSED,
        ImportOutcome.REFUSED,
        ImportOutcome.REFUSED,
    ]
    # The same outcomes; only the new customer's number is the apply's alone.
    assert foretold[0].record_id is None
    assert done[0].record_id is not None
    assert foretold == [replace(done[0], record_id=None), *done[1:]]


def test_a_dry_run_of_payments_writes_nothing_and_foretells_the_apply(run_file, product, manager):
    loan = start(factories.LoanFactory(product=product, created_at=APPLIED), manager)
    content = csv_bytes(
        [
            ["2025-02-15", "888,49", "B-1", f"#{loan.id}", ""],
            ["2025-03-15", "888,49", "B-2", "", loan.customer.tax_id],
            ["2025-03-15", "888,49", "B-2", f"#{loan.id}", ""],
            ["2025-03-15", "1000000", "B-3", f"#{loan.id}", ""],
        ],
        headers=PAYMENT_HEADERS,
    )
    before = table_rows()

    dry_counts, foretold = run_file(ImportKind.PAYMENTS, content, dry_run=True, by=manager)

    assert table_rows() == before
    counts, done = run_file(ImportKind.PAYMENTS, content, by=manager)
    assert (dry_counts, foretold) == (counts, done)
    assert counts["posted"] == 2
