"""Deterministic demo data for trying the CRM and for benchmarks: `flask --app wsgi demo load`.

Seeded generators draw every value, so each run creates the same products, staff, customers
and loans, and the same schedules and payments for the same moment of loading. Times are
offsets back from that moment, so the data always looks current: the newest applications are
still pending, old loans are finished, and running loans carry what their borrowers paid by
that day: most on time, some late, some nothing for months.

Rows go in with bulk INSERTs in chunks, never one ORM object at a time: that is what loads
100 000 customers, 300 000 loans and their 650 000 installments in about a minute (see
docs/PERFORMANCE.md). Bulk INSERTs skip mapper events, so the rows carry their `search_text`
ready-made.
"""

from __future__ import annotations

import enum
import math
import random
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from flask_babel import gettext as _
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from crm.i18n.labels import STATUS_LABELS
from crm.lending.allocation import Allocation, allocate_payment, apply_allocations
from crm.lending.installments import InstallmentState, amount_due, position
from crm.lending.money import ZERO
from crm.lending.schedule import RepaymentMethod, build_schedule, due_date
from crm.lending.status import LoanStatus
from crm.models import (
    Customer,
    Installment,
    Loan,
    Payment,
    PaymentAllocation,
    Product,
    ProductCategory,
    Role,
    User,
)
from crm.models.customer import search_key

#: The seed of the one generator that draws all demo data.
SEED = 20261125
#: Every demo login has this password; it is printed after loading.
DEMO_PASSWORD = "demo-password"  # noqa: S105 (a published demo password)
#: Rows per bulk INSERT: big enough to be fast, small enough to keep memory flat.
CHUNK_SIZE = 10_000
#: Customers joined over about the last two years.
HISTORY = timedelta(days=730)
#: Birth dates keep every customer between 18 and 75 years old.
YOUNGEST_AGE, OLDEST_AGE_AT_JOINING = 18, 72
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    full_name: str


ADMIN = DemoLogin("admin@demo.crm", Role.ADMIN, "Олена Коваль")
MANAGERS = (
    DemoLogin("manager@demo.crm", Role.MANAGER, "Петро Мельник"),
    DemoLogin("manager2@demo.crm", Role.MANAGER, "Ірина Савчук"),
    DemoLogin("manager3@demo.crm", Role.MANAGER, "Богдан Ґудзь"),
)
#: A customer login for the personal account, linked to the first demo customer.
CUSTOMER_LOGIN_EMAIL = "customer@demo.crm"
DEMO_LOGIN_EMAILS = (ADMIN.email, *(m.email for m in MANAGERS), CUSTOMER_LOGIN_EMAIL)


class DemoAlreadyLoaded(Exception):
    """The database already has demo logins or products; loading again would duplicate them."""

    def __init__(self, message: str, *, demo_logins_present: bool) -> None:
        super().__init__(message)
        self.demo_logins_present = demo_logins_present

    def describe(self) -> str:
        if self.demo_logins_present:
            return f"{self}\n{logins_text()}"
        return str(self)


def logins_text() -> str:
    """How to log in to the demo, as printed after `demo load`."""
    lines = [_("Demo logins (password %(password)s):", password=DEMO_PASSWORD)]
    for login in (ADMIN, *MANAGERS):
        lines.append(f"  {login.role.value:<9}{login.email}")
    lines.append(f"  {Role.CUSTOMER.value:<9}{CUSTOMER_LOGIN_EMAIL}")
    return "\n".join(lines)


@dataclass
class DemoSummary:
    products: int
    inactive_products: int
    staff: int
    customers: int
    loans_by_status: Counter = field(default_factory=Counter)
    installments: int = 0
    payments: int = 0

    @property
    def loans(self) -> int:
        return sum(self.loans_by_status.values())

    def describe(self) -> str:
        by_status = ", ".join(
            f"{STATUS_LABELS[status]} {self.loans_by_status[status]:,}" for status in LoanStatus
        )
        return "\n".join(
            (
                _(
                    "Demo data loaded: %(products)s products (%(inactive)s inactive), "
                    "%(staff)s staff, %(customers)s customers, %(loans)s loans.",
                    products=self.products,
                    inactive=self.inactive_products,
                    staff=self.staff,
                    customers=f"{self.customers:,}",
                    loans=f"{self.loans:,}",
                ),
                _("Loans by status: %(counts)s.", counts=by_status),
                _(
                    "Started loans: %(installments)s installments, %(payments)s payments.",
                    installments=f"{self.installments:,}",
                    payments=f"{self.payments:,}",
                ),
                logins_text(),
            )
        )


