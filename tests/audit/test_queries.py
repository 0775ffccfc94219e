"""The history of a customer or a loan (crm/audit/queries.py): newest first, a page at a
time, one query on the trail's own index."""

from sqlalchemy import event

from crm.audit.queries import customer_history, loan_history
from crm.extensions import db
from tests import factories
from tests.audit.conftest import all_events
from tests.loans.conftest import pay


def test_a_customers_history_is_theirs_only_and_newest_first(app):
    customer, other = factories.CustomerFactory(), factories.CustomerFactory()
    customer.phone = "+380677654321"
    db.session.commit()

    page = customer_history(db.session, customer.id, page=1, per_page=10)

    assert [(event.entity_id, event.action) for event in page.events] == [
        (customer.id, "update"),
        (customer.id, "create"),
    ]
    assert other.id not in {event.customer_id for event in page.events}
    assert (page.page, page.has_prev, page.has_next) == (1, False, False)


def test_a_loans_history_holds_its_schedule_and_payments(app, active, manager):
    pay(active, manager, "888.49", "BANK-1")
    expected = [event.id for event in all_events(loan_id=active.id)][::-1]

    page = loan_history(db.session, active.id, page=1, per_page=len(expected))

    assert [event.id for event in page.events] == expected
    assert {event.entity for event in page.events} == {"loan", "installment", "payment"}
    assert not page.has_next


def test_pages_follow_each_other_without_a_gap(app):
    customer = factories.CustomerFactory()
    for number in range(6):
        customer.address = f"Адреса {number}"
        db.session.commit()
    newest_first = [event.id for event in all_events(customer_id=customer.id)][::-1]

    pages = [customer_history(db.session, customer.id, page=n, per_page=3) for n in (1, 2, 3)]

    assert [event.id for page in pages for event in page.events] == newest_first
    assert [(page.has_prev, page.has_next) for page in pages] == [
        (False, True),
        (True, True),
        (True, False),
    ]
    past_the_end = customer_history(db.session, customer.id, page=4, per_page=3)
    assert (past_the_end.events, past_the_end.has_prev) == ([], True)


def test_a_page_below_one_is_the_first(app):
    customer = factories.CustomerFactory()
    page = customer_history(db.session, customer.id, page=-5, per_page=3)
    assert page.page == 1
    assert [event.action for event in page.events] == ["create"]


def test_a_page_is_one_query_on_the_trails_index(app):
    factories.CustomerFactory()
    sent: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        customer_history(db.session, 1, page=2, per_page=3)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)

    [(statement, parameters)] = sent
    assert "count(" not in statement.lower()
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL's planner reads a table this small whole; SQLite shows its plan.
    connection = db.session.connection()
    plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    details = " ".join(row[-1] for row in plan)
    assert "USING INDEX ix_audit_events_customer_id_id" in details
    assert "TEMP B-TREE" not in details
