"""Money, numbers, dates and phone numbers written for the user's language, and the
reverse: amounts and dates read the way people type them in that language."""

import re
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import cache, lru_cache

import phonenumbers
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import (
    NumberFormatError,
    NumberPattern,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
    parse_pattern,
)
from flask_babel import format_date, format_datetime, get_locale, get_timezone
from flask_babel import gettext as _

from crm.i18n.locale import current_locale
from crm.lending.money import round_money

CURRENCY = "UAH"

#: Money patterns per language; the no-break spaces keep an amount on one line.
#: Ukrainian writes "грн" after the amount (CLDR's default symbol is ₴, which people rarely
#: type or read in a lender's papers); English puts the currency code first.
MONEY_PATTERNS = {
    "uk": "#,##0.00\u00a0'грн'",
    "en": "¤\u00a0#,##0.00",
}
#: Dates as each language writes them in tables; others use Babel's medium format.
DATE_PATTERNS = {"uk": "dd.MM.yyyy"}
DATETIME_PATTERNS = {"uk": "dd.MM.yyyy, HH:mm"}
#: How dates may be typed, besides ISO 8601 (2025-03-09), which every language accepts.
DATE_INPUT_FORMATS = {"uk": ("%d.%m.%Y",)}
#: Currency marks people may type after or before an amount (and only there).
CURRENCY_MARKS = re.compile(r"(?i)^\s*(?:грн\.?|₴|uah)|(?:грн\.?|₴|uah)\s*$")
#: The spaces people group digits with: plain, no-break, thin and narrow no-break.
GROUP_SPACES = re.compile("[ \u00a0\u2009\u202f]")
#: A whole number as people type one: ASCII digits only.
WHOLE_NUMBER = re.compile(r"[0-9]+")


def _language() -> str:
    locale = current_locale()
    return locale.language if locale else "en"


@cache
def _number_pattern(pattern: str) -> NumberPattern:
    # What Babel's format_decimal and format_currency do first on every call: a page's
    # hundreds of amounts share a handful of patterns.
    return parse_pattern(pattern)


def _formatted(value: Decimal | int, pattern: str, currency: str | None = None) -> str:
    """`value` written with a CLDR number pattern for the user's locale (English outside a
    request), as Flask-Babel's format_decimal and format_currency write it."""
    return _written_number(value, pattern, current_locale() or Locale("en"), currency)


#: A page writes tens of amounts, and the same ones on every view (a product's limits, a
#: schedule's instalments): Babel takes ~30 µs for each, a kept one ~1 µs. Values equal as
#: numbers (1.5 and 1.50) are written alike, as the pattern fixes the decimals; `typed` keeps
#: a count (int) apart from an amount.
@lru_cache(maxsize=4096, typed=True)
def _written_number(
    value: Decimal | int, pattern: str, locale: Locale, currency: str | None
) -> str:
    if currency is None:
        return _number_pattern(pattern).apply(value, locale)
    return _number_pattern(pattern).apply(value, locale, currency=currency, currency_digits=False)


def money(value: Decimal | None) -> str:
    """UAH 1,234.50 in English, 1 234,50 грн in Ukrainian (no-break spaces)."""
    if value is None:
        return ""
    pattern = MONEY_PATTERNS.get(_language(), MONEY_PATTERNS["en"])
    return _formatted(value, pattern, CURRENCY)


def amount(value: Decimal | None) -> str:
    """An amount without the currency, for form inputs: 1,234.50 or 1 234,50."""
    return "" if value is None else _formatted(value, "#,##0.00")


def plain_amounts() -> Callable[[Decimal], str]:
    """A function that writes amounts for files that spreadsheets read as numbers: rounded
    to the cent (half up), two decimals and the language's decimal sign, without grouping or
    currency: 1234,50 (uk) or 1234.50 (en). The sign is looked up once, not once an amount:
    a file has many, and Babel's formatting of each would cost more than the rest of its row.
    """
    decimal = get_decimal_symbol(get_locale() or "en")

    def plain_amount(value: Decimal) -> str:
        return format(round_money(value), "f").replace(".", decimal)

    return plain_amount


def number(value: int | None) -> str:
    """A count with the locale's digit grouping: 12,345."""
    return "" if value is None else _formatted(value, "#,##0")


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{_formatted(value, '#,##0.00##')} %"