# --- Products --------------------------------------------------------------------------------

PRODUCTS = (
    {
        "name": "Готівка на будь-які цілі",
        "annual_rate": Decimal("36.0000"),
        "category": ProductCategory.UNSECURED,
        "description": "Кредит готівкою без застави та поручителів, рішення за 15 хвилин.",
        "min_amount": Decimal(3_000),
        "max_amount": Decimal(150_000),
        "min_term": 3,
        "max_term": 36,
        "repayment_method": RepaymentMethod.ANNUITY,
        "active": True,
    },
    {
        "name": "Покупки в кредит",
        "annual_rate": Decimal("19.9000"),
        "category": ProductCategory.UNSECURED,
        "description": "Техніка, меблі та ремонт у магазинах-партнерах, оформлення на касі.",
        "min_amount": Decimal(2_000),
        "max_amount": Decimal(80_000),
        "min_term": 3,
        "max_term": 24,
        "repayment_method": RepaymentMethod.ANNUITY,
        "active": True,
    },
    {
        "name": "Рефінансування кредитів",
        "annual_rate": Decimal("28.5000"),
        "category": ProductCategory.UNSECURED,
        "description": "Погашення кредитів в інших банках одним кредитом з меншим платежем.",
        "min_amount": Decimal(10_000),
        "max_amount": Decimal(300_000),
        "min_term": 12,
        "max_term": 60,
        "repayment_method": RepaymentMethod.ANNUITY,
        "active": True,
    },
    {
        "name": "Автокредит",
        "annual_rate": Decimal("13.9000"),
        "category": ProductCategory.SECURED,
        "description": "Нове або вживане авто під заставу самого авто, перший внесок від 20 %.",
        "min_amount": Decimal(100_000),
        "max_amount": Decimal(2_500_000),
        "min_term": 12,
        "max_term": 84,
        "repayment_method": RepaymentMethod.ANNUITY,
        "active": True,
    },
    {
        "name": "Кредит під заставу нерухомості",
        "annual_rate": Decimal("17.5000"),
        "category": ProductCategory.SECURED,
        "description": "Великі суми під заставу квартири чи будинку, класична схема погашення.",
        "min_amount": Decimal(200_000),
        "max_amount": Decimal(5_000_000),
        "min_term": 24,
        "max_term": 180,
        "repayment_method": RepaymentMethod.DIFFERENTIATED,
        "active": True,
    },
    {
        "name": "Сезонний кредит на ремонт",
        "annual_rate": Decimal("32.0000"),
        "category": ProductCategory.UNSECURED,
        "description": "Сезонна пропозиція минулих років; нові заявки не приймаються.",
        "min_amount": Decimal(5_000),
        "max_amount": Decimal(100_000),
        "min_term": 6,
        "max_term": 24,
        "repayment_method": RepaymentMethod.DIFFERENTIATED,
        "active": False,
    },
)
#: How often each product above is taken, in the same order.
PRODUCT_WEIGHTS = (40, 25, 12, 8, 5, 10)
#: Terms that lenders actually offer, in months; each product uses those within its limits.
USUAL_TERMS = (3, 6, 9, 12, 18, 24, 36, 48, 60, 72, 84, 120, 180)
#: Demo loans run no longer than this (or the product's shortest term, where that is longer):
#: every month of a started loan is an installment row, most with a payment and an allocation,
#: and long terms would multiply the rows without showing anything new.
DEMO_MAX_TERM = 12


# --- People ------------------------------------------------------------------------------------

