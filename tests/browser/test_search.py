"""The navbar's search box, on a wide and a narrow screen, and the loans list's filters."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import OTHER_MANAGERS, log_in

pytestmark = pytest.mark.browser


def test_the_navbar_search_finds_a_customer_by_phone_and_a_loan_by_number(
    page: Page, live_server, visit
):
    log_in(page, live_server, OTHER_MANAGERS[0])
    visit(f"{live_server}/customers/")
    row = page.locator("#customers tbody tr").first
    name = row.locator("td").nth(0).inner_text()
    phone = row.locator("td").nth(1).inner_text()

    page.fill("#navbar-search-q", phone)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(page.locator("#search-customers tbody")).to_contain_text(name)

    page.fill("#navbar-search-q", "#1")
    page.keyboard.press("Enter")
    expect(page.locator("#search-loans tbody a[href='/loans/1']")).to_be_visible()


@pytest.mark.browser_context_args(viewport={"width": 400, "height": 800})
def test_on_a_small_screen_the_search_box_folds_into_the_menu(page: Page, live_server, visit):
    log_in(page, live_server, OTHER_MANAGERS[0])
    box = page.locator("#navbar-search-q")
    expect(box).to_be_hidden()
    page.click(".navbar-toggler")
    expect(box).to_be_visible()


def test_the_loans_filters_submit_and_clear(page: Page, live_server, visit):
    log_in(page, live_server, OTHER_MANAGERS[0])
    visit(f"{live_server}/loans/")
    page.select_option("#loan-filters select[name=sort]", "-amount")
    page.fill("#loan-filters input[name=from]", "2020-01-01")
    page.check("#loans-mine")
    page.click("#loan-filters [type=submit]")
    expect(page).to_have_url(re.compile(r"sort=-amount.*mine=1|mine=1.*sort=-amount"))
    expect(page.locator("#loans tbody tr").first).to_be_visible()
    page.click("#loan-filters a:has-text('Clear')")
    expect(page.locator("#loans-mine")).not_to_be_checked()