def day(value: date | datetime | None, time: bool = True) -> str:
    """A date, or a moment in the user's time zone; `time=False` drops the time (for lists)."""
    if value is None:
        return ""
    locale = current_locale() or Locale("en")
    if isinstance(value, datetime):
        if time:
            pattern = DATETIME_PATTERNS.get(locale.language, "short")
        else:
            pattern = DATE_PATTERNS.get(locale.language, "medium")
        return _written_moment(value, locale, get_timezone(), pattern, time)
    return _written_date(value, locale, DATE_PATTERNS.get(locale.language, "medium"))


#: A card or a list writes the same moments on every view (its events, its contacts): Flask-
#: Babel takes ~25 µs for each, moving it into the user's time zone first. The locale and the
#: zone are the request's, which Flask-Babel reads; they are in the key so that a moment
#: written for one is never served to another.
@lru_cache(maxsize=4096)
def _written_moment(
    value: datetime, _locale: Locale, _zone: tzinfo, pattern: str, time: bool
) -> str:
    return format_datetime(value, pattern) if time else format_date(value, pattern)


#: A list writes tens of dates, most of them again and again (due dates, today's): Flask-Babel
#: takes ~13 µs for each, a kept one well under 1 µs. A day's writing depends on nothing else.
@lru_cache(maxsize=4096)
def _written_date(value: date, locale: Locale, pattern: str) -> str:
    return babel_format_date(value, pattern, locale=locale)


def phone(value: str | None) -> str:
    """+380501234567 → +380 50 123 4567; anything that does not parse is shown as stored."""
    return _written_phone(value) if value else ""


#: Parsing a number costs ~16 µs and a list shows 25–75: the latest few thousand are kept
#: (their writing depends on nothing but the number).
@lru_cache(maxsize=4096)
def _written_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def product_choice(product) -> str:
    """A product as a drop-down of products on offer names it: its name, rate and limits."""
    return _(
        "%(name)s: %(rate)s a year, %(low)s to %(high)s, %(shortest)d to %(longest)d months",
        name=product.name,
        rate=percent(product.annual_rate),
        low=money(product.min_amount),
        high=money(product.max_amount),
        shortest=product.min_term,
        longest=product.max_term,
    )


def parse_amount(text: str | None, locale: Locale | str | None = None) -> Decimal | None:
    """The number in `text` as a Decimal, read the way the locale writes numbers.

    Ukrainian: "1 234,56" (a plain, no-break or thin space groups digits), "1234,56" and
    "1234.56"; English: "1,234.56" and "1234.56". A currency mark (грн, ₴, UAH) before or
    after it is ignored. Empty text gives None. Only ASCII digits and the locale's
    separators make a number: an exponent ("1e2"), an underscore ("1_000"), a sign ("+100",
    "-5"), other scripts' digits ("١٢٣", "１２３"), misplaced group separators ("12,34.5") and
    a point and a comma together in Ukrainian raise ValueError. The caller checks the range
    and the decimal places (a huge number is a number here, refused there).
    """
    cleaned = CURRENCY_MARKS.sub("", text or "").strip()
    if not cleaned:
        return None
    locale = Locale.parse(locale or get_locale() or "en")
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    if group.isspace():
        cleaned = GROUP_SPACES.sub(group, cleaned)
        if decimal != "." and "." in cleaned:
            if decimal in cleaned:
                raise ValueError(f"both {decimal!r} and '.' in {text!r}")
            # A decimal point typed on an English keyboard (or pasted from a bank statement).
            cleaned = cleaned.replace(".", decimal)
    if not re.fullmatch(f"[0-9{re.escape(group + decimal)}]+", cleaned):
        raise ValueError(f"{text!r} is not written with digits and {group!r}, {decimal!r} only")
    try:
        return parse_decimal(cleaned, locale=locale, strict=True)
    except NumberFormatError as error:
        raise ValueError(str(error)) from None


def parse_whole_number(text: str | None) -> int | None:
    """A whole number typed in ASCII digits ("12"), or None for empty text; a sign, an
    underscore, a decimal part or other scripts' digits (which int() would take) raise
    ValueError. The caller checks the range."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if not WHOLE_NUMBER.fullmatch(cleaned):
        raise ValueError(f"{text!r} is not a whole number")
    return int(cleaned)


def parse_day(text: str | None, locale: Locale | str | None = None) -> date | None:
    """A date typed as ISO 8601 (2025-03-09) or in the locale's own way (09.03.2025 in
    Ukrainian). Empty text gives None; anything else raises ValueError."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    language = Locale.parse(locale or get_locale() or "en").language
    for pattern in ("%Y-%m-%d", *DATE_INPUT_FORMATS.get(language, ())):
        try:
            return datetime.strptime(cleaned, pattern).date()  # noqa: DTZ007 (a date, no zone)
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date")
