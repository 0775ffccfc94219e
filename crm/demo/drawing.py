"""Drawing the demo's customers and their loans as rows ready for a bulk INSERT."""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate

from crm.clock import lender_date
from crm.demo.tables import (
    CITIES,
    DAYS_PER_YEAR,
    DEMO_MAX_TERM,
    EMAIL_DOMAINS,
    FEMALE_FIRST_NAMES,
    FIRST_STATUSES,
    HISTORY,
    LATIN,
    LATIN_INITIAL,
    LOANS_PER_CUSTOMER,
    MALE_FIRST_NAMES,
    MIN_AGE,
    MOBILE_CODES,
    OLDEST_AGE_AT_JOINING,
    PATRONYMICS,
    PENDING_WINDOW,
    PRODUCT_WEIGHTS,
    REFUSAL_REASONS,
    SECURED_REFUSAL_REASON,
    SEED,
    SHOWCASE_DECISION_DELAY,
    SHOWCASE_JOINED,
    SHOWCASE_LOANS,
    STATUS_WEIGHTS,
    STREETS,
    SURNAMES,
    USUAL_TERMS,
    WRITE_OFF_REASONS,
    YOUNGEST_AGE,
)
from crm.lending.status import LoanStatus
from crm.models import Product, ProductCategory
from crm.models.customer import search_key

#: Loans that ran and are over; only these may be of a product no longer on offer.
ENDED = (LoanStatus.FINISHED, LoanStatus.WRITTEN_OFF)
#: Loans whose money went out, and which so have a schedule.
STARTED = (LoanStatus.ACTIVE, *ENDED)


# Names repeat (a few dozen of each kind): each is romanised once.
@cache
def romanise(word: str) -> str:
    word = word.lower()
    return "".join(
        LATIN_INITIAL.get(letter, LATIN.get(letter, letter)) if i == 0 else LATIN.get(letter, "")
        for i, letter in enumerate(word)
    )


def tax_id_check_digit(first_nine: str) -> str:
    """The RNOKPP control digit (the algorithm python-stdnum's `ua.rntrc` implements)."""
    weights = (-1, 5, 7, 9, 4, 6, 10, 5, 7)
    total = sum(w * int(d) for w, d in zip(weights, first_nine, strict=True))
    return str(total % 11 % 10)


class Picker:
    """Weighted choice by bisecting cumulative weights: faster than random.choices per call."""

    def __init__(self, rng: random.Random, pairs) -> None:
        self.rng = rng
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(accumulate(weight for _value, weight in pairs))

    def __call__(self):
        return self.values[bisect_left(self.cumulative, self.rng.random() * self.cumulative[-1])]


@dataclass(frozen=True)
class _ProductPlan:
    id: int
    rate: Decimal
    category: ProductCategory
    min_amount: int
    max_amount: int
    step: int
    terms: tuple[int, ...]


