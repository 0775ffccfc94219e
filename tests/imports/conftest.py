"""Fixtures for the imports: running one from bytes, and the rows of every table."""

import io
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from crm.clock import lender_today
from crm.extensions import db
from crm.imports.reading import open_table
from crm.imports.running import run_import
from crm.imports.services.fields import suggest_mapping
from crm.imports.services.outcomes import RowOutcome
from crm.imports.services.settings import ImportSettings
from crm.models import ImportKind, User


@pytest.fixture
def run_file(app) -> Callable[..., tuple[dict[str, int], list[RowOutcome]]]:
    """`run_file(kind, content, dry_run=False, by=None)`: the counts and the outcomes of
    importing `content` as the command and the admin do, with the suggested mapping."""

    def _run(
        kind: ImportKind, content: bytes, *, dry_run: bool = False, by: User | None = None
    ) -> tuple[dict[str, int], list[RowOutcome]]:
        outcomes: list[RowOutcome] = []
        settings = ImportSettings(region="UA", today=lender_today(), by=by)
        with open_table(io.BytesIO(content)) as table:
            counts = run_import(
                db.session,
                kind,
                table.rows,
                suggest_mapping(kind, table.headers),
                settings,
                dry_run=dry_run,
                file_name="file.csv",
                on_chunk=outcomes.extend,
            )
        return counts, outcomes

    return _run


def table_rows() -> dict[str, int]:
    """How many rows every table holds."""
    db.session.rollback()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
