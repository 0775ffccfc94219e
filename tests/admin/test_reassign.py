"""The admin's bulk reassignment of customers (crm/admin/customers.py): checked in the
list, given to one active staff member on a page that asks whom, in one transaction, each
change in the audit trail; an admin's action only."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from crm.customers.services import MAX_REASSIGNED
from crm.extensions import db
from crm.models import AuditEvent, Customer, Role
from tests import factories


def managers_of(customers) -> list[int | None]:
    db.session.expire_all()
    return [db.session.get(Customer, customer.id).manager_id for customer in customers]


@pytest.fixture
def checked(app, manager):
    """Three customers: two of the manager's, one of nobody's."""
    return [
        factories.CustomerFactory(manager=manager),
        factories.CustomerFactory(manager=manager),
        factories.CustomerFactory(),
    ]


def test_the_action_asks_whom_and_lists_the_checked_customers(admin_client, checked):
    factories.UserFactory(role=Role.MANAGER, full_name="Неактивна", active=False)
    factories.UserFactory(role=Role.MANAGER, full_name="Нова Менеджерка")
    listed = admin_client.get("/admin/customer/").get_data(as_text=True)
    assert 'data-crm-action="reassign"' in listed

    response = admin_client.post(
        "/admin/customer/action/",
        data={"action": "reassign", "rowid": [str(c.id) for c in checked[:2]]},
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    names = re.findall(r"<li>([^<(]+)", page.split('id="reassigned-customers"')[1])
    assert [name.strip() for name in names] == [c.full_name for c in checked[:2]]
    assert "Нова Менеджерка" in page
    assert "Неактивна" not in page


def test_the_checked_customers_go_to_the_chosen_manager_each_audited(
    admin_client, admin_user, checked, manager
):
    other = factories.UserFactory(role=Role.MANAGER)
    before = db.session.scalar(select(db.func.max(AuditEvent.id))) or 0

    response = admin_client.post(
        "/admin/customer/reassign/",
        data={"manager": str(other.id), "rowid": [str(c.id) for c in checked]},
    )

    assert response.status_code == 302
    assert managers_of(checked) == [other.id] * 3
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.id > before).order_by(AuditEvent.entity_id)
    ).all()
    assert [(e.action, e.entity, e.entity_id, e.actor_id) for e in events] == [
        ("update", "customer", c.id, admin_user.id) for c in checked
    ]
    assert [e.changes["manager_id"] for e in events] == [
        [manager.id, other.id],
        [manager.id, other.id],
        [None, other.id],
    ]
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 customers are given to another manager." in unescape(page)


def test_customers_of_that_manager_already_are_left_as_they_are(admin_client, checked, manager):
    response = admin_client.post(
        "/admin/customer/reassign/",
        data={"manager": str(manager.id), "rowid": [str(c.id) for c in checked]},
    )

    assert response.status_code == 302
    assert managers_of(checked) == [manager.id] * 3
    assert [db.session.get(Customer, c.id).version for c in checked] == [1, 1, 2]


@pytest.mark.parametrize(
    ("who", "rowid", "message"),
    [
        ("", None, "Choose an active staff member."),
        ("abc", None, "Choose an active staff member."),
        ("999999", None, "Choose an active staff member."),
        ("inactive", None, "Only an active staff member can manage customers."),
        ("customer", None, "Only an active staff member can manage customers."),
        ("other", [], "Choose the customers to give to another manager."),
        ("other", ["x"], "not there any more"),
        ("other", ["999999"], "not there any more"),
        ("other", [str(n) for n in range(1, MAX_REASSIGNED + 2)], "At most 500 customers"),
    ],
)
def test_a_bad_choice_is_refused_with_a_message_and_nobody_moves(
    admin_client, checked, manager, who, rowid, message
):
    users = {
        "inactive": factories.UserFactory(role=Role.MANAGER, active=False),
        "customer": factories.UserFactory(role=Role.CUSTOMER, customer=factories.CustomerFactory()),
        "other": factories.UserFactory(role=Role.MANAGER),
    }
    chosen = str(users[who].id) if who in users else who
    ids = [] if rowid == [] else [str(c.id) for c in checked] + (rowid or [])

    response = admin_client.post(
        "/admin/customer/reassign/", data={"manager": chosen, "rowid": ids}
    )

    assert response.status_code == 422
    assert message in unescape(response.get_data(as_text=True))
    assert managers_of(checked) == [manager.id, manager.id, None]


def test_managers_neither_see_nor_take_the_action(client, login, manager, checked):
    login(manager)
    other = factories.UserFactory(role=Role.MANAGER)

    assert 'data-crm-action="reassign"' not in client.get("/admin/customer/").get_data(as_text=True)
    refused = client.post(
        "/admin/customer/reassign/", data={"manager": str(other.id), "rowid": [str(checked[0].id)]}
    )
    action = client.post(
        "/admin/customer/action/", data={"action": "reassign", "rowid": [str(checked[0].id)]}
    )

    assert refused.status_code == 403
    assert action.status_code == 302
    assert managers_of(checked) == [manager.id, manager.id, None]
