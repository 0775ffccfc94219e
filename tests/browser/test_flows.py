"""The main flows in a real browser against a real server.

The screenshots in docs/screenshots/ are taken here, so the README always shows the
product as it is.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from crm.demo.load import DEMO_PASSWORD
from tests.browser.conftest import shot

pytestmark = pytest.mark.browser

MANAGER = "manager@demo.crm"


def log_in(page: Page, base_url: str, email: str = MANAGER) -> None:
    page.goto(f"{base_url}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    expect(page.locator("#stat-total")).to_be_visible()


def stat(page: Page, key: str) -> int:
    return int(re.sub(r"\D", "", page.locator(f"#stat-{key}").inner_text()))


def pick(page: Page, field: str, query: str) -> None:
    """Choose a record in one of the admin's AJAX pickers (select2 3.x)."""
    page.click(f"#s2id_{field} a.select2-choice")
    page.keyboard.type(query)
    page.locator(".select2-drop-active .select2-result-selectable").first.wait_for()
    page.keyboard.press("Enter")


def test_manager_adds_a_customer_and_a_loan_in_the_admin(page: Page, live_server, screenshot):
    log_in(page, live_server)
    before = {key: stat(page, key) for key in ("total", "pending", "customers")}
    screenshot("dashboard")

    page.goto(f"{live_server}/admin/customer/new/")
    page.fill("input[name=last_name]", "Ґудзь")
    page.fill("input[name=first_name]", "Мар'яна")
    page.fill("input[name=patronymic]", "Євгенівна")
    page.fill("input[name=phone]", "067 123 45 67")
    page.fill("input[name=email]", "mariana.gudz@example.com")
    page.fill("input[name=birth_date]", "1990-04-17")
    page.click("form.admin-form input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/customer/"))
    page.goto(f"{live_server}/admin/customer/")
    screenshot("admin-customers", full_page=False)

    page.goto(f"{live_server}/admin/loan/new/")
    pick(page, "customer", "mariana.gudz")
    pick(page, "product", "Готівка")
    page.fill("input[name=amount]", "25000")
    page.fill("input[name=term_months]", "12")
    page.click("form.admin-form input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/loan/"))

    page.goto(f"{live_server}/")
    assert stat(page, "total") == before["total"] + 1
    assert stat(page, "pending") == before["pending"] + 1
    assert stat(page, "customers") == before["customers"] + 1

    page.goto(f"{live_server}/customers/?q=mariana.gudz")
    page.locator("#customers tbody a.btn").first.click()
    expect(page.locator("h1")).to_contain_text("Ґудзь Мар'яна Євгенівна")
    expect(page.locator("#customer-loans")).to_contain_text("Готівка на будь-які цілі")
    expect(page.locator("#loan-count")).to_have_text("1")
    screenshot("customer-card")


def test_wrong_password_is_refused_with_a_message(page: Page, live_server):
    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=email]", MANAGER)
    page.fill("input[name=password]", "not-the-password")
    page.click("form:has(input[name=password]) [type=submit]")
    expect(page.locator(".invalid-feedback")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/auth/login"))


def test_manager_starts_a_loan_and_a_payment_pays_the_first_installment(
    page: Page, live_server, screenshot
):
    log_in(page, live_server)
    page.goto(f"{live_server}/loans/?status=pending")
    page.locator("table tbody a[href^='/loans/']").first.click()
    expect(page.locator("#start-form")).to_be_visible()
    expect(page.locator("#preview")).to_be_visible()
    page.click("#start-form [type=submit]")

    expect(page.locator("#payment-form")).to_be_visible()
    first_row = page.locator("#schedule tr[data-number='1']")
    expect(first_row).to_have_attribute("data-state", "unpaid")
    amount = re.sub(r"[^\d.]", "", page.locator("#next-amount").inner_text())
    page.fill("#payment-form input[name=amount]", amount)
    page.fill("#payment-form input[name=reference]", "BANK-2026-0001")
    page.click("#payment-form [type=submit]")

    expect(first_row).to_have_attribute("data-state", "paid")
    expect(page.locator("#payments tr[data-payment]")).to_have_count(1)
    screenshot("loan")


def test_the_interface_in_ukrainian(browser, live_server):
    """A Ukrainian browser gets the Ukrainian interface, admin included; screenshots *-uk.png."""
    context = browser.new_context(locale="uk-UA", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/auth/login")
        expect(page.locator("form:has(input[name=password]) [type=submit]")).to_have_text("Увійти")
        log_in(page, live_server)
        expect(page.locator("h1")).to_have_text("Огляд")
        expect(page.locator("#stat-customers").locator("..")).to_contain_text("Клієнти")
        expect(page.locator("body")).to_contain_text("грн")
        shot(page, "dashboard-uk")

        page.goto(f"{live_server}/loans/?status=active")
        page.locator("table tbody a[href^='/loans/']").first.click()
        expect(page.locator("body")).to_contain_text("Графік платежів")
        shot(page, "loan-uk")

        page.goto(f"{live_server}/admin/loan/")
        expect(page.locator("body")).to_contain_text("Список")
        shot(page, "admin-loans-uk", full_page=False)
    finally:
        context.close()
