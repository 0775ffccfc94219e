"""The overdue queue at /loans/overdue: what it lists, sorting, filters, paging, bad input."""

import re
from datetime import timedelta

import pytest

from crm.clock import lender_today
from crm.lending.status import LoanStatus
from crm.models import Role
from tests.factories import CustomerFactory, LoanFactory, UserFactory, loan_with_installments
from tests.loans.conftest import pay

URL = "/loans/overdue"


def shown(html: str) -> list[int]:
    """The loan ids in the queue's table, top to bottom."""
    table = re.search(r'<table[^>]*id="overdue-loans".*?</table>', html, re.DOTALL)
    assert table, "no queue table"
    return [int(i) for i in re.findall(r'href="/loans/(\d+)"', table.group(0))]


def overdue_loan(days: int, amount: str = "1000.00", **fields):
    """An active loan whose only unpaid installment fell due `days` days ago, and one to come."""
    today = lender_today()
    return loan_with_installments(
        [(today - timedelta(days=days), amount, "10.00"), (today + timedelta(days=5), "500", "5")],
        **fields,
    )


@pytest.fixture
def queue(app):
    """Loans 5, 40, 70 and 120 days past due, of two managers, and loans not in the queue."""
    olena = UserFactory(role=Role.MANAGER, full_name="Олена Коваль")
    petro = UserFactory(role=Role.MANAGER, full_name="Петро Мельник")
    today = lender_today()
    loans = {
        "dpd5": overdue_loan(5, "9000.00", customer=CustomerFactory(manager=olena)),
        "dpd40": overdue_loan(40, "100.00", customer=CustomerFactory(manager=petro)),
        "dpd70": overdue_loan(70, "500.00", customer=CustomerFactory(manager=petro)),
        "dpd120": overdue_loan(120, "300.00", customer=CustomerFactory(manager=olena)),
    }
    # Not overdue: due today, paid up, written off, not started.
    loan_with_installments([(today, "100", "1")])
    loan_with_installments([(today - timedelta(days=9), "100", "1", "100", "1")])
    overdue_loan(200, status=LoanStatus.WRITTEN_OFF)
    LoanFactory(status=LoanStatus.PENDING)
    return {**loans, "olena": olena, "petro": petro}


def ids(queue, *names) -> list[int]:
    return [queue[name].id for name in names]


def test_queue_lists_overdue_loans_most_overdue_first(staff_client, queue):
    response = staff_client.get(URL)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert shown(html) == ids(queue, "dpd120", "dpd70", "dpd40", "dpd5")
    customer = queue["dpd120"].customer
    assert f'href="/customers/{customer.id}"' in html
    assert customer.full_name in html
    assert "Олена Коваль" in html
    assert 'data-dpd="120">120<' in html
    assert "Over 90 days" in html
    assert "UAH\u00a0310.00" in html  # overdue: 300 principal + 10 interest
    assert "UAH\u00a0800.00" in html  # outstanding principal: 300 + 500
    assert "No loans are overdue." not in html


def test_empty_queue_says_so(staff_client):
    html = staff_client.get(URL).get_data(as_text=True)

    assert shown(html) == []
    assert "No loans are overdue." in html


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("-dpd", ("dpd120", "dpd70", "dpd40", "dpd5")),
        ("dpd", ("dpd5", "dpd40", "dpd70", "dpd120")),
        ("-amount", ("dpd5", "dpd70", "dpd120", "dpd40")),
        ("amount", ("dpd40", "dpd120", "dpd70", "dpd5")),
        ("bogus", ("dpd120", "dpd70", "dpd40", "dpd5")),
    ],
)
def test_queue_sorts_by_dpd_and_amount(staff_client, queue, sort, order):
    html = staff_client.get(URL, query_string={"sort": sort}).get_data(as_text=True)

    assert shown(html) == ids(queue, *order)


def test_sort_headers_link_to_the_other_direction(staff_client, queue):
    html = staff_client.get(URL, query_string={"sort": "-amount"}).get_data(as_text=True)

    assert 'href="/loans/overdue?sort=amount"' in html
    assert 'href="/loans/overdue?sort=-dpd"' in html


@pytest.mark.parametrize(
    ("bucket", "names"),
    [
        ("1-30", ("dpd5",)),
        ("31-60", ("dpd40",)),
        ("61-90", ("dpd70",)),
        ("90+", ("dpd120",)),
        ("", ("dpd120", "dpd70", "dpd40", "dpd5")),
    ],
)
def test_queue_filters_by_bucket(staff_client, queue, bucket, names):
    html = staff_client.get(URL, query_string={"bucket": bucket}).get_data(as_text=True)

    assert shown(html) == ids(queue, *names)