MALE_FIRST_NAMES = (
    "Олександр", "Андрій", "Іван", "Сергій", "Дмитро", "Микола", "Тарас", "Богдан", "Ігор",
    "Юрій", "Василь", "Петро", "Олег", "Володимир", "Максим", "Остап", "Ярослав", "В'ячеслав",
    "Євген", "Назар", "Роман", "Григорій", "Степан", "Михайло", "Віталій", "Ілля", "Єгор",
    "Орест", "Зиновій", "Олекса",
)  # fmt: skip
FEMALE_FIRST_NAMES = (
    "Олена", "Оксана", "Ірина", "Наталія", "Тетяна", "Марія", "Мар'яна", "Ївга", "Єва", "Ганна",
    "Софія", "Юлія", "Людмила", "Галина", "Христина", "Соломія", "Дарина", "Катерина",
    "Анастасія", "Віра", "Надія", "Любов", "Іванна", "Зоряна", "Уляна", "Ярина", "Олеся",
    "Євгенія", "Інна", "Богдана",
)  # fmt: skip
#: (a son's, a daughter's) patronymic from the same father's name.
PATRONYMICS = (
    ("Олександрович", "Олександрівна"), ("Андрійович", "Андріївна"), ("Іванович", "Іванівна"),
    ("Сергійович", "Сергіївна"), ("Миколайович", "Миколаївна"), ("Петрович", "Петрівна"),
    ("Васильович", "Василівна"), ("Богданович", "Богданівна"), ("Юрійович", "Юріївна"),
    ("Володимирович", "Володимирівна"), ("Григорович", "Григорівна"),
    ("Степанович", "Степанівна"), ("Михайлович", "Михайлівна"), ("Ярославович", "Ярославівна"),
    ("Ігорович", "Ігорівна"), ("Олегович", "Олегівна"), ("Вікторович", "Вікторівна"),
    ("Анатолійович", "Анатоліївна"), ("Євгенович", "Євгенівна"),
    ("В'ячеславович", "В'ячеславівна"), ("Ілліч", "Іллівна"), ("Тарасович", "Тарасівна"),
    ("Йосипович", "Йосипівна"),
)  # fmt: skip
#: Surnames that are the same for men and women, as most Ukrainian ones are.
COMMON_SURNAMES = (
    "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Шевчук",
    "Коваль", "Бойко", "Мельник", "Ковальчук", "Гнатюк", "Ґудзь", "Ґалаґан", "Лисенко",
    "Марченко", "Руденко", "Савченко", "Петренко", "Поліщук", "Мороз", "Вовк", "Яковенко",
    "Дем'яненко", "Дем'янчук", "Єременко", "Їжакевич", "Ігнатенко", "Гаврилюк", "Кушнір",
    "Романюк", "Зінченко", "Приходько", "Остапчук", "Костенко", "Гончар", "Білоус",
    "Литвиненко", "Сидоренко", "Дорошенко", "Панченко", "Ярошенко", "Юрченко", "Федорів",
    "Кузьмич", "Стасюк", "Захарчук", "Ничипорук", "Семенюк", "Гребенюк", "Стрільчук",
    "Заїка", "П'ятак",
)  # fmt: skip
#: (a man's, a woman's) surname, for every surname.
SURNAMES = (
    *((name, name) for name in COMMON_SURNAMES),
    ("Ковальський", "Ковальська"), ("Левицький", "Левицька"), ("Яворський", "Яворська"),
    ("Вишневський", "Вишневська"), ("Білий", "Біла"), ("Чорний", "Чорна"),
    ("Лозовий", "Лозова"), ("Гайовий", "Гайова"),
)  # fmt: skip
#: (city, weight): roughly by population.
CITIES = (
    ("Київ", 30), ("Харків", 9), ("Одеса", 8), ("Дніпро", 8), ("Львів", 8), ("Запоріжжя", 5),
    ("Вінниця", 4), ("Полтава", 3), ("Чернігів", 3), ("Житомир", 3), ("Івано-Франківськ", 3),
    ("Тернопіль", 3), ("Ужгород", 2), ("Рівне", 3), ("Луцьк", 3), ("Черкаси", 3), ("Суми", 3),
    ("Хмельницький", 3), ("Чернівці", 3), ("Кропивницький", 2), ("Миколаїв", 3),
    ("Біла Церква", 2), ("Кам'янець-Подільський", 1),
)  # fmt: skip
STREETS = (
    "вул. Шевченка", "вул. Івана Франка", "вул. Лесі Українки", "вул. Грушевського",
    "просп. Незалежності", "вул. Соборна", "вул. Героїв Майдану", "вул. Садова",
    "вул. Січових Стрільців", "вул. Богдана Хмельницького", "вул. Київська",
    "бульв. Тараса Шевченка", "вул. Ярослава Мудрого", "вул. Костомарова", "вул. Мазепи",
    "вул. Григорія Сковороди", "вул. В'ячеслава Чорновола", "вул. Зелена", "вул. Паркова",
    "просп. Свободи", "вул. Європейська", "вул. Ольги Кобилянської", "вул. Ґонти",
)  # fmt: skip
#: Ukrainian mobile operator codes (Vodafone, lifecell, Kyivstar); +380 XX and 7 digits.
MOBILE_CODES = ("50", "66", "95", "99", "63", "73", "93", "67", "68", "96", "97", "98")
#: Reserved for examples (RFC 2606), so no demo e-mail can ever reach anyone.
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
#: KMU 2010 romanisation, enough to turn a name into an e-mail address.
LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "-": "",
}  # fmt: skip
#: The romanisation of є, ї, й, ю, я at the start of a word.
LATIN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

