"""The dashboard's charts as the page carries them: the table behind each chart, with the
months named and the figures written in the user's language, and the plain numbers the
script draws in data-value."""

import re
from datetime import timedelta
from decimal import Decimal

from crm.clock import lender_day_start, lender_today
from crm.extensions import db
from crm.i18n.formats import money
from crm.lending.schedule import add_months
from crm.lending.status import LoanStatus
from crm.reports.queries.portfolio import portfolio_as_of
from crm.reports.services import record_month_ends
from tests import factories
from tests.dashboard.test_routes import overdue_loan

ENGLISH = {"Accept-Language": "en"}
UKRAINIAN = {"Accept-Language": "uk"}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "uk": "Січень Лютий Березень Квітень Травень Червень Липень Серпень Вересень Жовтень "
    "Листопад Грудень",
}


def month_name(day, language: str) -> str:
    return f"{MONTHS[language].split()[day.month - 1]} {day.year}"


def chart_table(html: str, key: str) -> dict:
    """A chart's table: its kind, the drawn columns' headers with their colours, and each
    row's cells as (data-value, text) under the row's header."""
    match = re.search(rf'<table[^>]*id="chart-{key}-table"[^>]*>.*?</table>', html, re.DOTALL)
    assert match, f"no table for the {key} chart"
    table = match.group(0)
    head, body = table.split("<tbody>")
    return {
        "kind": re.search(r'data-chart="([^"]+)"', table).group(1),
        "drawn": re.findall(r'<th scope="col" class="num" data-colour="(#[0-9A-F]{6})"', head),
        "columns": re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', head),
        "rows": {
            re.search(r'<th scope="row"[^>]*>([^<]+)</th>', row).group(1): re.findall(
                r'<td[^>]*data-value="([^"]*)"[^>]*>([^<]*)</td>', row
            )
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
        },
    }


def a_portfolio():
    """This month: applications of every outcome and two disbursements; last month: one
    finished loan disbursed; one loan 45 days past due."""
    this_month = lender_today().replace(day=1)
    last_month = add_months(this_month, -1)
    in_this, in_last = lender_day_start(this_month), lender_day_start(last_month)
    for status in (LoanStatus.PENDING, LoanStatus.PENDING, LoanStatus.REFUSED):
        factories.LoanFactory(status=status, created_at=in_this)
    for amount in ("1000.10", "2500.00"):
        factories.LoanFactory(
            status=LoanStatus.ACTIVE,
            created_at=in_this,
            disbursed_on=this_month,
            amount=Decimal(amount),
        )
    factories.LoanFactory(
        status=LoanStatus.FINISHED,
        created_at=in_last + timedelta(hours=1),
        disbursed_on=last_month,
        amount=Decimal("999.99"),
    )
    # Made long ago (the factory's created_at is now): disbursed 75 days ago.
    overdue_loan(45, "2000.00", created_at=in_last - timedelta(days=400))
    return this_month, last_month


def test_the_charts_tables_in_english(staff_client):
    this_month, last_month = a_portfolio()

    html = staff_client.get("/", headers=ENGLISH).get_data(as_text=True)

    applications = chart_table(html, "applications")
    assert applications["kind"] == "stacked-bar"
    assert applications["columns"] == [
        "Month", "Approved", "Pending", "Refused", "Withdrawn", "Total"
    ]  # fmt: skip
    assert applications["drawn"] == ["#009E73", "#56B4E9", "#D55E00", "#999999"]
    rows = applications["rows"]
    assert list(rows)[-2:] == [month_name(last_month, "en"), month_name(this_month, "en")]
    assert rows[month_name(this_month, "en")] == [
        ("2", "2"), ("2", "2"), ("1", "1"), ("0", "0"), ("5", "5")
    ]  # fmt: skip
    assert rows[month_name(last_month, "en")][0] == ("1", "1")
    short = month_name(this_month, "en").replace(
        this_month.strftime("%B"), this_month.strftime("%b")
    )
    assert f'data-label="{short}">{month_name(this_month, "en")}<' in html

    disbursements = chart_table(html, "disbursements")
    assert disbursements["kind"] == "bar-line"
    assert disbursements["columns"] == ["Month", "Amount disbursed", "Loans disbursed"]
    assert disbursements["rows"][month_name(this_month, "en")] == [
        ("3500.10", "UAH\u00a03,500.10"), ("2", "2")
    ]  # fmt: skip
    assert disbursements["rows"][month_name(last_month, "en")] == [
        ("999.99", "UAH\u00a0999.99"), ("1", "1")
    ]  # fmt: skip

    buckets = chart_table(html, "buckets")
    assert buckets["kind"] == "bar"
    assert buckets["rows"] == {
        # The two started this month, made without a schedule: nothing outstanding.
        "Current": [("0.00", "UAH\u00a00.00"), ("2", "2")],
        "1–30 days": [("0.00", "UAH\u00a00.00"), ("0", "0")],
        "31–60 days": [("2100.00", "UAH\u00a02,100.00"), ("1", "1")],
        "61–90 days": [("0.00", "UAH\u00a00.00"), ("0", "0")],
        "Over 90 days": [("0.00", "UAH\u00a00.00"), ("0", "0")],
    }
    assert 'data-colour="#D55E00">31–60 days<' in html


