"""The reports' pages (/reports/): who opens them, the figures they show in each language,
bad filters, the lists behind the figures and the queries each page costs. The book is
tests/reports/period_book.py's, up to the end of May 2025."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from crm.models import Role
from tests import factories

AS_OF = "/reports/?as_of=2025-03-31"
FEBRUARY = "since=2025-02-01&until=2025-02-28"
MARCH = "since=2025-03-01&until=2025-03-31"
APRIL_MAY = "since=2025-04-01&until=2025-05-31"
JANUARY_TO_MAY = "since=2025-01-01&until=2025-05-31"
PAGES = [
    AS_OF,
    f"/reports/disbursements?{FEBRUARY}",
    f"/reports/collections?{MARCH}",
    f"/reports/write-offs?{APRIL_MAY}",
    f"/reports/applications?{JANUARY_TO_MAY}",
    "/reports/loans?measure=par1&as_of=2025-03-31",
    f"/reports/loans?measure=due&{MARCH}",
]
ENGLISH = {"Accept-Language": "en"}
UKRAINIAN = {"Accept-Language": "uk"}
#: A number, possibly grouped (1,234 or 1 234 with a no-break space).
COUNT = re.compile(r"[0-9][0-9,\u00a0]*")


def text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:div|span|p)>', html, re.S)
    assert match, f"no #{element_id}"
    # Only ASCII white space is collapsed: money keeps its no-break spaces.
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", "", match.group(1)))).strip()


def field_error(html: str, name: str) -> str | None:
    """The message beside the field `name` of the filters, if any."""
    match = re.search(
        rf'name="{name}"[^>]*>(?:</select>)?\s*<div class="invalid-feedback">([^<]*)</div>',
        re.sub(r"<option[^>]*>[^<]*</option>", "", html),
    )
    return unescape(match.group(1)) if match else None


def loan_links(html: str) -> list[tuple[str, str]]:
    """(address, text) of each link to a list of loans behind a figure."""
    links = re.findall(r'<a[^>]*href="(/reports/loans\?[^"]*)"[^>]*>([^<]*)</a>', html)
    return [(unescape(href), unescape(text).strip()) for href, text in links]


def listed_loans(client, href: str) -> list[int]:
    """The loans a list behind a figure shows, every page of it."""
    html = client.get(href).get_data(as_text=True)
    total = int(re.sub(r"\D", "", text_of(html, "loans-total")))
    shown = [int(loan) for loan in re.findall(r'<tr data-loan="(\d+)"', html)]
    assert len(shown) == total, "one page holds the book's lists"
    return shown


# --- Who opens them ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_a_customer_is_refused(client, login, book, customer_user, path):
    login(customer_user)

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, book, path):
    response = client.get(path)

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
@pytest.mark.parametrize("path", PAGES)
def test_staff_open_every_report(client, login, book, role, path):
    login(factories.UserFactory(role=role))

    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_navbar_links_to_the_reports(petro):
    html = petro.get("/").get_data(as_text=True)

    assert 'href="/reports/"' in html


def test_the_reports_default_to_today_and_the_current_month(petro):
    portfolio = petro.get("/reports/")
    collections = petro.get("/reports/collections")

    assert portfolio.status_code == collections.status_code == 200
    html = collections.get_data(as_text=True)
    since = re.search(r'name="since" type="date" value="([0-9-]+)"', html).group(1)
    until = re.search(r'name="until" type="date" value="([0-9-]+)"', html).group(1)
    assert since.endswith("-01")
    assert since[:7] == until[:7]


# --- The figures, in English and in Ukrainian -------------------------------------------------


def test_portfolio_in_english(petro):
    html = petro.get(AS_OF, headers=ENGLISH).get_data(as_text=True)

    assert text_of(html, "figure-active-loans") == "3"
    assert text_of(html, "figure-outstanding") == "UAH\u00a022,902.77"
    assert text_of(html, "figure-overdue-amount") == "UAH\u00a0888.49"
    assert text_of(html, "figure-par1") == "43.66 %"
    assert text_of(html, "figure-par30") == "0.00 %"
    assert "Mar 31, 2025" in text_of(html, "report-basis")
    assert "Nobody’s customers" in html


def test_portfolio_in_ukrainian(petro):
    html = petro.get(AS_OF, headers=UKRAINIAN).get_data(as_text=True)

    assert text_of(html, "figure-outstanding") == "22\u00a0902,77\u00a0грн"
    assert text_of(html, "figure-par1") == "43,66 %"
    assert "31.03.2025" in text_of(html, "report-basis")
    assert "Портфель" in html


def test_an_empty_portfolio_has_no_par(client, login, manager):
    login(manager)

    html = client.get(AS_OF).get_data(as_text=True)

    assert text_of(html, "figure-active-loans") == "0"
    assert text_of(html, "figure-par30") == "—"


@pytest.mark.parametrize(
    ("path", "figures_en", "figures_uk"),
    [
        (
            f"/reports/disbursements?{FEBRUARY}",
            {"figure-loans": "2", "figure-amount": "UAH\u00a015,000.00"},
            {"figure-amount": "15\u00a0000,00\u00a0грн"},
        ),
        (
            f"/reports/collections?{MARCH}",
            {
                "figure-due": "UAH\u00a02,081.89",
                "figure-received": "UAH\u00a01,193.40",
                "figure-efficiency": "57.32 %",
                "figure-paid": "UAH\u00a01,498.31",
            },
            {"figure-due": "2\u00a0081,89\u00a0грн", "figure-efficiency": "57,32 %"},
        ),
        (
            f"/reports/write-offs?{APRIL_MAY}",
            {"figure-loans": "1", "figure-amount": "UAH\u00a04,745.09"},
            {"figure-amount": "4\u00a0745,09\u00a0грн"},
        ),
        (
            f"/reports/applications?{JANUARY_TO_MAY}",
            {
                "figure-total": "7",
                "figure-approved": "4",
                "figure-refused": "2",
                "figure-withdrawn": "1",
                "figure-pending": "0",
                "figure-approval-rate": "57.14 %",
            },
            {"figure-approval-rate": "57,14 %"},
        ),
    ],
    ids=["disbursements", "collections", "write-offs", "applications"],
)
def test_period_reports_in_both_languages(petro, path, figures_en, figures_uk):
    for headers, figures in ((ENGLISH, figures_en), (UKRAINIAN, figures_uk)):
        html = petro.get(path, headers=headers).get_data(as_text=True)
        assert {key: text_of(html, key) for key in figures} == figures, headers


def test_a_period_report_names_its_days_in_the_users_language(petro):
    english = petro.get(f"/reports/collections?{MARCH}", headers=ENGLISH).get_data(as_text=True)
    ukrainian = petro.get(f"/reports/collections?{MARCH}", headers=UKRAINIAN).get_data(as_text=True)

    assert "Mar 1, 2025" in text_of(english, "report-basis")
    assert "01.03.2025" in text_of(ukrainian, "report-basis")


def test_a_ratio_with_nothing_to_divide_by_is_a_dash(petro):
    html = petro.get("/reports/applications?since=2025-03-01&until=2025-03-31").get_data(
        as_text=True
    )

    # Nothing made in March was decided by its end: G only, pending.
    assert text_of(html, "figure-pending") == "1"
    assert text_of(html, "figure-approval-rate") == "—"


def test_the_filters_narrow_the_report(petro, book):
    html = petro.get(f"{AS_OF}&manager_id=none").get_data(as_text=True)
    beta = petro.get(f"/reports/disbursements?{FEBRUARY}&product_id={book.beta.id}")

    assert text_of(html, "figure-active-loans") == "1"
    assert text_of(beta.get_data(as_text=True), "figure-amount") == "UAH\u00a05,000.00"


# --- Bad filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        ("/reports/?as_of=31%2F03%2F2025", "as_of", "Type a date such as 2025-03-09."),
        ("/reports/?as_of=2999-01-01", "as_of", "The day cannot be in the future."),
        ("/reports/?as_of=0001-01-01", "as_of", "The day is too far in the past."),
        ("/reports/?product_id=999999", "product_id", "There is no such product."),
        ("/reports/?product_id=%C2%B2", "product_id", "There is no such product."),
        ("/reports/?manager_id=abc", "manager_id", "There is no such manager."),
        (
            "/reports/collections?since=2025-03-02&until=2025-03-01",
            "until",
            "The period cannot end before it starts.",
        ),
        (
            "/reports/disbursements?since=2024-01-01&until=2025-03-01",
            "until",
            "A period is at most 366 days long.",
        ),
        ("/reports/write-offs?since=x", "since", "Type a date such as 2025-03-09."),
        ("/reports/applications?until=9999-12-31", "until", "The day cannot be in the future."),
        ("/reports/loans?measure=everything", "measure", "There is no such figure."),
        ("/reports/loans?measure=bucket", "bucket", "Choose a bucket."),
        ("/reports/loans?measure=bucket&bucket=1-1000", "bucket", "There is no such bucket."),
        (
            "/reports/loans?measure=applications&outcome=lost",
            "outcome",
            "There is no such outcome.",
        ),
        (
            "/reports/loans?measure=par30&as_of=2025-02-30",
            "as_of",
            "Type a date such as 2025-03-09.",
        ),
    ],
)
def test_bad_filters_are_refused_beside_the_field(petro, path, field, message):
    response = petro.get(path, headers=ENGLISH)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, field) == message
    assert 'id="report-refused"' in html
    assert 'id="figure-' not in html
    assert not loan_links(html)


def test_a_refusal_is_in_the_users_language(petro):
    html = petro.get("/reports/?as_of=2999-01-01", headers=UKRAINIAN).get_data(as_text=True)

    assert field_error(html, "as_of") == "День не може бути в майбутньому."


def test_a_huge_page_number_is_not_found(petro):
    assert petro.get("/reports/loans?measure=active&page=99999999999").status_code == 404


# --- The loans behind each figure -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        AS_OF,
        f"{AS_OF}&manager_id=none",
        f"/reports/disbursements?{FEBRUARY}",
        f"/reports/collections?{MARCH}",
        f"/reports/write-offs?{APRIL_MAY}",
        f"/reports/applications?{JANUARY_TO_MAY}",
    ],
)
def test_every_count_lists_exactly_the_loans_it_counts(petro, path):
    html = petro.get(path, headers=ENGLISH).get_data(as_text=True)
    links = loan_links(html)
    counts = [(href, int(text)) for href, text in links if text.isdigit()]

    assert counts, "the report links its counts"
    for href, count in counts:
        assert len(listed_loans(petro, href)) == count, href


def test_a_figures_list_keeps_the_reports_filters(petro, book):
    html = petro.get(f"{AS_OF}&product_id={book.alpha.id}").get_data(as_text=True)

    for href, _text in loan_links(html):
        query = parse_qs(urlsplit(href).query)
        assert query["as_of"] == ["2025-03-31"]
        assert query["product_id"] == [str(book.alpha.id)]


def test_the_lists_show_the_loans_behind_the_figures(petro, book):
    loans = book.loans
    par1 = listed_loans(petro, "/reports/loans?measure=par1&as_of=2025-03-31")
    written_off = listed_loans(petro, f"/reports/loans?measure=written_off&{APRIL_MAY}")
    refused = listed_loans(
        petro, f"/reports/loans?measure=applications&outcome=refused&{JANUARY_TO_MAY}"
    )
    nobodys = listed_loans(petro, "/reports/loans?measure=active&as_of=2025-03-31&manager_id=none")

    assert par1 == [loans["C"].id]
    assert written_off == [loans["B"].id]
    assert refused == [loans["D"].id, loans["F"].id]
    assert nobodys == [loans["C"].id]


def test_a_list_links_to_its_loans_and_customers(petro, book):
    loan = book.loans["C"]

    html = petro.get("/reports/loans?measure=overdue&as_of=2025-03-31").get_data(as_text=True)

    assert f'href="/loans/{loan.id}"' in html
    assert f'href="/customers/{loan.customer_id}"' in html
    assert 'data-dpd="16"' in html


def test_a_list_pages_through_its_loans(app, petro, book):
    app.config["PER_PAGE"] = 2

    first = petro.get(f"/reports/loans?measure=applications&{JANUARY_TO_MAY}")
    third = petro.get(f"/reports/loans?measure=applications&{JANUARY_TO_MAY}&page=4")

    html = first.get_data(as_text=True)
    assert len(re.findall(r"<tr data-loan=", html)) == 2
    assert text_of(html, "loans-total") == "7 loans"
    assert "page=2" in html
    assert len(re.findall(r"<tr data-loan=", third.get_data(as_text=True))) == 1
