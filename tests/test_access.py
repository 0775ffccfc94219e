"""Who reaches which page: staff pages for staff, the personal account for customers."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests import factories

STAFF_PAGES = [
    "/",
    "/customers/",
    "/customers/{customer_id}",
    "/customers/{customer_id}/contacts/new?loan_id={loan_id}",
    "/loans/",
    "/loans/{loan_id}",
    "/loans/payments/",
    "/customers/export.csv",
    "/loans/export.xlsx",
    "/loans/overdue/export.csv",
    "/loans/payments/export.xlsx",
    "/loans/new?customer_id={customer_id}",
    "/products/",
    "/search?q={loan_id}",
    "/tasks/",
    "/tasks/new?customer_id={customer_id}&loan_id={loan_id}",
]


@pytest.fixture
def loan(app):
    return factories.LoanFactory()


def page_url(template: str, loan) -> str:
    return template.format(customer_id=loan.customer_id, loan_id=loan.id)


def assert_sent_to_log_in(response, path: str) -> None:
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/auth/login"
    assert parse_qs(location.query) == {"next": [path]}


@pytest.mark.parametrize("template", STAFF_PAGES)
def test_anonymous_visitor_is_sent_to_log_in_from_staff_pages(client, loan, template):
    path = page_url(template, loan)
    assert_sent_to_log_in(client.get(path), path)


@pytest.mark.parametrize("template", STAFF_PAGES)
@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [("customer_user", 403), ("manager", 200), ("admin_user", 200)],
)
def test_staff_pages_open_for_staff_only(
    client, login, request, loan, template, user_fixture, expected
):
    login(request.getfixturevalue(user_fixture))
    assert client.get(page_url(template, loan)).status_code == expected


def test_anonymous_visitor_is_sent_to_log_in_from_the_account(client):
    assert_sent_to_log_in(client.get("/account/"), "/account/")


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [("customer_user", 200), ("manager", 403), ("admin_user", 403)],
)
def test_account_opens_for_customers_only(client, login, request, user_fixture, expected):
    login(request.getfixturevalue(user_fixture))
    assert client.get("/account/").status_code == expected
