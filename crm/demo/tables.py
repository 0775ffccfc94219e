"""The fixed tables the demo data is drawn from: products, names, places, reasons, weights.

Names and places are Ukrainian, as the CRM's customers are; the weights give the mix of
products, statuses and loans per customer that a consumer lender of this kind has.
"""

from datetime import timedelta
from decimal import Decimal

from crm.lending.schedule import RepaymentMethod
from crm.lending.status import LoanStatus
from crm.models import ProductCategory

#: Every demo value comes from `random.Random(SEED)`, or `SEED + 1` for the payments, so each
#: load draws the same values.
SEED = 20261125
#: Customers joined over about the last two years.
HISTORY = timedelta(days=730)
#: Birth dates keep every customer between 18 and 75 years old.
YOUNGEST_AGE, OLDEST_AGE_AT_JOINING = 18, 72
DAYS_PER_YEAR = 365.25


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


# --- Loans -------------------------------------------------------------------------------------

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
#: The loans of the first customer, whom the demo's customer login belongs to, so that the
#: personal account shows a loan in each state: a finished one, a running one paid so far
#: with the next installment paid in part, and an application waiting for a decision. Each
#: is (product, by its place in PRODUCTS; status; amount; term in months; days from the
#: application to the day of loading), the same on every load.
SHOWCASE_LOANS = (
    (1, LoanStatus.FINISHED, 12_000, 6, 400),
    (0, LoanStatus.ACTIVE, 30_000, 12, 200),
    (2, LoanStatus.PENDING, 50_000, 24, 2),
)
#: The first customer joined at least this long before the day of loading: before the
#: first of their loans.
SHOWCASE_JOINED = timedelta(days=420)
#: Their applications were decided, and the loans paid out, this long after they came in.
SHOWCASE_DECISION_DELAY = timedelta(hours=2)
