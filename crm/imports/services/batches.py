"""The admin's uploads, kept between the steps of an import: upload, mapping and dry run,
apply (crm/admin/imports.py)."""

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.imports.services.fields import check_mapping, headers_hash
from crm.imports.services.outcomes import RowOutcome
from crm.models import ImportBatch, ImportKind, ImportMapping, ImportStatus, User
from crm.models.imports import MAX_FILE_NAME
from crm.validation import CONTROL_CHARACTERS, FieldError, check_version

#: What an upload is called when its name has nothing left to keep.
UNNAMED = "upload"


def import_kind(value: object) -> ImportKind:
    """What a form says the file holds; FieldError on "kind" for anything else."""
    try:
        return ImportKind(value)
    except ValueError:
        raise FieldError("kind", _("Choose what the file holds.")) from None


def keep_upload(
    session: Session,
    *,
    kind: ImportKind,
    file_name: str | None,
    content: bytes,
    headers: Sequence[str],
    row_count: int,
    by: User,
) -> ImportBatch:
    """Keep an uploaded file, read (its `headers` and `row_count`) and found to be a table."""
    batch = ImportBatch(
        kind=kind,
        file_name=plain_file_name(file_name),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        headers=list(headers),
        row_count=row_count,
        created_by_id=by.id,
    )
    session.add(batch)
    session.flush()
    return batch


def plain_file_name(name: str | None) -> str:
    """The name of an uploaded file without a folder or control characters, short enough to
    keep: it is only ever shown, never used as a path."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = CONTROL_CHARACTERS.sub("", base).strip()
    return cleaned[:MAX_FILE_NAME] or UNNAMED


def choose_mapping(session: Session, batch: ImportBatch, mapping: Sequence[str | None]) -> None:
    """Map the batch's columns to fields (`mapping`, by position; empty for a column left
    out), and remember it for files with the same header row. Its last dry run no longer
    holds. Raises FieldError on "mapping" (see check_mapping), and on "status" when the
    batch is applied or being applied."""
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        raise FieldError(
            "status", _("This file is applied already; upload it again to import it again.")
        )
    chosen = check_mapping(batch.kind, mapping, len(batch.headers))
    batch.mapping = chosen
    batch.status = ImportStatus.UPLOADED
    batch.counts = batch.report = batch.checked_at = None
    remember_mapping(session, batch.kind, batch.headers, chosen)
    session.flush()


def remember_mapping(
    session: Session, kind: ImportKind, headers: Sequence[str], mapping: Sequence[str | None]
) -> None:
    key = headers_hash(headers)
    statement = select(ImportMapping).where(
        ImportMapping.kind == kind, ImportMapping.header_hash == key
    )
    remembered = session.scalar(statement)
    if remembered is not None:
        remembered.mapping = list(mapping)
        return
    try:
        with session.begin_nested():
            session.add(ImportMapping(kind=kind, header_hash=key, mapping=list(mapping)))
    except IntegrityError:
        pass  # another admin remembered a mapping for these headers at the same moment


def record_dry_run(
    session: Session,
    batch: ImportBatch,
    counts: Mapping[str, int],
    outcomes: Sequence[RowOutcome],
    *,
    at: datetime,
) -> None:
    """Keep what the dry run found, row by row: the batch is ready to apply."""
    batch.checked_at = at
    _record(session, batch, ImportStatus.CHECKED, counts, outcomes)


def start_applying(session: Session, batch: ImportBatch, expected_version: int) -> None:
    """Mark the batch as being applied. Raises StaleDataError when it is no longer at
    `expected_version` (the version of the dry run the admin saw: a mapping chosen since,
    or another apply begun), and FieldError on "status" unless a dry run is its last step."""
    check_version(batch, expected_version)
    if batch.status is not ImportStatus.CHECKED:
        raise FieldError(
            "status", _("This file is applied already; upload it again to import it again.")
        )
    batch.status = ImportStatus.APPLYING
    session.flush()


def record_apply(
    session: Session,
    batch: ImportBatch,
    counts: Mapping[str, int],
    outcomes: Sequence[RowOutcome],
    *,
    at: datetime,
) -> None:
    """Keep what became of each row: the batch is applied."""
    batch.applied_at = at
    _record(session, batch, ImportStatus.APPLIED, counts, outcomes)


def _record(
    session: Session,
    batch: ImportBatch,
    status: ImportStatus,
    counts: Mapping[str, int],
    outcomes: Sequence[RowOutcome],
) -> None:
    batch.status = status
    batch.counts = dict(counts)
    batch.report = [outcome.as_dict() for outcome in outcomes]
    session.flush()
