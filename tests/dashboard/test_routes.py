import re
from datetime import UTC, datetime, timedelta

from crm.clock import lender_today
from crm.lending.status import LoanStatus
from tests import bulk, factories
from tests.factories import loan_with_installments

START = datetime(2025, 5, 1, 10, 0, tzinfo=UTC)


def figure(html: str, key: str) -> str:
    match = re.search(rf'id="stat-{key}">([^<]*)<', html)
    assert match, f"no {key} figure"
    return match.group(1)


def overdue_loan(days: int, principal: str, interest: str = "10.00", **fields):
    """An active loan whose first installment fell due `days` days ago unpaid; one more to come."""
    today = lender_today()
    return loan_with_installments(
        [
            (today - timedelta(days=days), principal, interest),
            (today + timedelta(days=3), "100", "0"),
        ],
        **fields,
    )


def stat(html: str, key: str) -> int:
    match = re.search(rf'id="stat-{key}">([\d,]+)<', html)
    assert match, f"no {key} card"
    return int(match.group(1).replace(",", ""))


def table(html: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.DOTALL)
    assert match, f"no table {table_id}"
    return match.group(0)


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


def test_portfolio_figures_as_of_today(staff_client):
    today = lender_today()
    loan_with_installments([(today - timedelta(days=20), "500", "5", "500", "5"),
                            (today + timedelta(days=10), "1500", "15")])  # fmt: skip
    overdue_loan(10, "1000.00")
    overdue_loan(45, "2000.00", "20.00")
    overdue_loan(100, "0.10", "0.20", status=LoanStatus.WRITTEN_OFF)

    html = staff_client.get("/").get_data(as_text=True)

    # Outstanding: 1 500 + (1 000 + 100) + (2 000 + 100); overdue: 1 010 + 2 020.
    assert figure(html, "outstanding") == "UAH\u00a04,700.00"
    assert "3 active loans" in html
    assert figure(html, "overdue-loans") == "2"
    assert figure(html, "overdue-amount") == "UAH\u00a03,030.00"
    assert figure(html, "par30") == "44.68 %"  # 2 100 / 4 700


def test_empty_portfolio_shows_zeros_and_no_par(staff_client):
    html = staff_client.get("/").get_data(as_text=True)

    assert figure(html, "outstanding") == "UAH\u00a00.00"
    assert figure(html, "overdue-loans") == "0"
    assert figure(html, "par30") == "—"
    assert "No loans are overdue." in html


def test_most_overdue_lists_the_ten_longest_overdue(staff_client):
    loans = [overdue_loan(days, "100.00") for days in range(1, 13)]

    most_overdue = table(staff_client.get("/").get_data(as_text=True), "most-overdue")

    shown = list(dict.fromkeys(int(i) for i in re.findall(r'href="/loans/(\d+)"', most_overdue)))
    assert shown == [loan.id for loan in reversed(loans[2:])]
    oldest = loans[-1]
    assert f'href="/customers/{oldest.customer_id}"' in most_overdue
    assert oldest.customer.full_name in most_overdue
    assert 'data-dpd="12">12<' in most_overdue
    assert "1–30 days" in most_overdue
    assert "UAH\u00a0110.00" in most_overdue


def test_dashboard_query_count_does_not_grow_with_the_data(staff_client, count_queries):
    product = factories.ProductFactory()
    ids = bulk.add_customers(10)
    bulk.add_loans(ids, product.id, 10)
    overdue_loan(5, "100.00", product=product)
    with count_queries() as small:
        assert staff_client.get("/").status_code == 200

    ids = bulk.add_customers(490)
    bulk.add_loans(ids, product.id, 1000)
    for days in range(1, 40, 3):
        overdue_loan(days, "100.00", product=product)
    with count_queries() as large:
        html = staff_client.get("/").get_data(as_text=True)

    assert stat(html, "customers") == 500 + 1 + 13
    assert stat(html, "total") == 1010 + 1 + 13
    assert figure(html, "overdue-loans") == "14"
    assert small.count == large.count
    # After a change: the log-in user, the state of the data for the kept page and for the
    # kept figures (crm/figures_cache.py), counts per status, customers, portfolio figures,
    # most overdue, latest loans and latest customers, and the navbar's count of tasks due;
    # then one per chart: applications and disbursements by month, the portfolio by bucket,
    # the kept month ends of the PAR chart.
    assert large.count <= 14, large.statements
    with count_queries() as unchanged:
        assert staff_client.get("/").get_data(as_text=True) == html
    # While nothing changes, the page below its heading is kept: the log-in user, the state
    # of the data and the task count.
    assert unchanged.count <= 3, unchanged.statements
