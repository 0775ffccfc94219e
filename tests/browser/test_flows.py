"""The main flows in a real browser against a real server.

The screenshots in docs/screenshots/ are taken here, so the README always shows the
product as it is. They show the demo data as loaded, so this file runs first among those
that add records (pytest runs them in name order; test_scripts.py adds its own later).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import (
    ADMIN,
    CUSTOMER,
    MANAGER,
    fill_customer_form,
    log_in,
    pick,
    save_admin_form,
    stat,
)

pytestmark = pytest.mark.browser


def test_manager_adds_a_customer_and_a_loan_in_the_admin(
    page: Page, live_server, visit, screenshot
):
    log_in(page, live_server)
    before = {key: stat(page, key) for key in ("total", "pending", "customers")}
    expect(page.locator("figure.crm-chart[data-state=waiting]")).to_have_count(0)
    screenshot("dashboard")

    visit(f"{live_server}/admin/customer/new/")
    fill_customer_form(page, "Ґудзь", "067 123 45 67", "mariana.gudz@example.com")
    save_admin_form(page, "customer")
    visit(f"{live_server}/admin/customer/")
    screenshot("admin-customers", full_page=False)

    visit(f"{live_server}/admin/loan/new/")
    pick(page, "customer", "mariana.gudz", "Ґудзь Мар'яна Євгенівна")
    pick(page, "product", "Готівка", "Готівка на будь-які цілі")
    page.fill("input[name=amount]", "25000")
    page.fill("input[name=term_months]", "12")
    save_admin_form(page, "loan")

    visit(f"{live_server}/")
    assert stat(page, "total") == before["total"] + 1
    assert stat(page, "pending") == before["pending"] + 1
    assert stat(page, "customers") == before["customers"] + 1

    visit(f"{live_server}/customers/?q=mariana.gudz")
    page.locator("#customers tbody a.btn").first.click()
    expect(page.locator("h1")).to_contain_text("Ґудзь Мар'яна Євгенівна")
    expect(page.locator("#customer-loans")).to_contain_text("Готівка на будь-які цілі")
    expect(page.locator("#loan-count")).to_have_text("1")
    screenshot("customer-card")


def test_wrong_password_is_refused_with_a_message(page: Page, live_server, visit):
    visit(f"{live_server}/auth/login")
    page.fill("input[name=email]", MANAGER)
    page.fill("input[name=password]", "not-the-password")
    page.click("form:has(input[name=password]) [type=submit]")
    expect(page.locator(".invalid-feedback")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/auth/login"))


def test_manager_starts_a_loan_and_a_payment_pays_the_first_installment(
    page: Page, live_server, visit, screenshot
):
    log_in(page, live_server)
    visit(f"{live_server}/loans/?status=pending")
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


@pytest.mark.browser_context_args(locale="uk-UA")
def test_the_interface_in_ukrainian(page: Page, live_server, visit, screenshot):
    """A Ukrainian browser gets the Ukrainian interface, admin included; screenshots *-uk.png."""
    visit(f"{live_server}/auth/login")
    expect(page.locator("form:has(input[name=password]) [type=submit]")).to_have_text("Увійти")
    log_in(page, live_server)
    expect(page.locator("h1")).to_have_text("Огляд")
    expect(page.locator("#stat-customers").locator("..")).to_contain_text("Клієнти")
    expect(page.locator("body")).to_contain_text("грн")
    expect(page.locator("figure.crm-chart[data-state=waiting]")).to_have_count(0)
    screenshot("dashboard-uk")

    visit(f"{live_server}/loans/?status=active")
    page.locator("table tbody a[href^='/loans/']").first.click()
    expect(page.locator("body")).to_contain_text("Графік платежів")
    screenshot("loan-uk")

    visit(f"{live_server}/admin/loan/")
    expect(page.locator("body")).to_contain_text("Список")
    screenshot("admin-loans-uk", full_page=False)


def test_a_customer_reads_a_schedule_and_applies_with_the_live_preview(
    page: Page, live_server, visit
):
    log_in(page, live_server, CUSTOMER)
    applications = page.locator("#my-applications article")
    waiting = applications.count()
    active = page.locator("#my-loans article", has=page.locator(".badge", has_text="Active"))
    active.locator("h2 a").first.click()

    schedule = page.locator("#schedule")
    expect(schedule.locator("tr[data-state='partly_paid']")).to_have_count(1)
    expect(schedule.locator("tr[data-state='paid']").first).to_be_visible()
    expect(page.locator("#payments tr[data-payment]").first).to_be_visible()
    expect(page.locator("a[href$='/schedule.csv']")).to_be_visible()

    page.click("#main-nav a[href='/account/apply']")
    product = page.locator("select[name=product_id] option", has_text="Готівка").get_attribute(
        "value"
    )
    page.select_option("select[name=product_id]", value=product)
    page.fill("input[name=amount]", "20000")
    page.fill("input[name=term_months]", "12")
    preview = page.locator("#loan-preview")
    expect(preview).to_have_attribute("data-state", "shown")
    expect(preview.locator("#schedule-preview tbody tr")).to_have_count(12)
    expect(preview.locator("#preview-aprc")).to_contain_text("%")

    page.fill("input[name=amount]", "100")
    expect(preview).to_have_attribute("data-state", "refused")
    expect(preview).to_contain_text("lends from")
    page.fill("input[name=amount]", "20000")
    expect(preview).to_have_attribute("data-state", "shown")
    page.click("#apply-form [type=submit]")

    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.locator(".alert-success")).to_contain_text("is sent")
    expect(applications).to_have_count(waiting + 1)
    expect(applications.first).to_contain_text("20,000.00")
    expect(applications.first.locator("button[type=submit]")).to_have_text(
        "Withdraw the application"
    )


def invite_a_customer_with_a_loan(page: Page, live_server: str) -> str:
    """As the manager: find a customer with an active loan, an e-mail and no login, and
    invite them from their card; returns the card's address."""
    page.goto(f"{live_server}/loans/?status=active")
    hrefs = [link.get_attribute("href") for link in page.locator("main table a").all()]
    for loan in [href for href in hrefs if re.fullmatch(r"/loans/\d+", href or "")]:
        page.goto(f"{live_server}{loan}")
        links = [link.get_attribute("href") for link in page.locator("main a").all()]
        page.goto(live_server + next(h for h in links if re.fullmatch(r"/customers/\d+", h or "")))
        invite = page.locator("#personal-account form button[type=submit]")
        if page.locator("#personal-account [data-access=none]").count() and invite.count():
            card = page.url
            invite.click()
            expect(page.locator("#personal-account [data-access=invited]")).to_be_visible()
            return card
    raise AssertionError("no demo customer with an active loan can be invited")


