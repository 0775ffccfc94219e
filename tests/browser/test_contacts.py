"""A contact logged from the overdue queue: the promise's fields show only for a promise to
pay (crm/static/js/contact-form.js), the form goes back to the queue as it was, and the
loan page lists the promise; no Content-Security-Policy violation on the way."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import MANAGER, log_in

pytestmark = pytest.mark.browser


def test_a_promise_logged_from_the_queue_shows_on_the_loan_page(page: Page, live_server, visit):
    log_in(page, live_server, MANAGER)
    visit(f"{live_server}/loans/overdue?sort=-amount")
    row = page.locator("#overdue-loans tbody tr").first
    loan_link = row.locator("a[href^='/loans/']").first.get_attribute("href")
    row.locator("a.crm-log-contact").click()

    expect(page.locator("#contact-form")).to_be_visible()
    promise = page.locator("#promise-fields")
    expect(promise).to_be_hidden()
    page.select_option("#outcome", "promised_to_pay")
    expect(promise).to_be_visible()
    page.select_option("#kind", "call")
    page.fill("#text", "Обіцяв сплатити в п’ятницю")
    page.fill("#promise_amount", "1")
    page.fill("#promise_due_on", page.locator("#promise_due_on").get_attribute("min"))
    page.click("#contact-form [type=submit]")

    expect(page).to_have_url(re.compile(r"/loans/overdue\?sort=-amount$"))
    expect(page.locator(".alert-success")).to_be_visible()
    visit(live_server + loan_link)
    contact = page.locator("#contact-list li").first
    expect(contact).to_contain_text("Обіцяв сплатити в п’ятницю")
    expect(contact.locator("[data-promise-state]")).to_have_attribute("data-promise-state", "open")
