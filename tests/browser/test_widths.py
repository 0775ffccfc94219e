"""The pages fit the screens they are used on: the admin's lists at 1366 px (an office
laptop), the dashboard at 390 px (a phone), in Ukrainian, whose words are the longer ones.
Nothing is wider than the window or cut inside its box: no table column, no search box's
placeholder, no tile's label or sum."""

import pytest
from playwright.sync_api import Page

from tests.browser.pages import ADMIN, log_in

pytestmark = [pytest.mark.browser, pytest.mark.browser_context_args(locale="uk-UA")]

#: Elements whose text is cut, or that stick out of the window: [description, …].
CUT_OR_OUTSIDE = """
(selectors) => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  // One report per kind of element (a column's cells are one): the first one found.
  const reported = new Set();
  const report = (key, text) => {
    if (!reported.has(key)) {
      reported.add(key);
      problems.push(text);
    }
  };
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > width) problems.push(`the page is ${pageWidth}px wide in ${width}px`);
  for (const element of document.querySelectorAll(selectors.boxes)) {
    if (!element.getClientRects().length) continue;
    const box = element.getBoundingClientRect();
    const kind = element.tagName + '.' + element.className;
    const name = kind + ' "' + element.textContent.trim().slice(0, 30) + '"';
    if (box.right > width + 0.5 || box.left < -0.5) {
      report('outside ' + kind, `${name} reaches ${box.left}..${box.right}`);
    }
    const scrolls = getComputedStyle(element).overflowX === 'auto';
    if (element.scrollWidth > element.clientWidth + 1 && !scrolls) {
      report('cut ' + kind, `${name} is cut: ${element.scrollWidth}px in ${element.clientWidth}px`);
    }
  }
  const context = document.createElement('canvas').getContext('2d');
  for (const input of document.querySelectorAll('input[placeholder]')) {
    if (!input.getClientRects().length || !input.placeholder) continue;
    const style = getComputedStyle(input);
    context.font = style.font;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const room = input.clientWidth - padding;
    const needed = context.measureText(input.placeholder).width;
    if (needed > room + 1) problems.push(`"${input.placeholder}" needs ${needed}px, has ${room}px`);
  }
  return problems;
}
"""
LIST_BOXES = "table.model-list th, table.model-list td, .table-responsive, .navbar, .nav-tabs"
TILE_BOXES = ".card-stat, .card-stat *"


def problems(page: Page, boxes: str) -> list[str]:
    return page.evaluate(CUT_OR_OUTSIDE, {"boxes": boxes})


@pytest.mark.parametrize("view", ["customer", "product", "loan", "user"])
def test_admin_lists_fit_a_laptop_screen(page: Page, live_server, visit, view):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, ADMIN)

    visit(f"{live_server}/admin/{view}/")

    assert problems(page, LIST_BOXES) == []


def test_the_dashboard_tiles_fit_a_phone(page: Page, live_server, visit):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, ADMIN)

    visit(f"{live_server}/")

    assert problems(page, TILE_BOXES) == []
