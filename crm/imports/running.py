"""Running an import, the one place its transactions end: each chunk of rows is committed
with an `import` event of its counts, or, in a dry run, rolled back, so that a dry run
leaves nothing behind (no record, no audit event, no search term, no e-mail)."""

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy.orm import Session

from crm.audit.recorder import add_event
from crm.imports.services.outcomes import RowOutcome, add_counts, count_outcomes
from crm.imports.services.run import NumberedRow, import_chunks
from crm.imports.services.settings import ImportSettings
from crm.models import ImportKind, ImportOutcome


def run_import(
    session: Session,
    kind: ImportKind,
    rows: Iterable[NumberedRow],
    mapping: Sequence[str | None],
    settings: ImportSettings,
    *,
    dry_run: bool,
    file_name: str,
    on_chunk: Callable[[list[RowOutcome]], None],
) -> dict[str, int]:
    """Import `rows`, a transaction per chunk, handing each chunk's outcomes to `on_chunk`
    once its transaction has ended; returns the rows by outcome. A dry run's new customers
    have no number (theirs was rolled back)."""
    counts = count_outcomes([])
    for outcomes in import_chunks(session, kind, rows, mapping, settings):
        chunk_counts = count_outcomes(outcomes)
        if dry_run:
            session.rollback()
            outcomes = [_as_if_not_written(outcome) for outcome in outcomes]
        else:
            facts = {
                "kind": kind.value,
                "file": file_name,
                "rows": len(outcomes),
                "first_row": outcomes[0].row,
                "last_row": outcomes[-1].row,
                **{name: count for name, count in chunk_counts.items() if count},
            }
            add_event(session, action="import", entity="import", facts=facts)
            session.commit()
        counts = add_counts(counts, chunk_counts)
        on_chunk(outcomes)
    return counts


def _as_if_not_written(outcome: RowOutcome) -> RowOutcome:
    return outcome.without_record() if outcome.outcome is ImportOutcome.CREATED else outcome
