"""The personal account as a customer sees it, on a desktop and on a 390 px phone, in
English and Ukrainian: every page fits the screen's width, and its screenshot goes into
docs/screenshots/ (account-*.png). Named so that it runs before the flows that add
records: the pictures show the demo data as loaded."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.pages import CUSTOMER, log_in

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = {"en": "en-GB", "uk": "uk-UA"}


def screens():
    for screen, viewport in sorted(SCREENS.items()):
        for language, locale in sorted(LOCALES.items()):
            browser = pytest.mark.browser_context_args(locale=locale, viewport=viewport)
            yield pytest.param(screen, language, marks=browser, id=f"{screen}-{language}")


@pytest.mark.parametrize(("screen", "language"), list(screens()))
def test_the_account_pages_fit_the_screen(page, live_server, screen, language):
    log_in(page, live_server, CUSTOMER)
    suffix = "" if (screen, language) == ("desktop", "en") else f"-{screen}-{language}"
    active = page.locator("#my-loans article").first.locator("h2 a")
    loan_url = f"{live_server}{active.get_attribute('href')}"

    for name, url, ready in (
        ("account", f"{live_server}/account/", "#my-loans"),
        ("account-loan", loan_url, "#schedule"),
        ("account-apply", f"{live_server}/account/apply", "select[name=product_id]"),
        ("account-profile", f"{live_server}/account/profile", "input[name=phone]"),
    ):
        page.goto(url)
        expect(page.locator(ready)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SCREENS[screen]["width"], f"{name} is {width} px wide on a {screen}"
        shot(page, f"{name}{suffix}")
