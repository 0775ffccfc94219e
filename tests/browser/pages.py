"""Steps the browser tests share: logging in, reading the dashboard, filling admin forms.

Each step ends by waiting for the state the next one needs (a page shown, a drop-down
closed, a value chosen), never for a length of time.
"""

import re

from playwright.sync_api import Page, expect

from crm.demo.load import DEMO_PASSWORD

MANAGER = "manager@demo.crm"
#: The demo's other managers: tests that need any manager, but none of the figures and tasks
#: that the tests logged in as MANAGER change, log in as one of these.
OTHER_MANAGERS = ("manager2@demo.crm", "manager3@demo.crm")
ADMIN = "admin@demo.crm"
CUSTOMER = "customer@demo.crm"


def log_in(page: Page, base_url: str, email: str = MANAGER) -> None:
    """Log in through the form; done when the start page (dashboard or account) is shown."""
    page.goto(f"{base_url}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    landing = "#my-loans" if email == CUSTOMER else "#stat-total"
    expect(page.locator(landing)).to_be_visible()


def stat(page: Page, key: str) -> int:
    return int(re.sub(r"\D", "", page.locator(f"#stat-{key}").inner_text()))


def pick(page: Page, field: str, query: str, choice: str) -> None:
    """Choose the record shown as `choice` in one of the admin's AJAX pickers (select2 3.x),
    found by typing `query`.

    Done when the choice is shown and the drop-down is closed: while it is open, select2's
    mask covers the page and takes the next click (the next picker's, say).
    """
    container = page.locator(f"#s2id_{field}")
    container.locator("a.select2-choice").click()
    drop = page.locator("#select2-drop")
    expect(drop).to_be_visible()
    page.keyboard.type(query)
    # Results of a shorter query may still be on show: wait for the one wanted.
    expect(drop.locator(".select2-highlighted")).to_contain_text(choice)
    page.keyboard.press("Enter")
    expect(drop).to_be_hidden()
    expect(page.locator("#select2-drop-mask")).to_be_hidden()
    expect(container.locator(".select2-chosen")).to_contain_text(choice)
    expect(page.locator(f"input#{field}")).not_to_have_value("")


#: Where Save on an admin form lands, by view: its list, but a loan's staff page, where the
#: loan is started.
SAVED_LANDING = {"loan": r"/loans/\d+$"}


def save_admin_form(page: Page, view: str) -> None:
    """Press Save on an admin form; done when the page it goes on to says it is saved."""
    page.click("form.admin-form input[type=submit]:not([name])")
    expect(page).to_have_url(re.compile(SAVED_LANDING.get(view, rf"/admin/{view}/(\?.*)?$")))
    expect(page.locator(".alert-success")).to_be_visible()


def fill_customer_form(page_or_frame, last_name: str, phone: str, email: str) -> None:
    """The admin's customer form, with a name, a phone and an e-mail of the test's own."""
    page_or_frame.locator("input[name=last_name]").fill(last_name)
    page_or_frame.locator("input[name=first_name]").fill("Мар'яна")
    page_or_frame.locator("input[name=patronymic]").fill("Євгенівна")
    page_or_frame.locator("input[name=phone]").fill(phone)
    page_or_frame.locator("input[name=email]").fill(email)
    page_or_frame.locator("input[name=birth_date]").fill("1990-04-17")