REFUSAL_REASONS = (
    "Недостатній підтверджений дохід.",
    "Негативна кредитна історія.",
    "Високе боргове навантаження.",
    "Неповний пакет документів.",
    "Дані анкети не підтвердилися.",
)
SECURED_REFUSAL_REASON = "Застава не відповідає вимогам."
WRITE_OFF_REASONS = (
    "Понад 180 днів прострочки, стягнення безрезультатне.",
    "Позичальник помер, спадкоємців не встановлено.",
    "Борг продано колекторській компанії.",
)

#: (status, weight) of the loans drawn: a lender that approves about a third of the
#: applications it decides. Every started loan brings its schedule and payments, so this also
#: sets the size of the servicing tables: about 650 000 installments per 100 000 customers.
STATUS_WEIGHTS = (
    (LoanStatus.PENDING, 5),
    (LoanStatus.REFUSED, 50),
    (LoanStatus.WITHDRAWN, 22),
    (LoanStatus.ACTIVE, 15),
    (LoanStatus.FINISHED, 7),
    (LoanStatus.WRITTEN_OFF, 1),
)
#: The statuses of the first loans, so that even a small data set has every status (the
#: first customers are the oldest, so even their written-off loan can be old enough).
FIRST_STATUSES = (
    LoanStatus.FINISHED,
    LoanStatus.ACTIVE,
    LoanStatus.PENDING,
    LoanStatus.REFUSED,
    LoanStatus.WITHDRAWN,
    LoanStatus.WRITTEN_OFF,
)
#: Loans per customer and their weights: about three on average.
LOANS_PER_CUSTOMER = ((0, 3), (1, 12), (2, 22), (3, 26), (4, 20), (5, 12), (6, 5))
#: The youngest a finished or written-off loan can be; younger customers get an active one.
MIN_AGE = {LoanStatus.FINISHED: timedelta(days=60), LoanStatus.WRITTEN_OFF: timedelta(days=240)}
#: Applications still waiting are from the last two weeks.
PENDING_WINDOW = timedelta(days=14)


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


class _Picker:
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


