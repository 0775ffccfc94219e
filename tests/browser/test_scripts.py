"""The admin's own scripts under the Content-Security-Policy: the question before a delete
and the "+" dialog beside a picker (static/js/admin.js), which inline handlers used to do."""

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.browser.pages import (
    ADMIN,
    OTHER_MANAGERS,
    fill_customer_form,
    log_in,
    pick,
    save_admin_form,
)

pytestmark = pytest.mark.browser

QUESTION = "Are you sure you want to delete this record?"


def test_a_delete_asks_first_and_cancelling_deletes_nothing(page: Page, live_server, visit):
    log_in(page, live_server, ADMIN)
    visit(f"{live_server}/admin/customer/new/")
    fill_customer_form(page, "Видаленко", "067 765 43 21", "vydalenko@example.com")
    save_admin_form(page, "customer")
    listed = f"{live_server}/admin/customer/?search=vydalenko"
    visit(listed)
    rows = page.locator("table.model-list tbody tr:has(form[action*='/delete/'])")
    expect(rows).to_have_count(1)
    questions: list[str] = []

    def cancel(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.evaluate("window.crmSamePage = true")
    rows.locator("form[action*='/delete/'] button").click()

    assert questions == [QUESTION]
    assert page.evaluate("window.crmSamePage") is True, "the form was sent"
    visit(listed)
    expect(rows).to_have_count(1)

    page.once("dialog", lambda dialog: dialog.accept())
    rows.locator("form[action*='/delete/'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    visit(listed)
    expect(rows).to_have_count(0)


def test_a_customer_added_in_the_dialog_beside_the_picker_is_picked(page: Page, live_server, visit):
    log_in(page, live_server, OTHER_MANAGERS[1])
    visit(f"{live_server}/admin/loan/new/")

    page.locator(".crm-picker:has(#customer) a[title]").click()
    dialog = page.locator("#crm-picker-modal")
    expect(dialog).to_be_visible()
    form = page.frame_locator("#crm-picker-modal iframe")
    # Typing before the dialog has finished opening would lose the keys to its focus.
    expect(form.locator("input[name=last_name]")).to_be_focused()
    fill_customer_form(form, "Діалогова", "067 111 22 33", "dialog@example.com")
    form.locator("form.admin-form input[type=submit]:not([name])").click()

    expect(dialog).to_be_hidden()
    expect(page.locator("#s2id_customer .select2-chosen")).to_contain_text("Діалогова")
    pick(page, "product", "Готівка", "Готівка на будь-які цілі")
    page.fill("input[name=amount]", "10000")
    page.fill("input[name=term_months]", "6")
    save_admin_form(page, "loan")


def test_checked_customers_are_given_to_another_manager(page: Page, live_server, visit):
    """The list's "With selected" action (Flask-Admin's actions script, run by admin.js)
    leads to the page that asks whom, and the customers go to the one chosen."""
    log_in(page, live_server, ADMIN)
    visit(f"{live_server}/admin/customer/")
    boxes = page.locator("table.model-list input.action-checkbox")
    boxes.nth(0).check()
    boxes.nth(1).check()

    page.get_by_role("button", name="With selected").click()
    page.locator('[data-crm-action="reassign"]').click()
    expect(page.locator("#reassigned-customers li")).to_have_count(2)
    page.locator("select[name=manager]").select_option(index=1)
    page.locator("#reassign-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/admin/customer/(\?.*)?$"))
    expect(page.locator(".alert-success")).to_contain_text("2 customers")
