"""Reading the admin's uploads and the mappings remembered for header rows."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.imports.services.fields import headers_hash
from crm.models import ImportBatch, ImportKind, ImportMapping

#: Uploads the admin's import page lists, newest first.
RECENT_BATCHES = 20


def remembered_mapping(
    session: Session, kind: ImportKind, headers: Sequence[str]
) -> list[str | None] | None:
    """The mapping last chosen for a file of `kind` with these headers, if any."""
    mapping = session.scalar(
        select(ImportMapping.mapping).where(
            ImportMapping.kind == kind, ImportMapping.header_hash == headers_hash(headers)
        )
    )
    return mapping if mapping is not None and len(mapping) == len(headers) else None


def recent_batches(session: Session, limit: int = RECENT_BATCHES) -> Sequence[ImportBatch]:
    """The latest uploads, newest first (their files and reports are not loaded)."""
    statement = (
        select(ImportBatch)
        .options(selectinload(ImportBatch.created_by))
        .order_by(ImportBatch.id.desc())
        .limit(limit)
    )
    return session.scalars(statement).all()