class _Generator:
    """Draws customers and their loans, in a fixed order, from one seeded generator.

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
        rng = self.rng
        self.pick_city = _Picker(rng, CITIES)
        self.pick_status = _Picker(rng, STATUS_WEIGHTS)
        self.pick_loan_count = _Picker(rng, LOANS_PER_CUSTOMER)
        weighted = list(zip(plans, PRODUCT_WEIGHTS, strict=True))
        self.pick_any_product = _Picker(rng, weighted)
        # New applications and running loans only use products that are still on offer.
        self.pick_open_product = _Picker(
            rng,
            [
                (plan, weight)
                for plan, weight, product in zip(plans, PRODUCT_WEIGHTS, products, strict=True)
                if product.active
            ],
        )

    def customer(self, customer_id: int, n: int, total: int) -> tuple[dict, list[dict]]:
        """The row of the n-th of `total` customers and its loan rows; later ones joined later."""
        rng = self.rng
        position = (n + rng.random()) / total
        # sqrt: more customers joined recently than two years ago, as a growing lender has.
        created_at = self.now - HISTORY * (1 - math.sqrt(position))
        created_at = created_at.replace(microsecond=0)
        female = rng.random() < 0.53
        first_name = rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
        last_name = rng.choice(SURNAMES)[female]
        patronymic = rng.choice(PATRONYMICS)[female]
        age_days = int(rng.triangular(YOUNGEST_AGE, OLDEST_AGE_AT_JOINING, 34) * DAYS_PER_YEAR)
        birth_date = created_at.date() - timedelta(days=age_days + 2)
        phone = self._phone()
        email = self._email(first_name, last_name, birth_date) if rng.random() < 0.75 else None
        tax_id = self._tax_id(birth_date, female) if rng.random() < 0.9 else None
        street = rng.choice(STREETS)
        address = f"м. {self.pick_city()}, {street}, {rng.randint(1, 160)}"
        if rng.random() < 0.65:
            address += f", кв. {rng.randint(1, 240)}"
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
        }
        loans = [
            self._loan(customer_id, created_at, manager_id) for _ in range(self.pick_loan_count())
        ]
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

    def _loan(self, customer_id: int, joined: datetime, manager_id: int | None) -> dict:
        rng = self.rng
        known_for = self.now - joined
        status = self.pick_status()
        if self.loans_drawn < len(FIRST_STATUSES):
            status = FIRST_STATUSES[self.loans_drawn]
        self.loans_drawn += 1
        if status in MIN_AGE and known_for < MIN_AGE[status]:
            status = LoanStatus.ACTIVE
        opened = status in (LoanStatus.FINISHED, LoanStatus.WRITTEN_OFF)
        plan = self.pick_any_product() if opened else self.pick_open_product()
        term = rng.choice(plan.terms)
        amount = plan.min_amount + plan.step * int(
            # Squaring skews towards smaller sums: most people borrow near the minimum.
            rng.random() ** 2 * ((plan.max_amount - plan.min_amount) // plan.step + 1)
        )
        # The application falls in [now - latest - window, now - latest].
        latest, window = timedelta(0), known_for
        if status is LoanStatus.PENDING:
            window = min(known_for, PENDING_WINDOW)
        elif status is LoanStatus.ACTIVE:
            # Still running: disbursed less than the term ago.
            window = min(known_for, timedelta(days=term * 30 - 1))
        elif opened:
            latest = MIN_AGE[status]
            window = known_for - latest
        created_at = (self.now - latest - window * rng.random()).replace(microsecond=0)
        decided_at = decided_by = reason = write_off_reason = disbursed_on = None
        if status is not LoanStatus.PENDING:
            # Decided within two days, never in the future.
            delay = min(timedelta(minutes=rng.randint(10, 2880)), (self.now - created_at) / 2)
            decided_at = (created_at + delay).replace(microsecond=0)
        if status not in (LoanStatus.PENDING, LoanStatus.WITHDRAWN):
            # Mostly the customer's own manager; the others (and the admin) stand in.
            own = manager_id is not None and rng.random() < 0.9
            decided_by = manager_id if own else rng.choice(self.deciders)
        if status is LoanStatus.REFUSED:
            reasons = REFUSAL_REASONS
            if plan.category is ProductCategory.SECURED:
                reasons = (*REFUSAL_REASONS, SECURED_REFUSAL_REASON)
            reason = rng.choice(reasons)
        if status in (LoanStatus.ACTIVE, LoanStatus.FINISHED, LoanStatus.WRITTEN_OFF):
            disbursed_on = decided_at.date()
        if status is LoanStatus.WRITTEN_OFF:
            write_off_reason = rng.choice(WRITE_OFF_REASONS)
        return {
            "customer_id": customer_id,
            "product_id": plan.id,
            "amount": Decimal(amount),
            "term_months": term,
            "annual_rate": plan.rate,
            "status": status,
            "created_at": created_at,
            "decided_at": decided_at,
            "decided_by_id": decided_by,
            "refusal_reason": reason,
            "write_off_reason": write_off_reason,
            "disbursed_on": disbursed_on,
            "version": 1,
        }


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


# --- Servicing: schedules and payments of started loans -------------------------------------


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


class _Servicer:
    """Writes each started loan's schedule and the payments made on it by the day of loading.

    Draws from a generator of its own, so that whatever it draws (which depends on the day of
    the month the data is loaded) never moves the customers and loans drawn around it.
    """

    def __init__(self, now: datetime, first_ids: dict[str, int]) -> None:
        self.rng = random.Random(SEED + 1)
        self.now = now
        self.today = now.date()
        self.pick_payer = _Picker(self.rng, PAYERS)
        self.pick_arrears = _Picker(self.rng, ARREARS)
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

    def service(self, loan: dict, method: RepaymentMethod, recorded_by_id: int | None) -> None:
        """Add the loan's installments and payments, and set its outstanding principal."""
        account = self._account(loan, method)
        status = loan["status"]
        if status is LoanStatus.ACTIVE:
            self._pay_running(account)
        elif status is LoanStatus.FINISHED:
            self._pay_off(account, loan["disbursed_on"])
        else:
            self._pay_until_default(account)
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

    def _pay_until_default(self, account: _Account) -> None:
        """Written off: paid for a while, then nothing for at least WRITE_OFF_AFTER."""
        stop = self.today - WRITE_OFF_AFTER
        before_stop = sum(state.due_date < stop for state in account.states)
        self._pay_regularly(account, self.rng.randint(0, max(0, before_stop - 1)), stop, 0)
        self._pay_part(account, account.last_paid_on or stop - WRITE_OFF_AFTER, stop)

    def _write(self, loan: dict, account: _Account, recorded_by_id: int | None) -> None:
        ids = self.next_id
        first_installment_id = ids["installment"]
        for index, state in enumerate(account.states):
            self.installments.append(
                {
                    "id": first_installment_id + index,
                    "loan_id": loan["id"],
                    "number": state.number,
                    "due_date": state.due_date,
                    "principal": state.principal,
                    "interest": state.interest,
                    "principal_paid": state.principal_paid,
                    "interest_paid": state.interest_paid,
                    "paid_on": account.paid_on[index],
                }
            )
        ids["installment"] += len(account.states)
        for day, amount, allocations in account.payments:
            payment_id = ids["payment"]
            ids["payment"] += 1
            booked = datetime.combine(day, OFFICE_OPENS, UTC) + timedelta(
                minutes=self.rng.randrange(OFFICE_MINUTES)
            )
            self.payments.append(
                {
                    "id": payment_id,
                    "loan_id": loan["id"],
                    "paid_on": day,
                    "amount": amount,
                    "reference": f"DEMO-{payment_id:09d}",
                    "recorded_by_id": recorded_by_id,
                    "recorded_at": min(booked, self.now),
                }
            )
            for allocation in allocations:
                self.allocations.append(
                    {
                        "id": ids["allocation"],
                        "payment_id": payment_id,
                        "installment_id": first_installment_id + allocation.number - 1,
                        "principal": allocation.principal,
                        "interest": allocation.interest,
                    }
                )
                ids["allocation"] += 1
        # The installments before the oldest unpaid one owe nothing, so the rest decide.
        standing = position(account.states[account.first_unpaid :])
        loan["principal_outstanding"] = standing.principal_outstanding
        loan["oldest_unpaid_due_on"] = standing.oldest_unpaid_due_date


