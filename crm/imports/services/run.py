"""The rows of a file through their importer, a chunk at a time."""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from sqlalchemy.orm import Session

from crm.imports.services.customers import CustomerImporter
from crm.imports.services.fields import mapped_row
from crm.imports.services.outcomes import RowOutcome
from crm.imports.services.payments import PaymentImporter
from crm.imports.services.settings import ImportSettings
from crm.models import ImportKind

#: Rows written per transaction: big enough that a commit costs little per row, small
#: enough that a transaction holds its locks (SQLite's one write lock) for a moment only.
CHUNK_SIZE = 500
IMPORTERS = {ImportKind.CUSTOMERS: CustomerImporter, ImportKind.PAYMENTS: PaymentImporter}

#: A row as read from a file: its number (the header row is 1) and its cells as text.
NumberedRow = tuple[int, Sequence[str]]


def chunks(rows: Iterable[NumberedRow], size: int) -> Iterator[list[NumberedRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def import_chunks(
    session: Session,
    kind: ImportKind,
    rows: Iterable[NumberedRow],
    mapping: Sequence[str | None],
    settings: ImportSettings,
    *,
    chunk_size: int | None = None,
) -> Iterator[list[RowOutcome]]:
    """Import `rows` (their cells going to fields by `mapping`, a checked one), yielding the
    outcomes of each chunk of `chunk_size` (CHUNK_SIZE) rows once its writes are flushed.

    Each row is written in a savepoint of its own, so that a refused row leaves nothing
    behind and never stops the others. Nothing is committed here: before asking for the
    next chunk, the caller ends the chunk's transaction, committing it to apply the rows or
    rolling it back for a dry run (crm/imports/running.py). What the importers remember
    between chunks (the keys and references taken by earlier rows) holds either way, so
    that a dry run refuses the same repeats the apply would.
    """
    importer = IMPORTERS[kind](session, settings)
    for chunk in chunks(rows, chunk_size or CHUNK_SIZE):
        yield importer.import_chunk(
            [(number, mapped_row(cells, mapping)) for number, cells in chunk]
        )
