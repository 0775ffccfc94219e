import re
from datetime import UTC, datetime, timedelta

import pytest

from crm.models import LoanStatus
from tests import bulk, factories

START = datetime(2025, 5, 1, 10, 0, tzinfo=UTC)


def stat(html: str, key: str) -> int:
    match = re.search(rf'id="stat-{key}">([\d,]+)<', html)
    assert match, f"no {key} card"
    return int(match.group(1).replace(",", ""))


def table(html: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.DOTALL)
    assert match, f"no table {table_id}"
    return match.group(0)


@pytest.fixture
def staff_client(client, login, manager):
    login(manager)
    return client


def test_cards_count_loans_in_each_status_and_customers(staff_client):
    wanted = {
        LoanStatus.PENDING: 3,
        LoanStatus.REFUSED: 2,
        LoanStatus.ACTIVE: 4,
        LoanStatus.FINISHED: 1,
        LoanStatus.WITHDRAWN: 1,
        LoanStatus.WRITTEN_OFF: 0,
    }
    customers = factories.CustomerFactory.create_batch(3)
    product = factories.ProductFactory()
    for n, (status, count) in enumerate(wanted.items()):
        for _ in range(count):
            factories.LoanFactory(customer=customers[n % 3], product=product, status=status)

    html = staff_client.get("/").get_data(as_text=True)

    for status, count in wanted.items():
        assert stat(html, status.value) == count
    assert stat(html, "total") == 11
    assert stat(html, "customers") == 3


def test_empty_dashboard_shows_zeros(staff_client):
    html = staff_client.get("/").get_data(as_text=True)
    assert stat(html, "total") == 0
    assert stat(html, "customers") == 0
    assert "No applications yet." in html


def test_latest_tables_show_the_ten_newest_with_links(staff_client):
    product = factories.ProductFactory(name="Готівка")
    loans = [
        factories.LoanFactory(product=product, created_at=START + timedelta(days=n))
        for n in range(12)
    ]
    html = staff_client.get("/").get_data(as_text=True)

    loans_table = table(html, "latest-loans")
    shown = [int(i) for i in re.findall(r'href="/loans/(\d+)"', loans_table)]
    assert shown == [loan.id for loan in reversed(loans[2:])]
    assert f'href="/customers/{loans[-1].customer_id}"' in loans_table
    assert "Готівка" in loans_table
    assert "UAH\u00a010,000.00" in loans_table
    assert 'class="badge text-bg-warning">Pending<' in loans_table

    customers_table = table(html, "latest-customers")
    assert len(set(re.findall(r'href="/customers/(\d+)"', customers_table))) == 10
    assert 'href="/loans/"' in html
    assert 'href="/customers/"' in html


def test_latest_customers_are_the_newest(staff_client):
    old = factories.CustomerFactory(last_name="Давній", created_at=START)
    new = factories.CustomerFactory.create_batch(10, created_at=START + timedelta(days=1))
    customers_table = table(staff_client.get("/").get_data(as_text=True), "latest-customers")
    assert "Давній" not in customers_table
    assert f'href="/customers/{old.id}"' not in customers_table
    assert f'href="/customers/{new[0].id}"' in customers_table


def test_dashboard_query_count_does_not_grow_with_the_data(staff_client, count_queries):
    product = factories.ProductFactory()
    ids = bulk.add_customers(10)
    bulk.add_loans(ids, product.id, 10)
    with count_queries() as small:
        assert staff_client.get("/").status_code == 200

    ids = bulk.add_customers(490)
    bulk.add_loans(ids, product.id, 1000)
    with count_queries() as large:
        html = staff_client.get("/").get_data(as_text=True)

    assert stat(html, "customers") == 500
    assert stat(html, "total") == 1010
    assert small.count == large.count
    assert large.count <= 5, large.statements