def invitation_link(page: Page, live_server: str) -> str:
    """As the admin: the link in the newest message of the outbox (no mail server here, so
    the message waits there, and in the log)."""
    log_in(page, live_server, ADMIN)
    page.goto(f"{live_server}/admin/outbox/")
    page.locator("a[href*='/admin/outbox/details/']").first.click()
    body = page.locator("body").inner_text()
    return re.search(r"https?://\S+/auth/invite/\S+", body).group(0)


def test_an_invited_customer_sets_a_password_follows_a_loan_and_applies(
    page: Page, new_context, live_server
):
    log_in(page, live_server, MANAGER)
    pending = stat(page, "pending")
    invite_a_customer_with_a_loan(page, live_server)
    admin = new_context().new_page()
    link = invitation_link(admin, live_server)

    customer = new_context().new_page()
    customer.goto(live_server + link[link.index("/auth/invite/") :])
    customer.fill("input[name=password]", "Vyshyvanka-kestrel-4182")
    customer.fill("input[name=confirm]", "Vyshyvanka-kestrel-4182")
    customer.locator("form:has(input[name=confirm]) [type=submit]").click()
    expect(customer.locator("#my-loans")).to_be_visible()
    customer.locator("#my-loans article h2 a").first.click()
    expect(customer.locator("#schedule tbody tr").first).to_be_visible()

    customer.click("#main-nav a[href='/account/apply']")
    cash = customer.locator("select[name=product_id] option", has_text="Готівка")
    customer.select_option("select[name=product_id]", value=cash.get_attribute("value"))
    customer.fill("input[name=term_months]", "12")
    customer.fill("input[name=amount]", "20000")
    preview = customer.locator("#loan-preview")
    expect(preview).to_have_attribute("data-state", "shown")
    customer.click("#apply-form [type=submit]")
    expect(customer.locator(".alert-success")).to_be_visible()

    page.goto(f"{live_server}/")
    expect(page.locator("#stat-pending")).to_have_text(str(pending + 1))


def test_manager_takes_an_application_from_the_customer_card_with_its_preview(
    page: Page, live_server, visit
):
    log_in(page, live_server)
    visit(f"{live_server}/customers/")
    page.locator("#customers tbody a.btn").first.click()
    name = page.locator("h1").inner_text()
    page.click("a:has-text('New application')")

    expect(page.locator("h1")).to_contain_text(name)
    product = page.locator("select[name=product] option", has_text="Готівка").get_attribute("value")
    page.select_option("select[name=product]", value=product)
    page.fill("input[name=amount]", "20000")
    page.fill("input[name=term_months]", "12")
    preview = page.locator("#loan-preview")
    expect(preview).to_have_attribute("data-state", "shown")
    expect(preview.locator("#schedule-preview tbody tr")).to_have_count(12)
    page.fill("input[name=amount]", "100")
    expect(preview).to_have_attribute("data-state", "refused")
    expect(preview).to_contain_text("lends from")
    page.fill("input[name=amount]", "20000")
    expect(preview).to_have_attribute("data-state", "shown")
    page.click("#application-form [type=submit]")

    expect(page).to_have_url(re.compile(r"/loans/\d+$"))
    expect(page.locator(".alert-success")).to_contain_text("is saved")
    expect(page.locator("#start-form")).to_be_visible()
