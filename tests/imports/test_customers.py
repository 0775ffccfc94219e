"""Customers from a file (crm/imports/services/customers.py): keyed by tax id, else e-mail,
else phone; added, updated or found unchanged; refused with the forms' own messages; never
added twice."""

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.models import AuditEvent, Customer, CustomerSearchTerm, ImportKind, ImportOutcome
from tests import factories
from tests.imports.files import csv_bytes, customer_row

CUSTOMERS = ImportKind.CUSTOMERS
CREATED, UPDATED, UNCHANGED, REFUSED = (
    ImportOutcome.CREATED,
    ImportOutcome.UPDATED,
    ImportOutcome.UNCHANGED,
    ImportOutcome.REFUSED,
)


def customers() -> int:
    return db.session.scalar(select(func.count()).select_from(Customer))


def by_tax_id(tax_id: str) -> Customer:
    db.session.expire_all()
    return db.session.scalar(select(Customer).where(Customer.tax_id == tax_id))


def test_new_customers_are_added_as_the_forms_add_them(run_file):
    counts, outcomes = run_file(CUSTOMERS, csv_bytes([customer_row(1), customer_row(2)]))

    assert counts[CREATED] == 2
    olena = by_tax_id("2500000001")
    assert (olena.phone, olena.email, olena.birth_date.isoformat()) == (
        "+380671000001",
        "olena1@example.com",
        "1985-03-09",
    )
    assert next((o.row, o.outcome, o.record_id, o.name) for o in outcomes) == (
        2,
        CREATED,
        olena.id,
        "Коваленко1 Олена Петрівна",
    )
    # The session's hooks did their work: the audit trail and the search terms.
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "customer"))
    assert list(events) == ["create", "create"]
    assert db.session.scalar(select(func.count()).select_from(CustomerSearchTerm)) > 0


def test_running_the_same_file_again_adds_and_changes_nothing(run_file):
    content = csv_bytes([customer_row(n) for n in range(5)])
    run_file(CUSTOMERS, content)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))

    counts, _outcomes = run_file(CUSTOMERS, content)

    assert (counts[CREATED], counts[UPDATED], counts[UNCHANGED]) == (0, 0, 5)
    assert customers() == 5
    # One import event for the chunk, nothing for the customers.
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1


@pytest.mark.parametrize("key", ["tax_id", "email", "phone"])
def test_a_row_is_keyed_by_tax_id_else_email_else_phone(run_file, key):
    existing = factories.CustomerFactory(
        address="Одеса", **({"tax_id": None} if key != "tax_id" else {})
    )
    if key == "phone":
        existing.email = None
        db.session.commit()
    cells = {
        "last_name": existing.last_name,
        "first_name": existing.first_name,
        "patronymic": existing.patronymic,
        "phone": existing.phone,
        "email": existing.email or "",
        "birth_date": existing.birth_date.isoformat(),
        "tax_id": existing.tax_id or "",
        "address": "Київ",
    }

    _counts, [outcome] = run_file(CUSTOMERS, csv_bytes([customer_row(0, **cells)]))

    assert (outcome.outcome, outcome.record_id) == (UPDATED, existing.id)
    assert customers() == 1
    db.session.expire_all()
    assert db.session.get(Customer, existing.id).address == "Київ"


def test_an_empty_cell_keeps_what_the_crm_knows(run_file):
    existing = factories.CustomerFactory(address="Одеса", patronymic="Іванович")
    row = ["", "Тарас", "", "", "", "", existing.tax_id, ""]

    _counts, [outcome] = run_file(CUSTOMERS, csv_bytes([row]))

    assert outcome.outcome is UNCHANGED
    db.session.expire_all()
    kept = db.session.get(Customer, existing.id)
    assert (kept.last_name, kept.patronymic, kept.address) == (
        existing.last_name,
        "Іванович",
        "Одеса",
    )


def test_an_update_is_audited_with_the_changed_fields_only(run_file):
    existing = factories.CustomerFactory(address="Одеса")
    row = ["", "", "", "", "", "", existing.tax_id, "Київ"]

    run_file(CUSTOMERS, csv_bytes([row]))

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.changes == {"address": ["Одеса", "Київ"]}


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"phone": "12"}, "Phone: Not a valid phone number."),
        ({"phone": ""}, "Phone: This field is required."),
        ({"tax_id": "12345"}, "Tax id: The tax id is 10 digits."),
        ({"email": "not-an-address"}, "E-mail: Not a valid e-mail address."),
        ({"last_name": ""}, "Last name: This field is required."),
        ({"birth_date": "2020-01-01"}, "Date of birth: A borrower must be at least 18 years old."),
        ({"birth_date": "31.02.1990"}, "Date of birth: Not a date"),
        ({"address": "x" * 501}, "Address: Too long: at most 500 characters"),
    ],
)
def test_a_row_the_forms_would_refuse_is_refused_with_their_message(run_file, cells, reason):
    _counts, outcomes = run_file(
        CUSTOMERS, csv_bytes([customer_row(1), customer_row(2, **cells), customer_row(3)])
    )

    assert [outcome.outcome for outcome in outcomes] == [CREATED, REFUSED, CREATED]
    assert outcomes[1].reason.startswith(reason)
    assert customers() == 2