# --- Loading -----------------------------------------------------------------------------------


def check_not_loaded(session: Session) -> None:
    """Raise DemoAlreadyLoaded when demo logins or any products are already there."""
    present = session.scalars(
        select(User.email).where(User.email.in_(DEMO_LOGIN_EMAILS)).order_by(User.email)
    ).all()
    products = session.scalar(select(func.count()).select_from(Product))
    if present:
        found = ADMIN.email if ADMIN.email in present else present[0]
        raise DemoAlreadyLoaded(
            _("Demo data is already loaded: the login %(email)s exists.", email=found),
            demo_logins_present=ADMIN.email in present,
        )
    if products:
        raise DemoAlreadyLoaded(
            _(
                "Not loading demo data: the database already has products (%(count)s).",
                count=products,
            ),
            demo_logins_present=False,
        )


def load_demo(
    session: Session, customers: int = 200, *, now: datetime | None = None
) -> DemoSummary:
    """Add the demo products, staff, `customers` customers and about three loans each, the
    started ones with their schedules, payments and allocations.

    Refuses (DemoAlreadyLoaded) when demo logins or products already exist. Flushes, never
    commits. `now` fixes the moment the dates count back from (default: the current time).
    """
    check_not_loaded(session)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    start = now - HISTORY - timedelta(days=30)

    password_hash = _hash_once(DEMO_PASSWORD)
    staff = [
        User(
            email=login.email,
            role=login.role,
            full_name=login.full_name,
            password_hash=password_hash,
            created_at=start,
        )
        for login in (ADMIN, *MANAGERS)
    ]
    products = [Product(**spec, created_at=start) for spec in PRODUCTS]
    session.add_all([*staff, *products])
    session.flush()

    managers = [user.id for user in staff if user.role is Role.MANAGER]
    generator = _Generator(
        now,
        products,
        managers=managers,
        deciders=[*managers, staff[0].id],
        taken=_taken_values(session),
    )
    summary = DemoSummary(
        products=len(products),
        inactive_products=sum(not p.active for p in products),
        staff=len(staff),
        customers=customers,
    )
    # Ids are handed out here, so rows can point at each other without reading ids back.
    first_ids = {name: _next_id(session, model) for name, model in OWN_ID_TABLES.items()}
    first_id = first_ids["customer"]
    servicer = _Servicer(now, first_ids)
    methods = {product.id: product.repayment_method for product in products}
    loan_id = first_ids["loan"]
    for chunk_start in range(0, customers, CHUNK_SIZE):
        customer_rows, loan_rows = [], []
        for n in range(chunk_start, min(chunk_start + CHUNK_SIZE, customers)):
            row, loans = generator.customer(first_id + n, n, customers)
            customer_rows.append(row)
            for loan in loans:
                loan["id"] = loan_id
                loan_id += 1
                if loan["disbursed_on"] is None:
                    loan["principal_outstanding"] = ZERO
                    loan["oldest_unpaid_due_on"] = None
                else:
                    servicer.service(loan, methods[loan["product_id"]], row["manager_id"])
            loan_rows.extend(loans)
        installment_rows, payment_rows, allocation_rows = servicer.take()
        for model, rows in (
            (Customer, customer_rows),
            (Loan, loan_rows),
            (Installment, installment_rows),
            (Payment, payment_rows),
            (PaymentAllocation, allocation_rows),
        ):
            _bulk_insert(session, model, rows)
        summary.loans_by_status.update(row["status"] for row in loan_rows)
        summary.installments += len(installment_rows)
        summary.payments += len(payment_rows)
    for model in OWN_ID_TABLES.values():
        _advance_id_sequence(session, model)

    if customers:
        first = session.get(Customer, first_id)
        session.add(
            User(
                email=CUSTOMER_LOGIN_EMAIL,
                role=Role.CUSTOMER,
                full_name=f"{first.first_name} {first.last_name}",
                password_hash=password_hash,
                customer_id=first_id,
                created_at=first.created_at,
            )
        )
    session.flush()
    return summary


