"""The main pages, staff site, admin and personal account, in both languages: each loads,
and its scripts work, without one Content-Security-Policy violation (tests/browser/conftest.py
listens in every frame)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ADMIN, CUSTOMER, log_in

pytestmark = pytest.mark.browser

STAFF_PAGES = [
    "/",
    "/?mine=1",
    "/customers/",
    "/customers/?mine=1",
    "/loans/",
    "/loans/overdue",
    "/products/",
    "/search?q=1",
    "/tasks/",
    "/tasks/?done=1",
    "/tasks/new",
]
ADMIN_VIEWS = ["customer", "loan", "product", "user"]
LANGUAGES = [
    pytest.param("en-GB", marks=pytest.mark.browser_context_args(locale="en-GB"), id="en"),
    pytest.param("uk-UA", marks=pytest.mark.browser_context_args(locale="uk-UA"), id="uk"),
]


def first_link(page: Page, selector: str) -> str:
    link = page.locator(selector).first
    expect(link).to_be_attached()
    return link.get_attribute("href")


@pytest.mark.parametrize("locale", LANGUAGES)
def test_staff_pages_load_without_a_policy_violation(page: Page, live_server, visit, locale):
    log_in(page, live_server, ADMIN)
    for path in STAFF_PAGES:
        visit(f"{live_server}{path}")
    visit(f"{live_server}/customers/")
    visit(live_server + first_link(page, "#customers tbody a[href^='/customers/']"))
    for status in ("pending", "active"):
        # A pending loan shows the schedule preview; an active one its payments.
        visit(f"{live_server}/loans/?status={status}")
        visit(live_server + first_link(page, "#loans tbody a[href^='/loans/']"))
    visit(f"{live_server}/no-such-page")


@pytest.mark.parametrize("locale", LANGUAGES)
def test_admin_pages_load_without_a_policy_violation(page: Page, live_server, visit, locale):
    log_in(page, live_server, ADMIN)
    visit(f"{live_server}/admin/")
    for view in ADMIN_VIEWS:
        visit(f"{live_server}/admin/{view}/")
        edit = first_link(page, "table.model-list a[href*='/edit/']")
        details = first_link(page, "table.model-list a[href*='/details/']")
        # The tab of the page itself, which was a javascript: link.
        page.locator(".nav-tabs .active").click()
        for path in (f"/admin/{view}/new/", edit, details):
            visit(live_server + path if path.startswith("/") else path)


def test_admin_list_filters_work_without_a_policy_violation(page: Page, live_server, visit):
    # Flask-Admin's "Add Filter" items had an inline onclick; the date filters start the
    # date range picker.
    log_in(page, live_server, ADMIN)
    visit(f"{live_server}/admin/loan/")
    filters = page.locator("table.filters tr")
    for number, item in enumerate(["Status", "Applied"], start=1):
        page.locator(".nav-tabs a.dropdown-toggle", has_text="Add Filter").click()
        page.locator(".field-filters a.filter", has_text=item).first.click()
        expect(filters).to_have_count(number)
    page.locator("table.filters input.filter-val").last.click()
    expect(page.locator(".daterangepicker").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/admin/loan/$"))


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_personal_account_loads_without_a_policy_violation(
    page: Page, live_server, visit, locale
):
    log_in(page, live_server, CUSTOMER)
    visit(f"{live_server}/account/")
    links = page.locator("#my-loans h2 a, #my-applications h3 a")
    expect(links.first).to_be_attached()
    for href in [link.get_attribute("href") for link in links.all()]:
        visit(f"{live_server}{href}")
    visit(f"{live_server}/account/apply")
    visit(f"{live_server}/account/profile")
    visit(f"{live_server}/customers/")  # a staff page: refused, on the policy's terms too
