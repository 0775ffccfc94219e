"""Many rows fast, for tests that check a page's query count does not grow with the data.

The rows go in through the demo load's bulk writer, which skips the ORM's mapper events and
column defaults: each row carries the customers' search text and every defaulted column, and
the customers' search terms are written beside them. Like the demo load, each call adds an
audit event with the rows it wrote: the trail is how kept figures (crm/figures_cache.py) learn
that the data changed.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from crm.audit.recorder import add_event
from crm.demo.bulk import advance_id_sequence, bulk_insert, next_id
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Customer, Loan
from crm.models.customer import search_key
from crm.models.search_term import CustomerSearchTerm, term_rows

START = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)


def add_customers(count: int) -> list[int]:
    """`count` customers, committed; returns their ids."""
    # Numbered by id: phones, e-mails and tax ids stay unique across repeated calls in a test.
    first = next_id(db.session, Customer)
    rows = [_customer(n) for n in range(first, first + count)]
    bulk_insert(db.session, Customer, rows)
    bulk_insert(
        db.session, CustomerSearchTerm, [t for row in rows for t in term_rows(row["id"], row)]
    )
    advance_id_sequence(db.session, Customer)
    add_event(db.session, action="bulk_load", entity="test", facts={"customers": count})
    db.session.commit()
    return [row["id"] for row in rows]


def _customer(n: int) -> dict:
    row = {
        "id": n,
        "last_name": f"Бондаренко{n}",
        "first_name": "Ірина",
        "patronymic": "Олегівна",
        "phone": f"+38067{n:07d}",
        "email": f"bulk{n}@example.org",
        "tax_id": f"2{n:09d}",
        "created_at": START + timedelta(minutes=n),
        "version": 1,
    }
    row["search_text"] = search_key(
        row["last_name"],
        row["first_name"],
        row["patronymic"],
        row["phone"],
        row["email"],
        row["tax_id"],
    )
    return row


def add_loans(customer_ids: list[int], product_id: int, count: int) -> None:
    """`count` loans spread over the customers and through every status, committed."""
    statuses = list(LoanStatus)
    rows = [
        {
            "customer_id": customer_ids[n % len(customer_ids)],
            "product_id": product_id,
            "amount": Decimal(1000 + 10 * n),
            "term_months": 12,
            "annual_rate": Decimal("12.0000"),
            "status": statuses[n % len(statuses)],
            "created_at": START + timedelta(hours=n),
            "principal_outstanding": Decimal("0.00"),
            "version": 1,
        }
        for n in range(count)
    ]
    bulk_insert(db.session, Loan, rows)
    add_event(db.session, action="bulk_load", entity="test", facts={"loans": count})
    db.session.commit()
