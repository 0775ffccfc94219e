"""Reading the history of a customer or a loan back from their pages
(templates/_macros/audit.html)."""

import re
from dataclasses import dataclass
from html import unescape

HISTORY = re.compile(r'<div class="card[^"]*" id="history">(.*?)\n</div>', re.S)
ROW = re.compile(r'<tr data-event="(\d+)" data-action="(\w+)">(.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
CHANGE = re.compile(r'<li data-field="(\w+)">(.*?)</li>', re.S)
PAGE_LINK = re.compile(r'<a class="page-link" href="([^"]+)">([^<]+)</a>')


def text(html: str) -> str:
    """What a reader sees of `html`: no tags, one space between words."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@dataclass(frozen=True)
class HistoryRow:
    event_id: int
    action: str
    when: str
    who: str
    what: str
    record: str
    #: field name → "Label: before → after" as shown.
    changes: dict[str, str]


def history(html: str) -> str:
    """The history card of a page."""
    found = HISTORY.search(html)
    assert found, "the page has no history"
    return found.group(1)


def history_rows(html: str) -> list[HistoryRow]:
    rows = []
    for event_id, action, cells in ROW.findall(history(html)):
        when, who, what, record, changes = CELL.findall(cells)
        shown = {name: text(line) for name, line in CHANGE.findall(changes)}
        rows.append(
            HistoryRow(int(event_id), action, text(when), text(who), text(what), record, shown)
        )
    return rows


def history_pages(html: str) -> dict[str, str]:
    """The history's page links: {text: address}."""
    return {text(label): unescape(href) for href, label in PAGE_LINK.findall(history(html))}