@pytest.mark.parametrize(
    ("detail", "message"),
    [
        ("phone", "Phone: Another customer already has this phone number."),
        ("email", "E-mail: Another customer already has this e-mail address."),
    ],
)
def test_a_row_with_another_customers_detail_is_refused_naming_that_customer(
    run_file, detail, message
):
    other = factories.CustomerFactory()
    value = other.phone if detail == "phone" else other.email

    _counts, [outcome] = run_file(CUSTOMERS, csv_bytes([customer_row(1, **{detail: value})]))

    assert (outcome.outcome, outcome.reason) == (REFUSED, message)
    assert (outcome.other_id, outcome.other_name) == (other.id, other.full_name)
    assert customers() == 1


def test_a_row_with_a_customers_tax_id_is_that_customer_and_another_ones_email_refused(run_file):
    """The tax id is the key: a row with a customer's tax id is that customer, linked; the
    same row with another customer's e-mail would make two customers one, and is refused."""
    customer, other = factories.CustomerFactory(), factories.CustomerFactory()
    same = [customer.last_name, customer.first_name, customer.patronymic, customer.phone]
    row = [
        *same,
        customer.email,
        customer.birth_date.isoformat(),
        customer.tax_id,
        customer.address,
    ]

    _counts, [found] = run_file(CUSTOMERS, csv_bytes([row]))
    row[4] = other.email
    _counts, [refused] = run_file(CUSTOMERS, csv_bytes([row]))

    assert (found.outcome, found.record_id, found.name) == (
        UNCHANGED,
        customer.id,
        customer.full_name,
    )
    assert (refused.outcome, refused.other_id) == (REFUSED, other.id)
    assert refused.reason == "E-mail: Another customer already has this e-mail address."


def test_the_second_row_with_the_same_key_or_detail_is_refused(run_file):
    rows = [
        customer_row(1),
        customer_row(1, last_name="Інша"),
        customer_row(2, phone=customer_row(1)[3]),
        customer_row(3),
    ]

    _counts, outcomes = run_file(CUSTOMERS, csv_bytes(rows))

    assert [outcome.outcome for outcome in outcomes] == [CREATED, REFUSED, REFUSED, CREATED]
    assert outcomes[1].reason == "Tax id: The same as in row 2 of this file."
    assert outcomes[2].reason == "Phone: The same as in row 2 of this file."
    assert customers() == 2


def test_rows_of_many_chunks_are_imported_and_repeats_across_chunks_refused(run_file, monkeypatch):
    monkeypatch.setattr("crm.imports.services.run.CHUNK_SIZE", 2)
    rows = [customer_row(n) for n in range(5)] + [customer_row(0, last_name="Знову")]

    counts, outcomes = run_file(CUSTOMERS, csv_bytes(rows))

    assert (counts[CREATED], counts[REFUSED]) == (5, 1)
    assert outcomes[-1].reason == "Tax id: The same as in row 2 of this file."
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert [(e.changes["first_row"][1], e.changes["last_row"][1]) for e in events] == [
        (2, 3),
        (4, 5),
        (6, 7),
    ]


def test_a_chunk_whose_flush_fails_is_written_row_by_row(run_file, monkeypatch):
    """Another writer's customer with a row's tax id, saved after the chunk's look-up: the
    database refuses the insert, and only that row is refused."""
    from crm.imports.services import customers as importer

    real = importer.Customers.__init__

    def look_up_then_someone_else_saves(self, session, rows):
        real(self, session, rows)
        if not any(c.tax_id == "2500000002" for c in session.new):
            db.session.add(
                Customer(last_name="Х", first_name="Х", phone="+380671999999", tax_id="2500000002")
            )
            db.session.flush()

    monkeypatch.setattr(importer.Customers, "__init__", look_up_then_someone_else_saves)
    _counts, outcomes = run_file(
        CUSTOMERS, csv_bytes([customer_row(1), customer_row(2), customer_row(3)])
    )

    assert [outcome.outcome for outcome in outcomes] == [CREATED, REFUSED, CREATED]
    assert "saved at the same moment" in outcomes[1].reason


def test_the_headers_of_the_forms_in_english_work_too(run_file):
    headers = [
        "Last name",
        "First name",
        "Patronymic",
        "Phone",
        "E-mail",
        "Date of birth",
        "Tax id",
        "Address",
    ]
    counts, _outcomes = run_file(
        CUSTOMERS, csv_bytes([customer_row(1)], headers=headers, separator=",")
    )
    assert counts[CREATED] == 1
