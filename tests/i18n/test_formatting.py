"""Money, numbers and dates shown, and typed, the way each language writes them."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from crm.i18n.fields import DateInputField, DecimalInputField, MoneyField, WholeNumberField
from crm.i18n.formats import (
    amount,
    day,
    money,
    number,
    parse_amount,
    parse_day,
    parse_whole_number,
    percent,
)

NBSP = "\u00a0"


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("uk", Decimal("1234.56"), f"1{NBSP}234,56{NBSP}грн"),
        ("uk", Decimal("0.5"), f"0,50{NBSP}грн"),
        ("uk", Decimal("-1234567.8"), f"-1{NBSP}234{NBSP}567,80{NBSP}грн"),
        ("en", Decimal("1234.56"), f"UAH{NBSP}1,234.56"),
        ("en", Decimal("0.5"), f"UAH{NBSP}0.50"),
        ("en", Decimal("-1234567.8"), f"-UAH{NBSP}1,234,567.80"),
    ],
)
def test_money_is_written_the_way_the_language_writes_it(
    request_context, language, value, expected
):
    with force_locale(language):
        assert money(value) == expected


def test_nothing_is_shown_for_no_value(request_context):
    for language in ("uk", "en"):
        with force_locale(language):
            assert (money(None), amount(None), number(None), percent(None), day(None)) == (
                ("",) * 5
            )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("uk", (f"12{NBSP}345", "18,50 %", f"1{NBSP}234,50")),
        ("en", ("12,345", "18.50 %", "1,234.50")),
    ],
)
def test_numbers_rates_and_form_amounts_follow_the_language(request_context, language, expected):
    with force_locale(language):
        assert (number(12345), percent(Decimal("18.5")), amount(Decimal("1234.5"))) == expected


@pytest.mark.parametrize(
    ("language", "expected_date", "expected_moment"),
    [
        ("uk", "09.03.2025", "09.03.2025, 14:30"),
        ("en", "Mar 9, 2025", "3/9/25, 2:30\u202fPM"),
    ],
)
def test_dates_and_moments_follow_the_language_and_kyiv_time(
    request_context, language, expected_date, expected_moment
):
    # 12:30 UTC is 14:30 in Kyiv in March (winter time, UTC+2).
    moment = datetime(2025, 3, 9, 12, 30, tzinfo=UTC)
    with force_locale(language):
        assert day(date(2025, 3, 9)) == expected_date
        assert day(moment) == expected_moment
        assert day(moment, time=False) == expected_date


def test_a_day_written_in_one_language_is_written_in_the_other_after(request_context):
    written = []
    for language in ("uk", "en", "uk", "en"):
        with force_locale(language):
            written.append(day(date(2025, 3, 10)))

    assert written == ["10.03.2025", "Mar 10, 2025", "10.03.2025", "Mar 10, 2025"]


def test_a_moment_is_written_in_the_time_zone_and_language_of_each_request(app, build_app):
    in_utc = build_app(BABEL_DEFAULT_TIMEZONE="UTC")
    # 22:30 UTC on 10 March is already 11 March in Kyiv (UTC+2), not yet in UTC.
    moment = datetime(2025, 3, 10, 22, 30, tzinfo=UTC)
    written = []
    for lender in (app, in_utc, app):
        for language in ("uk", "en"):
            with lender.test_request_context(), force_locale(language):
                written.append(day(moment, time=False))

    kyiv, utc = ["11.03.2025", "Mar 11, 2025"], ["10.03.2025", "Mar 10, 2025"]
    assert written == kyiv + utc + kyiv


def test_amounts_written_in_one_language_are_written_in_the_other_after(request_context):
    written = []
    for language in ("uk", "en", "uk", "en"):
        with force_locale(language):
            written.append((money(Decimal("1234.5")), number(1234), percent(Decimal("12.5"))))

    uk = (f"1{NBSP}234,50{NBSP}грн", f"1{NBSP}234", "12,50 %")
    en = (f"UAH{NBSP}1,234.50", "1,234", "12.50 %")
    assert written == [uk, en, uk, en]


@pytest.mark.parametrize(
    ("write", "values", "expected"),
    [
        (
            money,
            [Decimal("7.5"), Decimal("7.50"), Decimal("7.500"), Decimal("7.506")],
            ["7.50"] * 3 + ["7.51"],
        ),
        (
            percent,
            [Decimal("12.5"), Decimal("12.5000"), Decimal("12.12346")],
            ["12.50 %"] * 2 + ["12.1235 %"],
        ),
        (number, [5, Decimal("5"), Decimal("5.0")], ["5"] * 3),
    ],
)
def test_a_number_is_written_by_its_value_whichever_way_it_was_written_before(
    request_context, write, values, expected
):
    with force_locale("en"):
        written = [write(value).removeprefix(f"UAH{NBSP}") for value in values]

    assert written == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("uk", "1 234,56", Decimal("1234.56")),
        ("uk", f"1{NBSP}234,56", Decimal("1234.56")),
        ("uk", "1\u202f234,56", Decimal("1234.56")),
        ("uk", "1234,56", Decimal("1234.56")),
        ("uk", "1234.56", Decimal("1234.56")),
        ("uk", "  10 000 ", Decimal("10000")),
        ("uk", "1 234,56 грн", Decimal("1234.56")),
        ("uk", "0,5", Decimal("0.5")),
        ("en", "1,234.56", Decimal("1234.56")),
        ("en", "1234.56", Decimal("1234.56")),
        ("en", "10,000", Decimal("10000")),
        ("en", "UAH 1,234.56", Decimal("1234.56")),
        # A huge number is a number; the services refuse it as too large.
        ("en", "9" * 400, Decimal("9" * 400)),
    ],
)
def test_amounts_are_read_the_way_the_language_writes_them(language, text, expected):
    assert parse_amount(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("uk", "1,234.56"),
        ("uk", "1.234,56"),
        ("uk", "12 34,5"),
        ("uk", "сто"),
        ("uk", "1,2,3"),
        ("en", "1 234,56"),
        ("en", "1234,56"),
        ("en", "12,34.5"),
        ("en", "1.234.5"),
        ("en", "NaN"),
        ("en", "Infinity"),
        ("en", "1e5x"),
        # Only ASCII digits and the language's separators: no exponent, underscore or sign,
        # no other scripts' digits (all of which Decimal() and int() take).
        ("en", "1e309"),
        ("en", "1e2"),
        ("en", "1E2"),
        ("en", "1_000"),
        ("en", "+100"),
        ("en", "-5"),
        ("uk", "١٢٣"),
        ("uk", "１２３"),
        ("en", "४२"),
        ("en", "0x10"),
        ("en", "1\x00"),
        ("uk", "1\n000"),
        ("uk", "1грн000"),
    ],
)
def test_amounts_in_another_languages_format_are_refused(language, text):
    with pytest.raises(ValueError):  # noqa: PT011 (any malformed amount, whatever the detail)
        parse_amount(text, language)


def test_empty_amounts_and_dates_are_none():
    assert parse_amount("  ", "uk") is None
    assert parse_day("", "uk") is None
    assert parse_whole_number(" ") is None


@pytest.mark.parametrize("text", ["+12", "-1", "1_2", "١٢", "１２", "12.0", "1e2", "9" * 5000])
def test_whole_numbers_are_ascii_digits_only(text):
    assert parse_whole_number(" 12 ") == 12
    with pytest.raises(ValueError):  # noqa: PT011 (any malformed number, whatever the detail)
        parse_whole_number(text)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("uk", "09.03.2025", date(2025, 3, 9)),
        ("uk", "2025-03-09", date(2025, 3, 9)),
        ("en", "2025-03-09", date(2025, 3, 9)),
    ],
)
def test_dates_are_read_as_iso_or_as_the_language_writes_them(language, text, expected):
    assert parse_day(text, language) == expected


@pytest.mark.parametrize(("language", "text"), [("en", "09.03.2025"), ("uk", "31.02.2025")])
def test_dates_that_do_not_parse_are_refused(language, text):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_day(text, language)


class PaymentForm(FlaskForm):
    class Meta:
        csrf = False

    amount = MoneyField()
    rate = DecimalInputField()
    paid_on = DateInputField()
    term = WholeNumberField()


def submitted(**values) -> PaymentForm:
    return PaymentForm(formdata=MultiDict(values))


def test_the_fields_read_ukrainian_input(request_context):
    with force_locale("uk"):
        form = submitted(amount="1 234,56", rate="18,5", paid_on="09.03.2025", term="12")

        assert form.validate()
        assert form.data == {
            "amount": Decimal("1234.56"),
            "rate": Decimal("18.5"),
            "paid_on": date(2025, 3, 9),
            "term": 12,
        }


def test_the_fields_say_how_to_type_a_value_in_the_users_language(request_context):
    with force_locale("uk"):
        form = submitted(amount="1,234.56", rate="1e1", paid_on="2025/03/09", term="١٢")

        assert not form.validate()
        assert form.errors == {
            "amount": [f"Введіть суму, наприклад 1{NBSP}234,56."],
            "rate": ["Введіть число, наприклад 18,5."],
            "paid_on": ["Введіть дату, наприклад 09.03.2025."],
            "term": ["Введіть ціле число, наприклад 12."],
        }
    with force_locale("en"):
        form = submitted(amount="1 234,56", term="+12")

        assert not form.validate()
        assert form.errors["amount"] == ["Type an amount such as 1,234.56."]
        assert form.errors["term"] == ["Type a whole number such as 12."]


def test_the_fields_show_stored_values_in_the_language(request_context):
    form = PaymentForm(
        data={"amount": Decimal("1234.5"), "rate": Decimal("18.5"), "paid_on": date(2025, 3, 9)}
    )
    with force_locale("uk"):
        assert (form.amount._value(), form.rate._value(), form.paid_on._value()) == (
            f"1{NBSP}234,50",
            "18,5",
            "09.03.2025",
        )
        assert 'inputmode="decimal"' in str(form.amount())
        assert 'data-date-format="DD.MM.YYYY"' in str(form.paid_on())
    with force_locale("en"):
        assert (form.amount._value(), form.rate._value(), form.paid_on._value()) == (
            "1,234.50",
            "18.5",
            "2025-03-09",
        )
        assert 'data-date-format="YYYY-MM-DD"' in str(form.paid_on())
