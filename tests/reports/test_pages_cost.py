"""What a report's page costs (queries, whatever the data) and how its figures are kept
between views (crm/figures_cache.py). The book is tests/reports/period_book.py's."""

from datetime import date

import pytest

from tests.reports.period_book import build_book, later, pay
from tests.reports.test_pages import APRIL_MAY, AS_OF, FEBRUARY, JANUARY_TO_MAY, MARCH, text_of


def more_of_the_same(clock, copies: int) -> None:
    """More customers, loans and payments of every kind: another book, `copies` times."""
    for copy in range(copies):
        later(build_book(clock, tag=f" {copy}"), clock)


#: Queries per page, whatever the data: the log-in session's user, the products and the
#: managers the filters offer, the navbar's count of tasks due, and then the report's own:
#: the state of the data its kept figures are good for (crm/figures_cache.py), then, unless
#: they are kept, collections 2 (installments, payments), every other report 1 (the
#: portfolio's splits come out of one query); a list 2 (its page and its count).
BUDGETS = {
    AS_OF: 6,
    f"/reports/disbursements?{FEBRUARY}": 6,
    f"/reports/collections?{MARCH}": 7,
    f"/reports/write-offs?{APRIL_MAY}": 6,
    f"/reports/applications?{JANUARY_TO_MAY}": 6,
    "/reports/loans?measure=par1&as_of=2025-03-31": 6,
    f"/reports/loans?measure=due&{MARCH}": 6,
    f"/reports/loans?measure=applications&{JANUARY_TO_MAY}": 6,
}


@pytest.mark.parametrize("path", list(BUDGETS))
def test_a_page_costs_the_same_queries_however_much_data(petro, book, clock, count_queries, path):
    with count_queries() as small:
        assert petro.get(path).status_code == 200

    more_of_the_same(clock, 2)
    with count_queries() as large:
        assert petro.get(path).status_code == 200

    assert small.count == large.count, large.statements
    assert large.count <= BUDGETS[path], large.statements


#: The queries a report's figures cost when they are not kept.
REPORT_QUERIES = {
    AS_OF: 1,
    f"/reports/disbursements?{FEBRUARY}": 1,
    f"/reports/collections?{MARCH}": 2,
}


@pytest.mark.parametrize("path", list(REPORT_QUERIES))
def test_an_unchanged_report_is_read_from_the_ledger_once(petro, count_queries, path):
    with count_queries() as first:
        first_page = petro.get(path).get_data(as_text=True)
    with count_queries() as again:
        again_page = petro.get(path).get_data(as_text=True)

    assert again.count == first.count - REPORT_QUERIES[path], again.statements
    assert text_of(again_page, "report-computed-at") == text_of(first_page, "report-computed-at")


def test_a_kept_report_is_one_of_its_day_and_filters(petro, book):
    whole = text_of(petro.get(AS_OF).get_data(as_text=True), "figure-active-loans")
    narrowed = petro.get(f"{AS_OF}&product_id={book.beta.id}").get_data(as_text=True)
    earlier = petro.get("/reports/?as_of=2025-01-31").get_data(as_text=True)

    assert text_of(narrowed, "figure-active-loans") != whole
    assert text_of(earlier, "figure-active-loans") != whole


def test_a_report_follows_others_changes_within_max_age_and_the_readers_own_at_once(
    app, petro, book, clock
):
    app.config["FIGURES_MAX_AGE"] = 60
    page = "/reports/collections?since=2025-05-01&until=2025-05-02"
    before = text_of(petro.get(page).get_data(as_text=True), "figure-paid")

    pay(book, "A", "100.00", date(2025, 5, 2), "A-others")
    clock.advance(seconds=30)
    within = text_of(petro.get(page).get_data(as_text=True), "figure-paid")
    paid = petro.post(
        f"/loans/{book.loans['C'].id}/payments",
        data={"amount": "50.00", "reference": "C-own", "paid_on": "2025-05-02"},
    )
    own = text_of(petro.get(page).get_data(as_text=True), "figure-paid")

    assert paid.status_code == 302
    assert (before, within) == ("UAH\xa00.00", "UAH\xa00.00")
    assert own == "UAH\xa0150.00"