def test_the_charts_tables_in_ukrainian(staff_client):
    this_month, _last_month = a_portfolio()

    html = staff_client.get("/", headers=UKRAINIAN).get_data(as_text=True)

    assert '<h2 class="h6 text-body-secondary mb-2" id="charts">Графіки</h2>' in html
    assert "Показати дані таблицею" in html
    applications = chart_table(html, "applications")
    assert applications["columns"] == [
        "Місяць", "Схвалено", "На розгляді", "Відмовлено", "Відкликано", "Разом"
    ]  # fmt: skip
    assert applications["rows"][month_name(this_month, "uk")][-1] == ("5", "5")
    disbursements = chart_table(html, "disbursements")
    assert disbursements["columns"] == ["Місяць", "Сума видач", "Кількість видач"]
    assert disbursements["rows"][month_name(this_month, "uk")] == [
        ("3500.10", "3\u00a0500,10\u00a0грн"), ("2", "2")
    ]  # fmt: skip
    buckets = chart_table(html, "buckets")
    assert buckets["rows"]["31–60 днів"] == [("2100.00", "2\u00a0100,00\u00a0грн"), ("1", "1")]


def test_twelve_months_up_to_this_one_and_zeros_where_nothing_happened(staff_client):
    this_month = lender_today().replace(day=1)

    html = staff_client.get("/", headers=ENGLISH).get_data(as_text=True)

    for key in ("applications", "disbursements"):
        rows = chart_table(html, key)["rows"]
        assert list(rows) == [month_name(add_months(this_month, n), "en") for n in range(-11, 1)]
        assert {value for cells in rows.values() for value, _text in cells} <= {"0", "0.00"}
    assert len(chart_table(html, "buckets")["rows"]) == 5


def test_my_customers_charts_count_only_their_loans(staff_client, manager):
    this_month = lender_today().replace(day=1)
    mine = factories.CustomerFactory(manager=manager)
    for customer in (mine, factories.CustomerFactory()):
        factories.LoanFactory(
            customer=customer,
            status=LoanStatus.ACTIVE,
            disbursed_on=this_month,
            amount=Decimal("100.00"),
        )
        overdue_loan(10, "50.00", customer=customer)

    everyone = staff_client.get("/", headers=ENGLISH).get_data(as_text=True)
    my_own = staff_client.get("/?mine=1", headers=ENGLISH).get_data(as_text=True)

    assert 'id="charts">Charts of my customers<' in my_own
    month = month_name(this_month, "en")
    assert chart_table(everyone, "applications")["rows"][month][0] == ("4", "4")
    assert chart_table(my_own, "applications")["rows"][month][0] == ("2", "2")
    assert chart_table(my_own, "disbursements")["rows"][month][1] == ("1", "1")
    assert chart_table(my_own, "buckets")["rows"]["1–30 days"] == [
        ("150.00", "UAH\u00a0150.00"), ("1", "1")
    ]  # fmt: skip


def test_the_page_loads_the_vendored_chart_js_and_no_inline_script(staff_client):
    html = staff_client.get("/").get_data(as_text=True)

    assert '<script src="/static/vendor/chartjs/chart.umd.min.js" defer></script>' in html
    assert '<script src="/static/js/charts.js" defer></script>' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    with staff_client.get("/static/vendor/chartjs/chart.umd.min.js") as script:
        assert script.status_code == 200
        assert b"Chart.js v4.6.1" in script.data[:200]


def test_the_par_chart_reads_the_kept_month_ends_and_leaves_the_others_blank(staff_client, manager):
    today = lender_today()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    overdue_loan(45, "100.00")
    record_month_ends(db.session, today, 1)
    db.session.commit()
    table = chart_table(staff_client.get("/", headers=ENGLISH).get_data(as_text=True), "par")
    assert table["kind"] == "line"
    assert table["columns"] == ["Month", "PAR1", "PAR30", "PAR90", "Outstanding principal"]
    rows = list(table["rows"].values())
    assert len(rows) == 12
    assert rows[:-1] == [[("", "—")] * 4] * 11
    kept = portfolio_as_of(db.session, last_month_end)
    assert rows[-1][3] == (str(kept.outstanding), money(kept.outstanding))
    assert list(table["rows"])[-1] == month_name(last_month_end, "en")
