"""The download of an exported list: the file streamed to the client as it is written, named
after the list and the day (customers-2026-12-01.csv), and one audit event for it.

The rows are read while the response streams (crm.exports.columns.streamed), so the view
returns at once and neither the list nor the file sits in memory. The audit event ("export":
the rows, the format, the filters, whether the whole file went out) is written when the
stream ends, in its own transaction after the read's, also when the client goes away
part-way; then `rows` counts what was written to the connection. An XLSX file is a zip archive,
useless until complete, so it is written whole to a temporary file first (openpyxl's
write-only mode keeps memory flat while it grows), then streamed, then deleted.
"""

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response, request, stream_with_context
from flask_babel import LazyString

from crm.audit.recorder import add_event
from crm.clock import lender_today
from crm.exports.columns import Column
from crm.exports.writers import CHUNK_SIZE, FileFormat, csv_chunks
from crm.extensions import db

#: The audit trail's action for a download of a list.
EXPORT = "export"
#: Longer filter values are cut in the audit event: a search box holds no more.
MAX_FILTER_LENGTH = 100


@dataclass(frozen=True)
class Export:
    """What is exported: `name` names the file, `title` the worksheet, `entity` the audit
    event, `filters` the request's arguments the list was filtered and sorted by."""

    name: str
    title: LazyString | str
    entity: str
    columns: Sequence[Column]
    filters: Sequence[str] = ()


@dataclass
class _Sent:
    """What the download has sent so far, and the facts its audit event will hold."""

    rows: int = 0
    complete: bool = False
    facts: dict[str, Any] = field(default_factory=dict)


def download(export: Export, file_format: FileFormat, rows: Callable[[], Iterable[Any]]):
    """The response that streams `rows()` (called once the response starts) as `file_format`
    and audits the download when it ends."""
    sent = _Sent(facts={"format": str(file_format), "filters": used_filters(export.filters)})
    if file_format is FileFormat.CSV:
        chunks = _csv(export, rows, sent)
    else:
        chunks = _xlsx(export, rows, sent)
    filename = f"{export.name}-{lender_today().isoformat()}.{file_format}"
    return Response(
        stream_with_context(_audited(export, chunks, sent)),
        content_type=file_format.content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def used_filters(names: Sequence[str]) -> str:
    """The filters given in the request among `names`, as JSON: {"q": "…", "mine": "1"}."""
    given = {
        name: request.args[name][:MAX_FILTER_LENGTH] for name in names if request.args.get(name)
    }
    return json.dumps(given, ensure_ascii=False)


def _audited(export: Export, chunks: Iterator[bytes], sent: _Sent) -> Iterator[bytes]:
    try:
        yield from chunks
        sent.complete = True
    finally:
        # The read's transaction ends first: SQLite cannot turn a read that began before
        # another connection's write into a write of its own.
        db.session.rollback()
        add_event(
            db.session,
            action=EXPORT,
            entity=export.entity,
            facts={"rows": sent.rows, **sent.facts, "complete": sent.complete},
        )
        db.session.commit()


def _csv(export: Export, rows: Callable[[], Iterable[Any]], sent: _Sent) -> Iterator[bytes]:
    records = rows()
    try:
        for chunk, count in csv_chunks(export.columns, records):
            yield chunk
            # Counted once the client has taken the chunk and asks for the next.
            sent.rows += count
    finally:
        _close(records)


def _xlsx(export: Export, rows: Callable[[], Iterable[Any]], sent: _Sent) -> Iterator[bytes]:
    from crm.exports.xlsx import write_xlsx  # openpyxl only in a worker that writes a workbook

    handle, path = tempfile.mkstemp(prefix="crm-export-", suffix=".xlsx")
    os.close(handle)
    try:
        records = rows()
        try:
            sent.rows = write_xlsx(export.columns, records, path, title=str(export.title))
        finally:
            _close(records)
        db.session.rollback()  # the rows are read: no need to hold the read open
        with open(path, "rb") as file:
            while chunk := file.read(CHUNK_SIZE):
                yield chunk
    finally:
        os.unlink(path)


def _close(records: Iterable[Any]) -> None:
    """Close the rows' cursor now, not when the garbage collector gets to it."""
    close = getattr(records, "close", None)
    if close is not None:
        close()
