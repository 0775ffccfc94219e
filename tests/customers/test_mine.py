"""The customers list's "mine" toggle: ?mine=1 lists the customers the user manages."""

import re

from crm.extensions import db
from crm.models import Customer
from tests import bulk, factories
from tests.customers.test_routes import listed_ids


def managed_by(user_id: int, ids: list[int]) -> None:
    """Give the bulk-written customers `ids` to the manager (SQL on the table, as the rows
    themselves were written)."""
    table = Customer.__table__
    db.session.execute(table.update().where(table.c.id.in_(ids)).values(manager_id=user_id))
    db.session.commit()


def test_mine_lists_only_my_customers_and_search_keeps_it(staff_client, manager):
    mine = factories.CustomerFactory(manager=manager, last_name="Коваль")
    also_mine = factories.CustomerFactory(manager=manager, last_name="Мельник")
    factories.CustomerFactory(manager=factories.UserFactory(), last_name="Коваленко")
    factories.CustomerFactory(last_name="Ковальчук")

    assert set(listed_ids(staff_client.get("/customers/?mine=1"))) == {mine.id, also_mine.id}
    assert listed_ids(staff_client.get("/customers/?mine=1&q=Коваль")) == [mine.id]
    assert len(listed_ids(staff_client.get("/customers/?mine=0"))) == 4


def test_the_toggle_turns_the_filter_on_and_off(staff_client, manager):
    factories.CustomerFactory(manager=manager)

    off = staff_client.get("/customers/?q=x&sort=name").get_data(as_text=True)
    on = staff_client.get("/customers/?mine=1&sort=name").get_data(as_text=True)

    toggle = re.compile(r'id="mine-toggle"\s+aria-pressed="(\w+)"\s+href="([^"]+)"')
    assert toggle.search(off).groups() == ("false", "/customers/?q=x&amp;sort=name&amp;mine=1")
    assert toggle.search(on).groups() == ("true", "/customers/?sort=name")
    assert '<input type="hidden" name="mine" value="1">' in on


def test_an_empty_mine_says_so(staff_client):
    factories.CustomerFactory()

    html = staff_client.get("/customers/?mine=1").get_data(as_text=True)

    assert "You manage no customers yet." in html


def test_mine_costs_the_same_queries_whatever_the_data(staff_client, manager, count_queries):
    managed_by(manager.id, bulk.add_customers(10))
    bulk.add_customers(20)
    with count_queries() as small:
        assert len(listed_ids(staff_client.get("/customers/?mine=1"))) == 10
    managed_by(manager.id, bulk.add_customers(200))
    bulk.add_customers(300)
    with count_queries() as large:
        assert len(listed_ids(staff_client.get("/customers/?mine=1"))) == 25

    assert small.count == large.count
    assert any("customers.manager_id = " in statement for statement in large.statements)
