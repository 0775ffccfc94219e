"""The admin's lists page by 25 as the staff site's do, and a deep page (read in two steps,
crm/admin/base.py) holds the rows OFFSET would give, in the list's order."""

import re

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Loan
from tests import bulk

ROW_ID = re.compile(r"/admin/loan/details/\?id=(\d+)")


def listed(html: str) -> list[int]:
    return [int(found) for found in ROW_ID.findall(html)]


def test_every_page_of_the_loans_holds_the_rows_of_its_place(staff_client, product):
    customers = bulk.add_customers(5)
    bulk.add_loans(customers, product.id, 60)
    newest_first = select(Loan.id).order_by(Loan.created_at.desc(), Loan.id.desc())
    expected = list(db.session.scalars(newest_first))

    pages = [
        listed(staff_client.get(f"/admin/loan/?page={page}").get_data(as_text=True))
        for page in range(3)
    ]

    assert pages == [expected[:25], expected[25:50], expected[50:]]


def test_sorted_by_a_column_the_pages_follow_that_order(staff_client, product):
    customers = bulk.add_customers(5)
    bulk.add_loans(customers, product.id, 30)
    by_amount = select(Loan.id).order_by(Loan.amount, Loan.id)
    expected = list(db.session.scalars(by_amount))
    # ?sort= numbers the list's columns: id, customer, product, amount, …
    second = listed(staff_client.get("/admin/loan/?page=1&sort=3").get_data(as_text=True))

    assert second == expected[25:]


@pytest.fixture
def deep(monkeypatch):
    """Pages count as deep from the 26th row on (at 100 000 customers: past COUNT_LIMIT)."""
    monkeypatch.setattr("crm.admin.paging.COUNT_LIMIT", 25)


def test_past_the_middle_pages_are_read_from_the_end(staff_client, product, deep, count_queries):
    customers = bulk.add_customers(5)
    bulk.add_loans(customers, product.id, 110)
    newest_first = select(Loan.id).order_by(Loan.created_at.desc(), Loan.id.desc())
    expected = list(db.session.scalars(newest_first))

    with count_queries() as last_page:
        pages = [
            listed(staff_client.get(f"/admin/loan/?page={page}").get_data(as_text=True))
            for page in range(5)
        ]

    assert pages == [expected[start : start + 25] for start in range(0, 125, 25)]
    assert any("ORDER BY loans.created_at ASC" in sql for sql in last_page.statements)


def test_a_filtered_list_is_not_read_from_the_end(staff_client, product, deep, count_queries):
    customers = bulk.add_customers(5)
    bulk.add_loans(customers, product.id, 400)
    active = (
        select(Loan.id)
        .where(Loan.status == LoanStatus.ACTIVE)
        .order_by(Loan.created_at.desc(), Loan.id.desc())
    )
    expected = list(db.session.scalars(active))

    with count_queries() as queries:
        third = listed(
            staff_client.get("/admin/loan/?page=2&flt0_status_equals=active").get_data(as_text=True)
        )

    assert len(expected) > 50
    assert third == expected[50:75]
    assert not any("ORDER BY loans.created_at ASC" in sql for sql in queries.statements)
