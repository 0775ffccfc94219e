"""Servicing the demo's started loans: their schedules, and what the borrowers paid by the
day of loading, allocated through the lending engine as a payment at the counter would be.

Running loans are paid on time, late, or not at all for a while; finished ones are paid off;
written-off ones stopped paying long enough ago to be written off.
"""

from __future__ import annotations

import enum
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from crm.demo.drawing import Picker
from crm.demo.tables import SEED
from crm.lending.allocation import Allocation, allocate_payment, apply_allocations
from crm.lending.installments import InstallmentState, amount_due, position
from crm.lending.money import ZERO
from crm.lending.schedule import RepaymentMethod, build_schedule, due_date
from crm.lending.status import LoanStatus


class _Payer(enum.Enum):
    """How the borrower of a running loan has paid so far."""

    ON_TIME = "on time"
    #: Pays, but one payment in three comes up to three weeks late.
    LATE = "late"
    #: Paid for a while, then stopped, perhaps with a part payment since.
    DEFAULTER = "defaulter"


#: (payer, weight) of the running loans.
PAYERS = ((_Payer.ON_TIME, 60), (_Payer.LATE, 20), (_Payer.DEFAULTER, 20))
#: How many days before the day of loading a defaulter stopped paying: ((low, high), weight).
#: The loan's DPD comes out up to a month lower, at its first installment due after the stop.
ARREARS = (((1, 30), 30), ((31, 60), 25), ((61, 90), 20), ((91, 270), 25))
#: How many installments the first running loans old enough for it have left unpaid, so
#: that even a small data set has loans in arrears of different depths: with one missed the
#: loan is 1 to 31 days past due, with four at least 85.
FIRST_ARREARS = (4, 1, 2)
#: On-time payments arrive up to this many days before the due date.
EARLY_DAYS = 3
#: A late payment arrives up to this many days after it: always before the next one.
LATE_DAYS = 20
#: Share of payments a LATE payer makes late, and of defaulters who paid a part since stopping.
LATE_SHARE, PART_PAYMENT_SHARE = 0.35, 0.4
#: Loans are written off after this long without payment.
WRITE_OFF_AFTER = timedelta(days=180)
#: When a demo loan is written off: 09:00 UTC, within the lender's working day in Kyiv.
WRITE_OFF_TIME = time(9)
#: How many days before the day of loading the showcase's running loan was paid in part.
SHOWCASE_PART_PAID_DAYS_AGO = 3
#: Payments are booked during office hours.
OFFICE_OPENS, OFFICE_MINUTES = time(9, 0), 9 * 60


class _Account:
    """One started loan's installments and the payments made on them, through the engine."""

    def __init__(self, states: list[InstallmentState]) -> None:
        self.states = states
        #: The day each installment was paid in full; None while anything is owed on it.
        self.paid_on: list[date | None] = [None] * len(states)
        self.payments: list[tuple[date, Decimal, tuple[Allocation, ...]]] = []
        self.first_unpaid = 0
        self.last_paid_on: date | None = None

    @property
    def settled(self) -> bool:
        return self.first_unpaid == len(self.states)

    @property
    def oldest_unpaid(self) -> InstallmentState:
        return self.states[self.first_unpaid]

    def owed(self) -> Decimal:
        return sum((amount_due(state) for state in self.states[self.first_unpaid :]), ZERO)

    def pay(self, day: date, amount: Decimal) -> None:
        """Allocate `amount` paid on `day` (never before the previous payment)."""
        day = max(day, self.last_paid_on or day)
        # allocate_payment fills the oldest unpaid installments first and stops when the money
        # runs out: handing it just the installments the money reaches gives the same answer
        # as handing it all of them, at a cost that does not grow with the term.
        start = end = self.first_unpaid
        reach = ZERO
        while reach < amount and end < len(self.states):
            reach += amount_due(self.states[end])
            end += 1
        window = self.states[start:end]
        allocations = allocate_payment(window, amount)
        self.states[start:end] = apply_allocations(window, allocations)
        for index in range(start, end):
            if self.paid_on[index] is None and amount_due(self.states[index]) == 0:
                self.paid_on[index] = day
        while not self.settled and amount_due(self.oldest_unpaid) == 0:
            self.first_unpaid += 1
        self.payments.append((day, amount, allocations))
        self.last_paid_on = day


