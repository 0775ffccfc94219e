"""The dashboard's "mine" toggle: ?mine=1 counts the loans and customers the user manages."""

import re

from crm.lending.status import LoanStatus
from tests import bulk, factories
from tests.customers.test_mine import managed_by
from tests.dashboard.test_routes import stat


def test_mine_counts_only_my_customers_and_their_loans(staff_client, manager):
    product = factories.ProductFactory()
    mine, other = factories.CustomerFactory(manager=manager), factories.CustomerFactory()
    factories.CustomerFactory(manager=manager)
    for status in (LoanStatus.PENDING, LoanStatus.PENDING, LoanStatus.REFUSED):
        factories.LoanFactory(customer=mine, product=product, status=status)
    factories.LoanFactory(customer=other, product=product, status=LoanStatus.PENDING)

    everyone = staff_client.get("/").get_data(as_text=True)
    my_own = staff_client.get("/?mine=1").get_data(as_text=True)

    assert (stat(everyone, "pending"), stat(everyone, "total"), stat(everyone, "customers")) == (
        3,
        4,
        3,
    )
    assert (stat(my_own, "pending"), stat(my_own, "refused"), stat(my_own, "total")) == (2, 1, 3)
    assert stat(my_own, "customers") == 2
    assert 'href="/customers/?mine=1"' in my_own
    assert "Applications of my customers" in my_own


def test_the_toggle_shows_which_is_on(staff_client):
    pressed = re.compile(r'<a class="btn btn-secondary active" href="([^"]+)"')

    assert pressed.search(staff_client.get("/").get_data(as_text=True)).group(1) == "/"
    on = staff_client.get("/?mine=1").get_data(as_text=True)
    assert pressed.search(on).group(1) == "/?mine=1"


def test_mine_costs_the_same_queries_whatever_the_data(staff_client, manager, count_queries):
    product = factories.ProductFactory()
    ids = bulk.add_customers(5)
    managed_by(manager.id, ids)
    bulk.add_loans(ids, product.id, 5)
    with count_queries() as small:
        assert stat(staff_client.get("/?mine=1").get_data(as_text=True), "total") == 5
    more = bulk.add_customers(100)
    managed_by(manager.id, more[:50])
    bulk.add_loans(more, product.id, 300)
    with count_queries() as large:
        html = staff_client.get("/?mine=1").get_data(as_text=True)

    assert stat(html, "customers") == 55
    assert small.count == large.count
