"""The customer's timeline: contacts, lifecycle steps, payments and arrears, newest first,
each once, filtered by group and paged, with the same number of queries however much
happened."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crm.clock import lender_day_start, lender_today
from crm.contacts.queries import customer_contacts
from crm.extensions import db
from crm.i18n.labels import TIMELINE_GROUP_LABELS
from crm.lending.delinquency import Bucket
from crm.loans.queries.position import customer_schedule
from crm.timeline.queries import (
    EntryKind,
    Group,
    chosen_groups,
    customer_timeline,
    entries_needed,
)
from tests import factories
from tests.timeline.conftest import BUCKET_DAYS, loans_with_payments, tell_story

EVERYTHING = 100


def timeline(customer_id, *, kinds=(), page=1, per_page=EVERYTHING, as_of=None):
    """The page, from the contacts and the schedule read as the card reads them."""
    as_of = as_of or lender_today()
    newest = entries_needed(page, per_page)
    return customer_timeline(
        db.session,
        customer_id,
        kinds=kinds,
        page=page,
        per_page=per_page,
        as_of=as_of,
        contacts=customer_contacts(db.session, customer_id, newest=newest, as_of=as_of).newest,
        schedule=customer_schedule(db.session, customer_id, as_of),
    )


def entries(customer_id, **options):
    return timeline(customer_id, **options).entries


def test_every_step_of_every_loan_appears_once_at_its_moment(story):
    shown = {(entry.kind, entry.loan_id): entry for entry in entries(story.customer.id)}
    loans = story.behind, story.refused, story.withdrawn, story.repaid
    expected = {(EntryKind.APPLIED, loan.id) for loan in loans} | {
        (EntryKind.STARTED, story.behind.id),
        (EntryKind.STARTED, story.repaid.id),
        (EntryKind.PAYMENT, story.behind.id),
        (EntryKind.PAYMENT, story.repaid.id),
        (EntryKind.REVERSAL, story.behind.id),
        (EntryKind.REFUSED, story.refused.id),
        (EntryKind.WITHDRAWN, story.withdrawn.id),
        (EntryKind.FINISHED, story.repaid.id),
        (EntryKind.WRITTEN_OFF, story.behind.id),
        (EntryKind.OVERDUE, story.behind.id),
        (EntryKind.WORSE_BUCKET, story.behind.id),
        (EntryKind.CONTACT, story.behind.id),
        (EntryKind.CONTACT, None),
    }
    all_entries = entries(story.customer.id)
    assert set(shown) == expected
    # Besides: the loan behind has a second payment (the one reversed) and a second worse bucket.
    assert len(all_entries) == len(expected) + 2
    behind, repaid = story.behind.id, story.repaid.id
    for kind, loan in [
        (EntryKind.STARTED, behind),
        (EntryKind.REVERSAL, behind),
        (EntryKind.REFUSED, story.refused.id),
        (EntryKind.WITHDRAWN, story.withdrawn.id),
        (EntryKind.FINISHED, repaid),
        (EntryKind.WRITTEN_OFF, behind),
        (EntryKind.APPLIED, behind),
    ]:
        assert shown[kind, loan].at == story.moments[kind.value], kind
    assert shown[EntryKind.APPLIED, behind].amount == story.behind.amount
    assert shown[EntryKind.CONTACT, behind].contact == story.promise
    assert shown[EntryKind.CONTACT, None].contact == story.note


def test_payments_carry_their_amount_and_date(story):
    payments = [
        (entry.kind, entry.amount, entry.day)
        for entry in entries(story.customer.id, kinds={Group.PAYMENTS})
        if entry.loan_id == story.behind.id
    ]
    assert payments == [
        (EntryKind.REVERSAL, Decimal("100.00"), date(2025, 3, 1)),
        (EntryKind.PAYMENT, Decimal("100.00"), date(2025, 3, 1)),
        (EntryKind.PAYMENT, Decimal("888.49"), date(2025, 2, 14)),
    ]


def test_arrears_are_the_days_the_loan_entered_each_bucket_until_it_was_written_off(story):
    arrears = entries(story.customer.id, kinds={Group.ARREARS})
    # Written off on 20 May, five days after entering 61–90: it never reached 90+.
    assert [(entry.kind, entry.bucket, entry.day) for entry in arrears] == [
        (EntryKind.WORSE_BUCKET, Bucket.DPD_61_90, BUCKET_DAYS[2]),
        (EntryKind.WORSE_BUCKET, Bucket.DPD_31_60, BUCKET_DAYS[1]),
        (EntryKind.OVERDUE, Bucket.DPD_1_30, BUCKET_DAYS[0]),
    ]
    assert arrears[-1].at == lender_day_start(BUCKET_DAYS[0])
    assert {entry.loan_id for entry in arrears} == {story.behind.id}


def test_arrears_end_on_the_day_asked_about(story):
    arrears = entries(story.customer.id, kinds={Group.ARREARS}, as_of=BUCKET_DAYS[1])
    assert [entry.day for entry in arrears] == [BUCKET_DAYS[1], BUCKET_DAYS[0]]


def test_newest_first(story):
    moments = [entry.at for entry in entries(story.customer.id)]
    assert moments == sorted(moments, reverse=True)
    assert entries(story.customer.id)[0].kind is EntryKind.WRITTEN_OFF


@pytest.mark.parametrize(
    ("group", "kinds"),
    [
        (Group.CONTACTS, {EntryKind.CONTACT}),
        (
            Group.LOANS,
            {
                EntryKind.APPLIED,
                EntryKind.STARTED,
                EntryKind.REFUSED,
                EntryKind.WITHDRAWN,
                EntryKind.FINISHED,
                EntryKind.WRITTEN_OFF,
            },
        ),
        (Group.PAYMENTS, {EntryKind.PAYMENT, EntryKind.REVERSAL}),
        (Group.ARREARS, {EntryKind.OVERDUE, EntryKind.WORSE_BUCKET}),
    ],
)
def test_a_filter_shows_its_group_only(story, group, kinds):
    everything = entries(story.customer.id)
    filtered = entries(story.customer.id, kinds={group})
    assert {entry.kind for entry in filtered} == kinds
    assert filtered == [entry for entry in everything if entry.kind in kinds]


def test_two_groups_together(story):
    filtered = entries(story.customer.id, kinds={Group.CONTACTS, Group.ARREARS})
    assert {entry.group for entry in filtered} == {Group.CONTACTS, Group.ARREARS}
    assert len(filtered) == 5


def test_pages_cut_the_whole_timeline_newest_first(story):
    everything = entries(story.customer.id)
    pages = [timeline(story.customer.id, page=number, per_page=4) for number in range(1, 7)]
    assert [entry for page in pages for entry in page.entries] == everything
    assert [page.has_next for page in pages] == [True] * 4 + [False, False]
    assert [page.has_prev for page in pages] == [False] + [True] * 5
    assert pages[-1].entries == []


def test_a_customer_sees_none_of_another_customers_entries(
    story, clock, product, manager, admin_user
):
    other = tell_story(clock, product, manager, admin_user, factories.CustomerFactory())
    mine = entries(story.customer.id)
    theirs = entries(other.customer.id)
    assert len(mine) == len(theirs)
    mine_loans = {entry.loan_id for entry in mine} - {None}
    theirs_loans = {entry.loan_id for entry in theirs} - {None}
    assert mine_loans == {story.behind.id, story.refused.id, story.withdrawn.id, story.repaid.id}
    assert not mine_loans & theirs_loans
    assert {entry.contact.id for entry in mine if entry.contact} == {
        story.promise.id,
        story.note.id,
    }
    assert entries(factories.CustomerFactory().id) == []


def test_filters_are_read_from_known_values_only():
    assert chosen_groups(["payments", "nonsense", "", "PAYMENTS"]) == {Group.PAYMENTS}
    assert chosen_groups([]) == frozenset()


def test_every_group_has_a_label_in_the_filters_order():
    assert list(TIMELINE_GROUP_LABELS) == [group.value for group in Group]


def test_the_number_of_queries_does_not_grow_with_the_loans(app, product, manager, count_queries):
    few, many = factories.CustomerFactory(), factories.CustomerFactory()
    loans_with_payments(few, product, manager, 1)
    loans_with_payments(many, product, manager, 10)
    counts, sizes = [], []
    for customer_id in (few.id, many.id):
        db.session.expire_all()
        with count_queries() as log:
            shown = entries(customer_id, per_page=25)
        counts.append(log.count)
        sizes.append(len(shown))
    assert counts == [3, 3], log.statements
    assert sizes[0] < sizes[1] == 25


def test_the_day_start_is_midnight_in_kyiv(app):
    with app.test_request_context():
        assert lender_day_start(date(2025, 3, 9)) == datetime(2025, 3, 8, 22, tzinfo=UTC)