class Servicer:
    """Writes each started loan's schedule and the payments made on it by the day of loading.

    Draws from a generator of its own, so that whatever it draws (which depends on the day of
    the month the data is loaded) never moves the customers and loans drawn around it.
    """

    def __init__(self, now: datetime, first_ids: dict[str, int]) -> None:
        self.rng = random.Random(SEED + 1)
        self.now = now
        self.today = now.date()
        self.pick_payer = Picker(self.rng, PAYERS)
        self.pick_arrears = Picker(self.rng, ARREARS)
        self.first_arrears = list(FIRST_ARREARS)
        self.next_id = dict(first_ids)
        self.installments: list[dict] = []
        self.payments: list[dict] = []
        self.allocations: list[dict] = []
        self._amounts: dict[tuple, tuple[tuple[Decimal, Decimal], ...]] = {}
        self._due_dates: dict[tuple[date, int], tuple[date, ...]] = {}

    def take(self) -> tuple[list[dict], list[dict], list[dict]]:
        """The rows written since the last call: installments, payments, allocations."""
        rows = self.installments, self.payments, self.allocations
        self.installments, self.payments, self.allocations = [], [], []
        return rows

    def service(
        self,
        loan: dict,
        method: RepaymentMethod,
        recorded_by_id: int | None,
        *,
        showcase: bool = False,
    ) -> None:
        """Add the loan's installments and payments, and set its outstanding principal;
        `showcase` for a loan of the demo's customer login (crm.demo.tables.SHOWCASE_LOANS)."""
        account = self._account(loan, method)
        status = loan["status"]
        if showcase:
            self._pay_showcase(account)
        elif status is LoanStatus.ACTIVE:
            self._pay_running(account)
        elif status is LoanStatus.FINISHED:
            self._pay_off(account, loan["disbursed_on"])
        else:
            self._pay_until_default(account)
            loan["written_off_at"] = self._write_off_moment(loan)
        self._write(loan, account, recorded_by_id)

    def _account(self, loan: dict, method: RepaymentMethod) -> _Account:
        terms = (loan["amount"], loan["annual_rate"], loan["term_months"], method)
        amounts = self._amounts.get(terms)
        if amounts is None:
            # Principal and interest depend on the terms alone (30/360, not the calendar), so
            # one schedule serves every loan with the same terms; due dates come from each
            # loan's own disbursement day.
            schedule = build_schedule(*terms, disbursed_on=self.today)
            amounts = tuple((row.principal, row.interest) for row in schedule.rows)
            self._amounts[terms] = amounts
        key = (loan["disbursed_on"], loan["term_months"])
        due_dates = self._due_dates.get(key)
        if due_dates is None:
            due_dates = tuple(due_date(key[0], n) for n in range(1, key[1] + 1))
            self._due_dates[key] = due_dates
        return _Account(
            [
                InstallmentState(number, due, principal, interest)
                for number, due, (principal, interest) in zip(
                    range(1, len(amounts) + 1), due_dates, amounts, strict=True
                )
            ]
        )

    def _regular_day(self, due: date, late: bool) -> date:
        if late:
            return due + timedelta(days=self.rng.randint(1, LATE_DAYS))
        return due - timedelta(days=self.rng.randint(0, EARLY_DAYS))

    def _pay_regularly(self, account: _Account, count: int, stop: date, late_share: float) -> None:
        """Pay the first `count` installments, each in full, on days before `stop`."""
        for state in account.states[:count]:
            day = self._regular_day(state.due_date, self.rng.random() < late_share)
            if day >= stop:
                return
            account.pay(day, state.principal + state.interest)

    def _pay_part(self, account: _Account, start: date, end: date) -> None:
        """Sometimes a part of the oldest installment, in round tens, between `start` and `end`."""
        if account.settled or self.rng.random() >= PART_PAYMENT_SHARE:
            return
        oldest = account.oldest_unpaid
        earliest = max(start, oldest.due_date)
        if oldest.due_date >= end or earliest > end:
            return
        owed = amount_due(oldest)
        part = owed * self.rng.randint(2, 7) // 100 * 10
        if not 0 < part < owed:
            return
        account.pay(earliest + timedelta(days=self.rng.randint(0, (end - earliest).days)), part)

    def _pay_running(self, account: _Account) -> None:
        # The last installment stays owed: paying it would finish the loan.
        count = len(account.states) - 1
        due = sum(state.due_date < self.today for state in account.states[:count])
        if self.first_arrears and due >= self.first_arrears[0]:
            self._pay_regularly(account, due - self.first_arrears.pop(0), self.today, 0)
            return
        payer = self.pick_payer()
        if payer is _Payer.DEFAULTER:
            low, high = self.pick_arrears()
            stop = self.today - timedelta(days=self.rng.randint(low, high))
            self._pay_regularly(account, count, stop, 0)
            self._pay_part(account, stop, self.today)
        else:
            late_share = LATE_SHARE if payer is _Payer.LATE else 0
            self._pay_regularly(account, count, self.today + timedelta(days=1), late_share)

    def _pay_off(self, account: _Account, disbursed_on: date) -> None:
        """Finished: every installment paid, the rest at once where the term is not over yet."""
        states = account.states
        due_by_now = sum(state.due_date < self.today for state in states)
        regular = len(states) if due_by_now == len(states) else self.rng.randint(0, due_by_now)
        self._pay_regularly(account, regular, self.today + timedelta(days=1), LATE_SHARE / 3)
        if not account.settled:
            earliest = account.last_paid_on or disbursed_on + timedelta(days=1)
            days = max(0, (self.today - earliest).days)
            account.pay(
                min(earliest + timedelta(days=self.rng.randint(0, days)), self.today),
                account.owed(),
            )

    def _pay_showcase(self, account: _Account) -> None:
        """Every installment due by now paid in full the day before its due date; then, on a
        running loan, a part of the next one (about 40 %, in round tens) paid a few days
        ago, so that its schedule has paid, part-paid and unpaid rows."""
        for state in account.states:
            if state.due_date >= self.today:
                break
            account.pay(state.due_date - timedelta(days=1), state.principal + state.interest)
        if not account.settled:
            part = amount_due(account.oldest_unpaid) * 4 // 100 * 10
            account.pay(self.today - timedelta(days=SHOWCASE_PART_PAID_DAYS_AGO), part)

    def _pay_until_default(self, account: _Account) -> None:
        """Written off: paid for a while, then nothing for at least WRITE_OFF_AFTER."""
        stop = self.today - WRITE_OFF_AFTER
        before_stop = sum(state.due_date < stop for state in account.states)
        self._pay_regularly(account, self.rng.randint(0, max(0, before_stop - 1)), stop, 0)
        self._pay_part(account, account.last_paid_on or stop - WRITE_OFF_AFTER, stop)

    def _write_off_moment(self, loan: dict) -> datetime:
        """A morning after the payments stopped (_pay_until_default) and after the money went
        out, spread over two months by the loan's id so that the write-offs report has more
        than one day; yesterday at the latest."""
        day = max(
            self.today - WRITE_OFF_AFTER + timedelta(days=loan["id"] % 60),
            loan["disbursed_on"] + timedelta(days=1),
        )
        return datetime.combine(min(day, self.today - timedelta(days=1)), WRITE_OFF_TIME, UTC)

    def _write(self, loan: dict, account: _Account, recorded_by_id: int | None) -> None:
        first_installment_id = self._write_installments(loan["id"], account)
        for day, amount, allocations in account.payments:
            payment_id = self._write_payment(loan["id"], day, amount, recorded_by_id)
            for allocation in allocations:
                self.allocations.append(
                    {
                        "id": self.next_id["allocation"],
                        "payment_id": payment_id,
                        "installment_id": first_installment_id + allocation.number - 1,
                        "principal": allocation.principal,
                        "interest": allocation.interest,
                    }
                )
                self.next_id["allocation"] += 1
        # The installments before the oldest unpaid one owe nothing, so the rest decide.
        standing = position(account.states[account.first_unpaid :])
        loan["principal_outstanding"] = standing.principal_outstanding
        loan["oldest_unpaid_due_on"] = standing.oldest_unpaid_due_date

    def _write_installments(self, loan_id: int, account: _Account) -> int:
        """Add the account's installment rows; returns the id of the first."""
        first_installment_id = self.next_id["installment"]
        for index, state in enumerate(account.states):
            self.installments.append(
                {
                    "id": first_installment_id + index,
                    "loan_id": loan_id,
                    "number": state.number,
                    "due_date": state.due_date,
                    "principal": state.principal,
                    "interest": state.interest,
                    "principal_paid": state.principal_paid,
                    "interest_paid": state.interest_paid,
                    "paid_on": account.paid_on[index],
                }
            )
        self.next_id["installment"] += len(account.states)
        return first_installment_id

    def _write_payment(
        self, loan_id: int, day: date, amount: Decimal, recorded_by_id: int | None
    ) -> int:
        """Add a payment row, booked during office hours that day; returns its id."""
        payment_id = self.next_id["payment"]
        self.next_id["payment"] += 1
        booked = datetime.combine(day, OFFICE_OPENS, UTC) + timedelta(
            minutes=self.rng.randrange(OFFICE_MINUTES)
        )
        self.payments.append(
            {
                "id": payment_id,
                "loan_id": loan_id,
                "paid_on": day,
                "amount": amount,
                "reference": f"DEMO-{payment_id:09d}",
                "recorded_by_id": recorded_by_id,
                "recorded_at": min(booked, self.now),
            }
        )
        return payment_id
