"""A dry run (crm/imports/running.py) says what the apply would do, row by row, and writes
nothing: no record, no audit event, no search term, no e-mail, in no table."""

from dataclasses import replace

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from crm.admin.columns import COLUMN_LABELS
from crm.extensions import db
from crm.i18n.formats import phone
from crm.i18n.labels import FIELD_LABELS
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


def exported_customers(customers: list[Customer], language: str) -> bytes:
    """The customers as the customers export writes them: the forms' labels in the user's
    language, a manager and a creation date beside them, phones behind the quote that keeps
    a spreadsheet from taking them for formulas, dates in ISO 8601."""
    names = ["last_name", "first_name", "patronymic", "phone", "email", "birth_date", "tax_id"]
    with force_locale(language):
        headers = [str(FIELD_LABELS["customer"][name]) for name in [*names, "address"]]
        headers += [str(FIELD_LABELS["customer"]["manager_id"]), str(COLUMN_LABELS["created_at"])]
    rows = [
        [
            customer.last_name,
            customer.first_name,
            customer.patronymic or "",
            f"'{phone(customer.phone)}",
            customer.email or "",
            customer.birth_date.isoformat() if customer.birth_date else "",
            customer.tax_id or "",
            customer.address or "",
            "",
            customer.created_at.date().isoformat(),
        ]
        for customer in customers
    ]
    return csv_bytes(rows, headers=headers, bom=True)


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_dry_run_of_exported_customers_finds_every_one_of_them_there(run_file, language):
    keyed = [
        factories.CustomerFactory(),
        factories.CustomerFactory(tax_id=None),
        factories.CustomerFactory(tax_id=None, email=None, patronymic=None, address=None),
    ]
    before = table_rows()

    counts, outcomes = run_file(
        ImportKind.CUSTOMERS, exported_customers(keyed, language), dry_run=True
    )

    assert counts["unchanged"] == 3
    assert [outcome.record_id for outcome in outcomes] == [customer.id for customer in keyed]
    assert table_rows() == before
