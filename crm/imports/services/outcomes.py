"""What became of each row of an import, or would in a dry run."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from flask_babel import gettext as _

from crm.models import ImportKind, ImportOutcome
from crm.validation import FieldError, TakenError

#: The outcomes a row of each kind of file can have, in the order reports list them.
KIND_OUTCOMES = {
    ImportKind.CUSTOMERS: (
        ImportOutcome.CREATED,
        ImportOutcome.UPDATED,
        ImportOutcome.UNCHANGED,
        ImportOutcome.REFUSED,
    ),
    ImportKind.PAYMENTS: (
        ImportOutcome.POSTED,
        ImportOutcome.ALREADY_POSTED,
        ImportOutcome.REFUSED,
    ),
}


@dataclass(frozen=True)
class RowOutcome:
    """One row's outcome. `row` is its number in the file, the header row being row 1, as a
    spreadsheet numbers it."""

    row: int
    outcome: ImportOutcome
    #: The customer (customers) or the loan (payments) the row is about, when there is one.
    record_id: int | None = None
    #: The customer's name or the loan's number, as the report shows it.
    name: str = ""
    #: The field a refusal is about (None when it is about the row as a whole).
    field: str | None = None
    reason: str = ""
    #: The other customer that a refused duplicate has the tax id, e-mail or phone of.
    other_id: int | None = None
    other_name: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The outcome as JSON keeps it (ImportBatch.report)."""
        return {key: value for key, value in asdict(self).items() if value not in (None, "")}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RowOutcome":
        return cls(**{**data, "outcome": ImportOutcome(data["outcome"])})

    def without_record(self) -> "RowOutcome":
        """The outcome with no record: a dry run's new customer was rolled back."""
        return replace(self, record_id=None)


def refusal(
    row: int,
    error: FieldError,
    labels: Mapping[str, object],
    name: str = "",
    other_name: str = "",
) -> RowOutcome:
    """A refused row, the reason naming the field (by `labels`, field → label) when the
    error is about one of the file's fields; a TakenError's other record is kept, with
    `other_name`."""
    label = labels.get(error.field)
    reason = (
        error.message
        if label is None
        else _("%(field)s: %(message)s", field=label, message=error.message)
    )
    return RowOutcome(
        row,
        ImportOutcome.REFUSED,
        name=name,
        field=error.field,
        reason=reason,
        other_id=error.record_id if isinstance(error, TakenError) else None,
        other_name=other_name if isinstance(error, TakenError) else "",
    )


def count_outcomes(outcomes: Iterable[RowOutcome]) -> dict[str, int]:
    """Rows by outcome, every outcome named (with 0 when no row had it)."""
    counted = Counter(outcome.outcome for outcome in outcomes)
    return {outcome.value: counted.get(outcome, 0) for outcome in ImportOutcome}


def add_counts(total: Mapping[str, int], more: Mapping[str, int]) -> dict[str, int]:
    return {key: total.get(key, 0) + more.get(key, 0) for key in total.keys() | more.keys()}
