"""The dashboard's charts in a real browser, in Ukrainian and in English: each canvas gets a
Chart.js chart drawn from the table behind it (the same labels and numbers), with pixels on
it; no script error, console error or Content-Security-Policy violation on the way (the
conftest's init script reports each `securitypolicyviolation`); each table opens with a
click. Screenshots: docs/screenshots/dashboard-charts-uk.png and -en.png."""

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import OTHER_MANAGERS, log_in

pytestmark = pytest.mark.browser

#: What the chart on a canvas holds, and how many of its pixels are not blank.
CHART_ON = """
(canvas) => {
  const chart = Chart.getChart(canvas);
  if (!chart) return null;
  const { width, height } = canvas;
  const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  let painted = 0;
  for (let alpha = 3; alpha < pixels.length; alpha += 4) if (pixels[alpha]) painted++;
  return {
    labels: chart.data.labels,
    datasets: chart.data.datasets.map((set) => ({ label: set.label, data: set.data })),
    painted,
  };
}
"""
#: What the table behind a chart says: its rows' axis labels and each drawn column.
TABLE_OF = """
(table) => {
  const rows = [...table.tBodies[0].rows];
  const drawn = [...table.tHead.rows[0].cells].filter((cell) => cell.dataset.colour);
  return {
    labels: rows.map((row) => row.cells[0].dataset.label || row.cells[0].textContent.trim()),
    datasets: drawn.map((header) => ({
      label: header.textContent.trim(),
      data: rows.map((row) => {
        const value = row.cells[header.cellIndex].dataset.value;
        return value === '' ? null : Number(value);
      }),
    })),
  };
}
"""
LANGUAGES = {"uk": ("uk-UA", "Графіки"), "en": ("en-GB", "Charts")}


def languages():
    for language, (locale, _heading) in LANGUAGES.items():
        marks = pytest.mark.browser_context_args(locale=locale)
        yield pytest.param(language, marks=marks, id=language)


@pytest.mark.parametrize("language", list(languages()))
def test_the_dashboard_charts_draw_from_their_tables(page: Page, live_server, visit, language):
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, OTHER_MANAGERS[0])
    visit(f"{live_server}/")

    expect(page.locator("#charts")).to_have_text(LANGUAGES[language][1])
    figures = page.locator("figure.crm-chart")
    count = figures.count()
    assert count >= 3
    expect(page.locator("figure.crm-chart[data-state=drawn]")).to_have_count(count)
    for index in range(count):
        figure = figures.nth(index)
        chart = figure.locator("canvas").evaluate(CHART_ON)
        table = figure.locator("table[data-chart]")
        assert chart is not None, f"no chart on {figure.get_attribute('id')}"
        assert chart["painted"] > 0
        assert {key: chart[key] for key in ("labels", "datasets")} == table.evaluate(TABLE_OF)
        assert all(
            len(dataset["data"]) == len(chart["labels"]) > 0 for dataset in chart["datasets"]
        )
    page.locator("#dashboard-charts").screenshot(
        path=str(SCREENSHOTS / f"dashboard-charts-{language}.png")
    )

    for index in range(count):
        figure = figures.nth(index)
        table = figure.locator("table[data-chart]")
        expect(table).to_be_hidden()
        figure.locator("summary").click()
        expect(table).to_be_visible()
        expect(table.locator("caption")).to_have_text(figure.locator("figcaption").inner_text())
    assert errors == []