def test_queue_filters_by_manager_and_bucket_together(staff_client, queue):
    olena = queue["olena"].id

    mine = staff_client.get(URL, query_string={"manager": olena}).get_data(as_text=True)
    both = staff_client.get(URL, query_string={"manager": olena, "bucket": "1-30"})

    assert shown(mine) == ids(queue, "dpd120", "dpd5")
    assert shown(both.get_data(as_text=True)) == ids(queue, "dpd5")
    assert f'<option value="{olena}" selected>' in mine


def test_filter_for_a_manager_without_overdue_loans_shows_none(staff_client, queue, manager):
    html = staff_client.get(URL, query_string={"manager": manager.id}).get_data(as_text=True)

    assert shown(html) == []
    assert "No overdue loans match these filters." in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"bucket": "current"}, "There is no overdue bucket “current”"),
        ({"bucket": "90"}, "There is no overdue bucket “90”"),
        ({"bucket": "x" * 300}, "There is no overdue bucket “" + "x" * 40 + "”"),
        ({"manager": "olena"}, "There is no manager “olena”."),
        ({"manager": "-1"}, "There is no manager “-1”."),
        ({"manager": "0"}, "There is no manager “0”."),
        ({"manager": "99999999999999999999"}, "There is no manager “99999999999999999999”."),
        ({"manager": "٣"}, "There is no manager “٣”."),
    ],
)
def test_bad_filters_are_a_400_that_says_why(staff_client, queue, args, message):
    response = staff_client.get(URL, query_string=args)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_bad_page_numbers_never_fail(staff_client, queue):
    assert staff_client.get(URL, query_string={"page": "x"}).status_code == 200
    assert staff_client.get(URL, query_string={"page": "-3"}).status_code == 404
    assert staff_client.get(URL, query_string={"page": "2"}).status_code == 404
    assert staff_client.get(URL, query_string={"page": "9" * 30}).status_code == 404


def test_queue_pages_keep_the_filters(app, staff_client):
    per_page = app.config["PER_PAGE"]
    loans = [overdue_loan(days) for days in range(1, per_page + 4)]
    most_overdue_first = [loan.id for loan in reversed(loans)]

    first = staff_client.get(URL, query_string={"bucket": "1-30"}).get_data(as_text=True)
    second = staff_client.get(URL, query_string={"bucket": "1-30", "page": 2})

    assert shown(first) == most_overdue_first[:per_page]
    assert shown(second.get_data(as_text=True)) == most_overdue_first[per_page:]
    assert 'href="/loans/overdue?bucket=1-30&amp;page=2"' in first
    assert f"{per_page + 3} in all" in first


def test_queue_query_count_does_not_grow_with_the_data(staff_client, count_queries):
    overdue_loan(3)
    with count_queries() as small:
        assert staff_client.get(URL).status_code == 200

    for days in range(1, 60):
        overdue_loan(days, customer=CustomerFactory(manager=UserFactory(role=Role.MANAGER)))
    with count_queries() as large:
        html = staff_client.get(URL, query_string={"sort": "-amount"}).get_data(as_text=True)

    assert len(shown(html)) == 25
    assert small.count == large.count
    # The log-in user, the state of the data (is the kept order good?), the queue's order
    # when it is not, the page's loans, the managers for the filter and the navbar's count
    # of tasks due. The total is the order's length.
    assert large.count <= 6, large.statements


def test_a_payment_takes_the_loan_out_of_the_kept_order_at_once(staff_client, queue):
    before = staff_client.get(URL, query_string={"sort": "-amount"}).get_data(as_text=True)
    paid = staff_client.post(
        f"/loans/{queue['dpd5'].id}/payments",
        data={"amount": "9010.00", "reference": "BANK-9", "paid_on": lender_today().isoformat()},
    )
    after = staff_client.get(URL, query_string={"sort": "-amount"}).get_data(as_text=True)

    assert paid.status_code == 302
    assert shown(before) == ids(queue, "dpd5", "dpd70", "dpd120", "dpd40")
    assert shown(after) == ids(queue, "dpd70", "dpd120", "dpd40")


def test_others_payment_leaves_the_page_at_once_within_max_age(app, staff_client, queue):
    app.config["FIGURES_MAX_AGE"] = 60
    staff_client.get(URL, query_string={"sort": "-amount"})
    pay(queue["dpd5"], UserFactory(role=Role.MANAGER), "9010.00", "BANK-9", lender_today())

    html = staff_client.get(URL, query_string={"sort": "-amount"}).get_data(as_text=True)

    # The order is the kept one, but its rows are worked out anew: a paid loan is not shown.
    assert shown(html) == ids(queue, "dpd70", "dpd120", "dpd40")


def test_queue_needs_a_staff_login(client, login, customer_user):
    assert client.get(URL).status_code == 302
    login(customer_user)
    assert client.get(URL).status_code == 403


def test_dashboard_and_loans_list_link_to_the_queue(staff_client):
    for page in ("/", "/loans/"):
        assert 'href="/loans/overdue"' in staff_client.get(page).get_data(as_text=True), page
