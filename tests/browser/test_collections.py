"""A loan officer's day (issue 12) in a real browser: a collector logs a call with a promise
to pay from the overdue queue, sees it on the queue and on the customer's timeline; the
promise breaks, and the day's collections run (`flask collections daily`, against the live
server's database) gives the customer's manager a follow-up task under "my tasks".

Then the queue, the card and the tasks, in Ukrainian on a desktop and on a 390 px phone:
each page fits the screen's width, and its screenshot goes into docs/screenshots/
(queue-*.png, card-*.png, tasks-*.png).
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import flask, shot
from tests.browser.pages import MANAGER, log_in

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
NOTE = "Обіцяв сплатити частину боргу в середу"
PROMISED = "150"
#: A queue row's link to the card (the Loan cell's "log a contact" goes under it too).
CUSTOMER_LINK = "a[href^='/customers/']:not(.crm-log-contact)"
#: The task the daily run gives for a broken promise, titled in the lender's first language
#: (crm/collections/services.py, mail_locale): Ukrainian under the live server's config.
BROKEN_TASK = r"(Promise to pay|Обіцянку сплатити).*#{loan}\b.*(is broken|порушено)"
#: What the flow leaves to the screenshots: the card of the customer it worked on.
WORKED_ON: dict[str, str] = {}
#: The outermost elements that stick out of the window (not those inside a box that
#: scrolls or clips them), with their edges: why a page is wider than the screen.
STICKING_OUT = """
() => {
  const width = document.documentElement.clientWidth;
  const clips = (element) => ['auto', 'scroll', 'hidden', 'clip']
    .includes(getComputedStyle(element).overflowX);
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (!element.getClientRects().length) continue;
    const box = element.getBoundingClientRect();
    if (box.right <= width + 0.5) continue;
    let parent = element.parentElement, inside = false, outermost = true;
    for (; parent && parent !== document.body; parent = parent.parentElement) {
      if (parent.getBoundingClientRect().right > width + 0.5) outermost = false;
      if (clips(parent)) inside = true;
    }
    if (inside || !outermost) continue;
    const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
      (element.className && typeof element.className === 'string'
        ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
    found.push(`${name} "${element.textContent.trim().slice(0, 40)}" ` +
      `reaches ${Math.round(box.right)}px (${Math.round(box.width)}px wide)`);
  }
  return found;
}
"""


def test_a_broken_promise_from_the_queue_becomes_a_task(page: Page, live_server, live_env, visit):
    log_in(page, live_server, MANAGER)
    visit(f"{live_server}/loans/overdue")
    page.click("#queue-mine")
    expect(page).to_have_url(re.compile(r"/loans/overdue\?manager=\d+$"))
    queue_url = page.url
    # A row of mine without an open promise, so that the one logged here is the one shown.
    free = page.locator("#overdue-loans tbody tr[data-loan]:not(:has(td[data-promise=open]))")
    loan_id = free.first.get_attribute("data-loan")
    row = page.locator(f"#overdue-loans tbody tr[data-loan='{loan_id}']")
    card = row.locator(CUSTOMER_LINK).get_attribute("href")

    row.locator("a.crm-log-contact").click()
    expect(page).to_have_url(re.compile(rf"{card}/contacts/new\?.*\bloan_id={loan_id}\b"))
    due_on = log_a_promise(page)

    expect(page).to_have_url(queue_url)
    expect(page.locator(".alert-success")).to_be_visible()
    promise = row.locator("td[data-promise]")
    expect(promise).to_have_attribute("data-promise", "open")
    expect(promise).to_contain_text(f"{PROMISED}.00")

    visit(live_server + card)
    WORKED_ON["card"] = live_server + card
    contact = page.locator("#timeline #timeline-entries li", has_text=NOTE)
    expect(contact).to_have_attribute("data-loan", loan_id)
    expect(contact).to_contain_text(f"{PROMISED}.00")
    expect(contact.locator("[data-promise-state]")).to_have_attribute("data-promise-state", "open")
    expect(page.locator("#summary-promise")).to_contain_text(f"#{loan_id}")

    flask(live_env, "collections", "daily", "--as-of", (due_on + timedelta(days=1)).isoformat())

    visit(f"{live_server}/tasks/")
    loan_link = page.locator(f"a[href='/loans/{loan_id}']")
    task = page.locator("#tasks tbody tr[data-task]", has=loan_link)
    expect(task.filter(has_text=re.compile(BROKEN_TASK.format(loan=loan_id)))).to_have_count(1)


def log_a_promise(page: Page) -> date:
    """Fill the contact form as a user would: a call, the outcome "promised to pay" (whose
    fields the form's script shows only then), an amount and a day; returns the day."""
    expect(page.locator("#contact-form")).to_be_visible()
    fields = page.locator("#promise-fields")
    expect(fields).to_be_hidden()
    page.select_option("#kind", "call")
    page.select_option("#outcome", "promised_to_pay")
    expect(fields).to_be_visible()
    page.fill("#text", NOTE)
    page.fill("#promise_amount", PROMISED)
    # Two days after the lender's today (the field's minimum), wherever the tests run.
    due_on = date.fromisoformat(page.locator("#promise_due_on").get_attribute("min"))
    due_on += timedelta(days=2)
    page.fill("#promise_due_on", due_on.isoformat())
    page.click("#contact-form [type=submit]")
    return due_on


def a_card_with_a_promise(page: Page, live_server: str) -> str:
    """The card of a customer with an overdue loan and a promise on it, when the flow above
    did not run: the first such row of the queue."""
    page.goto(f"{live_server}/loans/overdue")
    row = page.locator("#overdue-loans tbody tr:has(td[data-promise]:not([data-promise='']))")
    return live_server + row.first.locator(CUSTOMER_LINK).get_attribute("href")


def screens():
    for screen, viewport in sorted(SCREENS.items()):
        browser = pytest.mark.browser_context_args(locale="uk-UA", viewport=viewport)
        yield pytest.param(screen, marks=browser, id=f"{screen}-uk")


@pytest.mark.parametrize("screen", list(screens()))
def test_the_collections_pages_fit_the_screen(page: Page, live_server, visit, screen):
    log_in(page, live_server, MANAGER)
    card = WORKED_ON.get("card") or a_card_with_a_promise(page, live_server)
    too_wide = {}
    for name, url, ready in (
        ("queue", f"{live_server}/loans/overdue", "#overdue-loans tbody tr[data-loan]"),
        ("card", card, "#timeline-entries li[data-group=contacts]"),
        ("tasks", f"{live_server}/tasks/", "#tasks tbody tr[data-task]"),
    ):
        visit(url)
        expect(page.locator(ready).first).to_be_visible()
        shot(page, f"{name}-{screen}-uk")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > SCREENS[screen]["width"]:
            too_wide[name] = [f"{width} px wide", *page.evaluate(STICKING_OUT)]
    assert too_wide == {}, f"wider than a {screen}: {too_wide}"
