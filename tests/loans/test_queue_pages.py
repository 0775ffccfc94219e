"""The overdue queue picks a page's loans by the sort's keys before it works out their columns
(crm/loans/queries/overdue.py): every page must be the same slice of the whole queue, in the
order its rows show, and every filter must keep the rows its columns say it keeps."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from crm.clock import as_utc, lender_today, utc_now
from crm.extensions import db
from crm.lending.delinquency import Bucket
from crm.lending.promises import PromiseState
from crm.loans.queries import overdue as queue
from crm.models import ContactOutcome, Role
from tests.factories import CustomerFactory, UserFactory
from tests.loans.test_overdue import overdue_loan
from tests.loans.test_queue_follow_up import contact, paid, promise, task

PAGE = 4
QUIET_SINCE = timedelta(days=7)


@pytest.fixture
def book(app):
    """Overdue loans that tie on the days past due, on the amount too, with every kind of
    next action, promise and contact, of two managers."""
    olena = UserFactory(role=Role.MANAGER, full_name="Олена Коваль")
    petro = UserFactory(role=Role.MANAGER, full_name="Петро Мельник")
    shared = CustomerFactory(manager=olena)

    def loan(days, amount, manager=petro, customer=None):
        return overdue_loan(days, amount, customer=customer or CustomerFactory(manager=manager))

    tasked = loan(10, "100.00", olena)
    by_customer = loan(10, "300.00", customer=shared)
    same_customer = loan(40, "300.00", customer=shared)
    promised = loan(10, "300.00")
    superseded = loan(40, "500.00", olena)
    done_only = loan(40, "500.00")
    kept = loan(95, "50.00", olena)
    broken = loan(95, "50.00")
    loan(3, "1000.00", olena)
    loan(70, "700.00")
    loan(10, "200.00")

    task(tasked, 2, assignee=olena)
    task(by_customer, 1, "Visit", assignee=olena, on_customer=True)
    promise(promised, "80.00", 3)
    task(promised, 6, assignee=petro)
    # An older promise still to come is not the latest: the one made since fell due unpaid.
    promise(superseded, "90.00", 10, ago=timedelta(days=5))
    contact(
        superseded,
        ago=timedelta(days=1),
        promise_amount=Decimal("90.00"),
        promise_made_on=lender_today() - timedelta(days=1),
        promise_due_on=lender_today() - timedelta(days=1),
    )
    task(done_only, 0, assignee=petro, done=True)
    promise(kept, "40.00", -1)
    paid(kept, "40.00", 2)
    promise(broken, "40.00", -2)
    contact(tasked, ago=timedelta(days=10), outcome=ContactOutcome.NO_ANSWER)
    contact(same_customer, ago=timedelta(days=1))
    db.session.commit()
    return {"olena": olena, "petro": petro}


def sort_order(sort: str):
    """What each ?sort= means, from the columns a row shows; the loan id breaks ties."""

    def key(row):
        planned = row.next_action_on
        return {
            "-dpd": (-row.days_past_due, -row.overdue_amount),
            "dpd": (row.days_past_due, row.overdue_amount),
            "-amount": (-row.overdue_amount, -row.days_past_due),
            "amount": (row.overdue_amount, row.days_past_due),
            "next": (planned is None, planned or date.min, -row.days_past_due),
            "-next": (planned is None, -(planned or date.min).toordinal(), -row.days_past_due),
        }[sort] + (row.loan_id,)

    return key


def filters(name: str, book) -> tuple[dict, Callable]:
    """The filter arguments and what they keep, from the columns a row shows."""
    quiet = utc_now() - QUIET_SINCE
    olena = book["olena"]
    return {
        "none": ({}, lambda row: True),
        "1-30": ({"bucket": Bucket.DPD_1_30}, lambda row: row.bucket is Bucket.DPD_1_30),
        "mine": ({"manager_id": olena.id}, lambda row: row.manager_name == olena.display_name),
        "quiet": (
            {"not_contacted_since": quiet},
            lambda row: row.last_contact_at is None or as_utc(row.last_contact_at) < quiet,
        ),
        "broken": (
            {"promise_broken": True},
            lambda row: row.promise_state is PromiseState.BROKEN,
        ),
    }[name]


def listed(sort: str, **arguments) -> list:
    return db.session.scalars(queue.overdue_queue(lender_today(), sort=sort, **arguments)).all()


@pytest.mark.parametrize("filter_name", ["none", "1-30", "mine", "quiet", "broken"])
@pytest.mark.parametrize("sort", queue.SORTS)
def test_pages_are_slices_of_the_whole_queue_in_its_order(book, sort, filter_name):
    arguments, keeps = filters(filter_name, book)
    everything = listed(sort)
    whole = listed(sort, **arguments)
    pages = []
    for offset in range(0, len(whole) + PAGE, PAGE):
        pages += listed(sort, limit=PAGE, offset=offset, **arguments)

    assert [row.loan_id for row in pages] == [row.loan_id for row in whole]
    assert whole == sorted(whole, key=sort_order(sort))
    assert [row.loan_id for row in whole] == [row.loan_id for row in everything if keeps(row)]
    counted = db.session.scalars(queue.overdue_rows(lender_today(), **arguments)).all()
    assert sorted(counted) == sorted(row.loan_id for row in whole)
    order = db.session.scalars(queue.queue_order(lender_today(), sort=sort, **arguments)).all()
    assert order == [row.loan_id for row in whole]
    picked = db.session.scalars(queue.picked_rows(lender_today(), order[:PAGE], **arguments))
    assert sorted(picked, key=lambda row: order.index(row.loan_id)) == whole[:PAGE]


def test_the_next_action_sort_reads_the_dates_the_rows_show(book):
    rows = {row.next_action_on for row in listed("next")}
    today = lender_today()

    # The task on the loan, the customer's task on both its loans, the open promise before
    # its task; not the superseded promise, the done task, the kept or the broken one.
    assert rows == {
        today + timedelta(days=2),
        today + timedelta(days=1),
        today + timedelta(days=3),
        None,
    }
    shown = listed("next")
    assert [row.next_action_on for row in shown[:4]] == [
        today + timedelta(days=1),
        today + timedelta(days=1),
        today + timedelta(days=2),
        today + timedelta(days=3),
    ]