def _plan(product: Product) -> _ProductPlan:
    low, high = int(product.min_amount), int(product.max_amount)
    # Round sums: 500 for small loans, 1 000 for most, 10 000 for cars and homes.
    step = 500 if high <= 100_000 else 1_000 if high <= 500_000 else 10_000
    longest = max(product.min_term, min(product.max_term, DEMO_MAX_TERM))
    terms = tuple(t for t in USUAL_TERMS if product.min_term <= t <= longest)
    return _ProductPlan(
        id=product.id,
        rate=product.annual_rate,
        category=product.category,
        min_amount=-(-low // step) * step,
        max_amount=high // step * step,
        step=step,
        terms=terms or (product.min_term,),
    )


class CustomerGenerator:
    """Draws customers and their loans, in a fixed order, from one generator started at SEED.

    A clash (a phone or tax id already taken) steps to the next free value instead of drawing
    again. Tax ids hold the birth date, which counts back from the day of loading; redrawing
    would shift every later value, and the data would differ from one day to the next.
    """

    def __init__(
        self,
        now: datetime,
        products: list[Product],
        managers: list[int],
        deciders: list[int],
        taken: dict[str, set[str]],
    ) -> None:
        self.rng = random.Random(SEED)
        self.now = now
        self.managers = managers
        self.deciders = deciders
        self.phones, self.emails, self.tax_ids = taken["phone"], taken["email"], taken["tax_id"]
        self.loans_drawn = 0
        plans = [_plan(p) for p in products]
        self.plans = plans
        rng = self.rng
        self.pick_city = Picker(rng, CITIES)
        self.pick_status = Picker(rng, STATUS_WEIGHTS)
        self.pick_loan_count = Picker(rng, LOANS_PER_CUSTOMER)
        weighted = list(zip(plans, PRODUCT_WEIGHTS, strict=True))
        self.pick_any_product = Picker(rng, weighted)
        # New applications and running loans only use products that are still on offer.
        self.pick_open_product = Picker(
            rng,
            [
                (plan, weight)
                for plan, weight, product in zip(plans, PRODUCT_WEIGHTS, products, strict=True)
                if product.active
            ],
        )

    # The order of the draws below is part of the data: drawing one value more, or one value
    # earlier, changes every customer and loan after it.

    def customer(self, customer_id: int, n: int, total: int) -> tuple[dict, list[dict]]:
        """The row of the n-th of `total` customers and its loan rows; later ones joined later."""
        rng = self.rng
        position = (n + rng.random()) / total
        # sqrt: more customers joined recently than two years ago, as a growing lender has.
        created_at = self.now - HISTORY * (1 - math.sqrt(position))
        created_at = created_at.replace(microsecond=0)
        if n == 0:
            # The showcase customer (SHOWCASE_LOANS) was there before their first loan.
            created_at = min(created_at, self.now - SHOWCASE_JOINED)
        female = rng.random() < 0.53
        first_name = rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
        last_name = rng.choice(SURNAMES)[female]
        patronymic = rng.choice(PATRONYMICS)[female]
        age_days = int(rng.triangular(YOUNGEST_AGE, OLDEST_AGE_AT_JOINING, 34) * DAYS_PER_YEAR)
        birth_date = created_at.date() - timedelta(days=age_days + 2)
        phone = self._phone()
        email = self._email(first_name, last_name, birth_date) if rng.random() < 0.75 else None
        tax_id = self._tax_id(birth_date, female) if rng.random() < 0.9 else None
        address = self._address()
        manager_id = rng.choice(self.managers) if rng.random() < 0.97 else None
        row = {
            "id": customer_id,
            "last_name": last_name,
            "first_name": first_name,
            "patronymic": patronymic,
            "phone": phone,
            "email": email,
            "birth_date": birth_date,
            "tax_id": tax_id,
            "address": address,
            "manager_id": manager_id,
            "created_at": created_at,
            "search_text": search_key(last_name, first_name, patronymic, phone, email, tax_id),
            "version": 1,
        }
        if n == 0:
            loans = [self._showcase_loan(customer_id, manager_id, spec) for spec in SHOWCASE_LOANS]
        else:
            count = self.pick_loan_count()
            loans = [self._loan(customer_id, created_at, manager_id) for _ in range(count)]
        return row, loans

    def _phone(self) -> str:
        code, number = self.rng.choice(MOBILE_CODES), self.rng.randrange(10**7)
        while (phone := f"+380{code}{number:07d}") in self.phones:
            number = (number + 1) % 10**7
        self.phones.add(phone)
        return phone

    def _email(self, first_name: str, last_name: str, birth_date: date) -> str:
        first, last = romanise(first_name), romanise(last_name)
        local = self.rng.choice(
            (
                f"{first}.{last}",
                f"{last}.{first}",
                f"{first}.{last}{birth_date.year % 100:02d}",
                f"{first[0]}{last}{birth_date.year}",
            )
        )
        domain = self.rng.choice(EMAIL_DOMAINS)
        email, n = f"{local}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.emails.add(email)
        return email

    def _tax_id(self, birth_date: date, female: bool) -> str:
        # RNOKPP: days since 31 Dec 1899, a serial whose last digit is even for women, a check.
        days = (birth_date - date(1899, 12, 31)).days
        serial = self.rng.randrange(5000)
        while True:
            first_nine = f"{days:05d}{serial * 2 + (0 if female else 1):04d}"
            tax_id = first_nine + tax_id_check_digit(first_nine)
            if tax_id not in self.tax_ids:
                self.tax_ids.add(tax_id)
                return tax_id
            serial = (serial + 1) % 5000

    def _address(self) -> str:
        street = self.rng.choice(STREETS)
        address = f"м. {self.pick_city()}, {street}, {self.rng.randint(1, 160)}"
        if self.rng.random() < 0.65:
            address += f", кв. {self.rng.randint(1, 240)}"
        return address

    def _loan(self, customer_id: int, joined: datetime, manager_id: int | None) -> dict:
        known_for = self.now - joined
        status = self._status(known_for)
        plan = self.pick_any_product() if status in ENDED else self.pick_open_product()
        term = self.rng.choice(plan.terms)
        amount = self._amount(plan)
        created_at = self._applied_at(status, known_for, term)
        decision = self._decision(status, created_at, manager_id, plan.category)
        return _loan_row(customer_id, plan, amount, term, status, created_at, decision)

    def _showcase_loan(self, customer_id: int, manager_id: int | None, spec: tuple) -> dict:
        """One of SHOWCASE_LOANS, drawing nothing: decided by the customer's manager (or the
        admin, for a customer without one) and paid out the same day."""
        product, status, amount, term, days_ago = spec
        plan = self.plans[product]
        created_at = self.now - timedelta(days=days_ago)
        decided_at = None
        if status is not LoanStatus.PENDING:
            decided_at = created_at + SHOWCASE_DECISION_DELAY
        decision = {
            "decided_at": decided_at,
            "decided_by_id": None if decided_at is None else manager_id or self.deciders[-1],
            "refusal_reason": None,
            "write_off_reason": None,
            "disbursed_on": None if decided_at is None else lender_date(decided_at),
            "written_off_at": None,
            "written_off_by_id": None,
        }
        return _loan_row(customer_id, plan, amount, term, status, created_at, decision)

    def _status(self, known_for: timedelta) -> LoanStatus:
        status = self.pick_status()
        if self.loans_drawn < len(FIRST_STATUSES):
            status = FIRST_STATUSES[self.loans_drawn]
        self.loans_drawn += 1
        if status in MIN_AGE and known_for < MIN_AGE[status]:
            status = LoanStatus.ACTIVE
        return status

    def _amount(self, plan: _ProductPlan) -> int:
        steps = (plan.max_amount - plan.min_amount) // plan.step + 1
        # Squaring skews towards smaller sums: most people borrow near the minimum.
        return plan.min_amount + plan.step * int(self.rng.random() ** 2 * steps)

    def _applied_at(self, status: LoanStatus, known_for: timedelta, term: int) -> datetime:
        # The application falls in [now - latest - window, now - latest].
        latest, window = timedelta(0), known_for
        if status is LoanStatus.PENDING:
            window = min(known_for, PENDING_WINDOW)
        elif status is LoanStatus.ACTIVE:
            # Still running: disbursed less than the term ago.
            window = min(known_for, timedelta(days=term * 30 - 1))
        elif status in ENDED:
            latest = MIN_AGE[status]
            window = known_for - latest
        return (self.now - latest - window * self.rng.random()).replace(microsecond=0)

    def _decision(
        self,
        status: LoanStatus,
        created_at: datetime,
        manager_id: int | None,
        category: ProductCategory,
    ) -> dict:
        """When and by whom the application was decided, why, and when the money went out."""
        decided_at = decided_by = reason = write_off_reason = disbursed_on = None
        if status is not LoanStatus.PENDING:
            # Decided within two days, never in the future.
            delay = min(timedelta(minutes=self.rng.randint(10, 2880)), (self.now - created_at) / 2)
            decided_at = (created_at + delay).replace(microsecond=0)
        if status not in (LoanStatus.PENDING, LoanStatus.WITHDRAWN):
            # Mostly the customer's own manager; the others (and the admin) stand in.
            own = manager_id is not None and self.rng.random() < 0.9
            decided_by = manager_id if own else self.rng.choice(self.deciders)
        if status is LoanStatus.REFUSED:
            reasons = REFUSAL_REASONS
            if category is ProductCategory.SECURED:
                reasons = (*REFUSAL_REASONS, SECURED_REFUSAL_REASON)
            reason = self.rng.choice(reasons)
        if status in STARTED:
            disbursed_on = lender_date(decided_at)
        if status is LoanStatus.WRITTEN_OFF:
            write_off_reason = self.rng.choice(WRITE_OFF_REASONS)
        return {
            "decided_at": decided_at,
            "decided_by_id": decided_by,
            "refusal_reason": reason,
            "write_off_reason": write_off_reason,
            "disbursed_on": disbursed_on,
            # The servicer sets the day, once it knows when the payments stopped.
            "written_off_at": None,
            "written_off_by_id": decided_by if write_off_reason else None,
        }


def _loan_row(
    customer_id: int,
    plan: _ProductPlan,
    amount: int | str,
    term: int,
    status: LoanStatus,
    created_at: datetime,
    decision: dict,
) -> dict:
    """A loan's row as the bulk writer takes it; `decision` holds decided_at, decided_by_id,
    refusal_reason, write_off_reason, disbursed_on, written_off_at and written_off_by_id."""
    return {
        "customer_id": customer_id,
        "product_id": plan.id,
        "amount": Decimal(amount),
        "term_months": term,
        "annual_rate": plan.rate,
        "status": status,
        "created_at": created_at,
        **decision,
        "version": 1,
    }
