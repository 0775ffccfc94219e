"""Reading exported files and their audit events back in tests."""

import csv
import io
import json
import re

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from crm.extensions import db
from crm.models import AuditEvent

UKRAINIAN = {"Accept-Language": "uk"}
ENGLISH = {"Accept-Language": "en"}
BOM = "\ufeff".encode()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download, the header first; checks it is one Excel opens as is."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = response.get_data()
    assert body.startswith(BOM)
    assert body.count(b"\n") == body.count(b"\r\n"), "every line ends with CRLF"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_sheet(response) -> Worksheet:
    """The one worksheet of an XLSX download."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert len(workbook.worksheets) == 1
    return workbook.active


def sheet_rows(sheet: Worksheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def page_ids(response, table: str, row_id: str) -> list[int]:
    """The ids a list page shows, in its order: what the regular expression `row_id` (one
    group) finds in the body of the table `table`."""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    body = re.search(rf'<table[^>]*id="{table}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [int(number) for number in re.findall(row_id, body)]


def export_events() -> list[AuditEvent]:
    """The export events stored so far, oldest first; reading after a rollback shows that
    they were committed."""
    db.session.rollback()
    statement = select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
    return list(db.session.scalars(statement))


def facts(event: AuditEvent) -> dict:
    """An event's facts by name, with the filters read back from their JSON."""
    found = {name: after for name, (_before, after) in event.changes.items()}
    found["filters"] = json.loads(found["filters"])
    return found
