"""The reports in a real browser: a manager opens the portfolio from the navbar, follows the
PAR30 figure to the loans behind it (as many as the figure's note says), and downloads the
list as a spreadsheet. Screenshots of the portfolio report in Ukrainian and English:
docs/screenshots/reports-uk.png and reports-en.png."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.pages import OTHER_MANAGERS, log_in

pytestmark = pytest.mark.browser

LANGUAGES = {"uk": ("uk-UA", "Звіти"), "en": ("en-GB", "Reports")}


def languages():
    for language, (locale, _link) in LANGUAGES.items():
        marks = pytest.mark.browser_context_args(locale=locale)
        yield pytest.param(language, marks=marks, id=language)


def count_in(text: str) -> int:
    """The number in "21 loans" or "1 234 кредити", whatever the language puts between digits."""
    return int(re.sub(r"\D", "", text))


@pytest.mark.parametrize("language", list(languages()))
def test_from_the_portfolio_to_the_loans_at_risk_and_a_spreadsheet(
    page: Page, live_server, visit, screenshot, language
):
    log_in(page, live_server, OTHER_MANAGERS[1])
    page.get_by_role("link", name=LANGUAGES[language][1], exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/reports/$"))
    expect(page.locator("#portfolio-by-product tbody tr").first).to_be_visible()
    screenshot(f"reports-{language}")

    note = page.locator("#figure-par30").locator("xpath=..").locator(".small").last
    at_risk = count_in(note.inner_text())
    assert at_risk > 0, "the demo data has loans more than 30 days past due"
    page.locator("#figure-par30 a").click()
    expect(page).to_have_url(re.compile(r"/reports/loans\?.*measure=par30"))
    assert count_in(page.locator("#loans-total").inner_text()) == at_risk

    with page.expect_download() as download:
        page.locator("#downloads-loans a[href*='export.xlsx']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    _header, *rows = book.active.iter_rows(values_only=True)
    assert len(rows) == at_risk
