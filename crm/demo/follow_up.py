"""The collectors' work on the demo's overdue loans: calls logged in the last weeks, promises
to pay (some kept, some broken, some still open) and tasks for the managers, so that the
queue, the card's timeline and "my tasks" show what a working day looks like."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from crm.demo.tables import SEED
from crm.lending.status import LoanStatus
from crm.models import ContactKind, ContactOutcome

#: Share of overdue loans whose customer was contacted, and of those, promised to pay.
CONTACTED = 0.7
PROMISED = 0.45
#: Share of overdue loans with an open task for their manager.
WITH_TASK = 0.35
#: What the other contacts came to, with weights.
OUTCOMES = (
    (ContactOutcome.NO_ANSWER, 5),
    (ContactOutcome.REACHED, 3),
    (ContactOutcome.CALL_BACK, 2),
    (ContactOutcome.REFUSED_TO_PAY, 1),
    (ContactOutcome.WRONG_NUMBER, 1),
)
NOTES = {
    ContactOutcome.NO_ANSWER: "Не відповідає, спробувати ввечері.",
    ContactOutcome.REACHED: "Знає про прострочення, уточнює суму.",
    ContactOutcome.CALL_BACK: "Просить передзвонити після обіду.",
    ContactOutcome.REFUSED_TO_PAY: "Каже, що зараз не має чим платити.",
    ContactOutcome.WRONG_NUMBER: "Номер належить іншій людині.",
    ContactOutcome.PROMISED_TO_PAY: "Обіцяє сплатити після зарплати.",
}
TASK_TITLES = (
    "Передзвонити щодо прострочення",
    "Нагадати про платіж",
    "Узгодити графік погашення",
    "Перевірити, чи надійшла оплата",
)


class FollowUpDrawer:
    """Draws contacts and tasks for overdue loans, from a generator of its own (so that the
    customers and loans drawn elsewhere never move)."""

    def __init__(self, now: datetime) -> None:
        self.rng = random.Random(SEED + 2)
        self.now = now
        self.today = now.date()
        self.interactions: list[dict] = []
        self.tasks: list[dict] = []

    def take(self) -> tuple[list[dict], list[dict]]:
        """The rows drawn since the last call: interactions, tasks."""
        rows = self.interactions, self.tasks
        self.interactions, self.tasks = [], []
        return rows

    def follow_up(self, loan: dict, manager_id: int | None) -> None:
        """Contacts and a task for `loan` (a loan row) when it is active and overdue."""
        oldest = loan.get("oldest_unpaid_due_on")
        if loan["status"] is not LoanStatus.ACTIVE or oldest is None or oldest >= self.today:
            return
        rng = self.rng
        if rng.random() < CONTACTED:
            self._contacts(loan, manager_id, overdue_days=(self.today - oldest).days)
        if manager_id is not None and rng.random() < WITH_TASK:
            self.tasks.append(self._task(loan, manager_id))

    def _contacts(self, loan: dict, author_id: int | None, overdue_days: int) -> None:
        rng = self.rng
        count = rng.randint(1, 3)
        ago = sorted((rng.randint(0, min(overdue_days, 28)) for _ in range(count)), reverse=True)
        for number, days in enumerate(ago):
            last = number == count - 1
            promised = last and rng.random() < PROMISED
            self.interactions.append(self._contact(loan, author_id, days, promised))

    def _contact(self, loan: dict, author_id: int | None, days_ago: int, promised: bool) -> dict:
        rng = self.rng
        day = self.today - timedelta(days=days_ago)
        outcome = ContactOutcome.PROMISED_TO_PAY if promised else self._outcome()
        row = {
            "customer_id": loan["customer_id"],
            "loan_id": loan["id"] if promised or rng.random() < 0.6 else None,
            "kind": ContactKind.CALL if rng.random() < 0.85 else ContactKind.SMS,
            "outcome": outcome,
            "text": NOTES[outcome],
            "promise_amount": None,
            "promise_made_on": None,
            "promise_due_on": None,
            "author_id": author_id,
            "created_at": _at(day, rng.randint(9 * 60, 18 * 60)),
        }
        if promised:
            row["promise_amount"] = Decimal(rng.choice((500, 1000, 1500, 2000, 3000)))
            row["promise_made_on"] = day
            row["promise_due_on"] = day + timedelta(days=rng.randint(2, 14))
        return row

    def _outcome(self) -> ContactOutcome:
        outcomes, weights = zip(*OUTCOMES, strict=True)
        return self.rng.choices(outcomes, weights)[0]

    def _task(self, loan: dict, manager_id: int) -> dict:
        rng = self.rng
        return {
            "title": rng.choice(TASK_TITLES),
            "due_on": self.today + timedelta(days=rng.randint(-3, 5)),
            "assignee_id": manager_id,
            "customer_id": loan["customer_id"],
            "loan_id": loan["id"],
            "interaction_id": None,
            "created_at": self.now - timedelta(days=rng.randint(1, 10)),
            "created_by_id": manager_id,
            "done_at": None,
            "done_by_id": None,
            "origin": None,
            "version": 1,
        }


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=UTC)
