"""The admin's lists page by 25 as the staff site's do, and a deep page (read in two steps,
crm/admin/base.py) holds the rows OFFSET would give, in the list's order."""

import re

from sqlalchemy import select

from crm.extensions import db
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