def _hash_once(password: str) -> str:
    # Hashing is slow on purpose; all demo logins share the password, so one hash serves them.
    user = User()
    user.set_password(password)
    return user.password_hash


def _taken_values(session: Session) -> dict[str, set[str]]:
    """Phones, e-mails and tax ids already in use, so that the demo never repeats one."""
    columns = {"phone": Customer.phone, "email": Customer.email, "tax_id": Customer.tax_id}
    return {
        name: set(session.scalars(select(column).where(column.is_not(None))))
        for name, column in columns.items()
    }


def _bulk_insert(session: Session, model, rows: list[dict]) -> None:
    """INSERT `rows` (dicts with the same keys) with one executemany of the database driver.

    Core's insert() spends two thirds of its time here preparing the parameters of each row
    through general machinery; the same conversions (each column type's own bind processor
    for this database) applied in one tight loop cost a fraction of that. The ORM's bulk
    path is slower still.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    table = model.__table__
    statement = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
    names = list(statement.positiontup) if statement.positional else list(rows[0])
    columns = [
        (name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names
    ]
    params = []
    for row in rows:
        values = [processor(row[name]) if processor else row[name] for name, processor in columns]
        params.append(
            tuple(values) if statement.positional else dict(zip(names, values, strict=True))
        )
    connection.exec_driver_sql(str(statement), params)


#: The tables whose ids load_demo hands out itself.
OWN_ID_TABLES = {
    "customer": Customer,
    "loan": Loan,
    "installment": Installment,
    "payment": Payment,
    "allocation": PaymentAllocation,
}


def _next_id(session: Session, model) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def _advance_id_sequence(session: Session, model) -> None:
    """PostgreSQL hands out ids from a sequence that explicit ids do not move; move it."""
    if session.get_bind().dialect.name != "postgresql":
        return
    last_id = select(func.max(model.id)).scalar_subquery()
    session.execute(
        select(func.setval(func.pg_get_serial_sequence(model.__tablename__, "id"), last_id))
    )
