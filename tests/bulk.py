"""Many rows fast, for tests that check a page's query count does not grow with the data.

Bulk INSERTs skip the ORM's mapper events, so the customers' search text is set here.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Customer, Loan
from crm.models.customer import search_key

START = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)


def _next_number() -> int:
    # Unique phones, e-mails and tax ids across repeated calls in one test.
    return (db.session.scalar(select(func.max(Customer.id))) or 0) + 1


def add_customers(count: int) -> list[int]:
    """`count` customers, committed; returns their ids."""
    first = _next_number()
    rows = []
    for n in range(first, first + count):
        row = {
            "last_name": f"Бондаренко{n}",
            "first_name": "Ірина",
            "patronymic": "Олегівна",
            "phone": f"+38067{n:07d}",
            "email": f"bulk{n}@example.org",
            "tax_id": f"2{n:09d}",
            "created_at": START + timedelta(minutes=n),
        }
        row["search_text"] = search_key(
            row["last_name"],
            row["first_name"],
            row["patronymic"],
            row["phone"],
            row["email"],
            row["tax_id"],
        )
        rows.append(row)
    db.session.execute(insert(Customer), rows)
    db.session.commit()
    return list(
        db.session.scalars(
            select(Customer.id).where(Customer.id >= first).order_by(Customer.id).limit(count)
        )
    )


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
            "version": 1,
        }
        for n in range(count)
    ]
    db.session.execute(insert(Loan), rows)
    db.session.commit()
