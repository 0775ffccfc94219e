"""Imports of customers and bank payments (crm/imports/): the file an admin uploaded, kept
between the steps of the admin's import, and the column mapping remembered for a header row.

The file is kept in the database, not on a disk: the steps (upload, mapping, dry run,
apply) are separate requests, which any worker on any host may serve.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.models.base import Base
from crm.models.types import foreign_id, utcnow

if TYPE_CHECKING:
    from crm.models.user import User

#: The longest file name kept (most file systems' own limit).
MAX_FILE_NAME = 255
#: A SHA-256 in hexadecimal.
SHA256_LENGTH = 64


class ImportKind(enum.StrEnum):
    """What the rows of a file are."""

    CUSTOMERS = "customers"
    #: A bank statement: each row a payment for a loan.
    PAYMENTS = "payments"


class ImportStatus(enum.StrEnum):
    #: Read and kept; its columns are not mapped to fields yet.
    UPLOADED = "uploaded"
    #: Mapped and tried in a dry run, whose outcome is in `report`.
    CHECKED = "checked"
    #: Being written, a chunk of rows per transaction.
    APPLYING = "applying"
    #: Written; `report` holds what became of each row.
    APPLIED = "applied"


class ImportOutcome(enum.StrEnum):
    """What became of a row (or would, in a dry run)."""

    #: A customer added.
    CREATED = "created"
    #: A customer found by the row's key, whose details the row changes.
    UPDATED = "updated"
    #: A customer found by the row's key, whose details are those of the row already.
    UNCHANGED = "unchanged"
    #: A payment recorded.
    POSTED = "posted"
    #: A payment whose reference the loan has already: not recorded twice.
    ALREADY_POSTED = "already_posted"
    #: Nothing written, for the reason given.
    REFUSED = "refused"


class ImportBatch(Base):
    """One uploaded file and what the import made of it."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind]
    file_name: Mapped[str] = mapped_column(String(MAX_FILE_NAME))
    #: The file's bytes as uploaded (CSV or XLSX; the admin takes a few MB at most). It and
    #: the report are loaded only by the pages that show them, not by the list of uploads.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(SHA256_LENGTH))
    #: The header row as read, one text per column.
    headers: Mapped[list[str]] = mapped_column(JSON)
    #: The field each column goes to, by position; null for a column left out.
    mapping: Mapped[list[str | None] | None] = mapped_column(JSON(none_as_null=True))
    #: Rows below the header row (blank rows not counted).
    row_count: Mapped[int]
    status: Mapped[ImportStatus] = mapped_column(default=ImportStatus.UPLOADED)
    #: Rows by ImportOutcome value: of the dry run, then of the apply.
    counts: Mapped[dict[str, int] | None] = mapped_column(JSON(none_as_null=True))
    #: Each row's outcome, as crm.imports.services.outcomes.RowOutcome.as_dict() gives it.
    report: Mapped[list[dict[str, Any]] | None] = mapped_column(
        JSON(none_as_null=True), deferred=True
    )
    created_by_id: Mapped[int] = foreign_id("users")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    checked_at: Mapped[datetime | None]
    applied_at: Mapped[datetime | None]
    #: Bumped on every change: the apply button applies the dry run the admin saw, or nothing.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    created_by: Mapped[User] = relationship()


class ImportMapping(Base):
    """The mapping last chosen for a header row, offered when a file with the same headers
    comes again (a bank's statements, a spreadsheet exported every month)."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("kind", "header_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind]
    #: SHA-256 of the header row, each header normalised (crm.imports.services.fields.header_key).
    header_hash: Mapped[str] = mapped_column(String(SHA256_LENGTH))
    #: As ImportBatch.mapping.
    mapping: Mapped[list[str | None]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
