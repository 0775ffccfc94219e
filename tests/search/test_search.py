import re

import pytest

from crm.extensions import db
from crm.models import CustomerSearchTerm
from tests import bulk, factories


def found(response) -> dict[str, list[int]]:
    """The loan and customer ids the results page lists, in order, by group."""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    groups = {}
    for group, link in (("loans", "loans"), ("customers", "customers")):
        table = re.search(rf'id="search-{group}".*?<tbody>(.*?)</tbody>', html, re.DOTALL)
        ids = re.findall(rf'href="/{link}/(\d+)"', table.group(1)) if table else []
        groups[group] = list(dict.fromkeys(int(i) for i in ids))
    return groups


def customers_found(client, query: str) -> list[int]:
    return found(client.get("/search", query_string={"q": query}))["customers"]


@pytest.fixture
def maryana(app):
    """A customer with a typographic apostrophe in her first name, and her namesakes."""
    factories.CustomerFactory(last_name="Коваленко", first_name="Олена", phone="+380501112233")
    factories.CustomerFactory(last_name="Коваль", first_name="Ольга", phone="+380502223344")
    return factories.CustomerFactory(
        last_name="Коваль",
        first_name="Мар’яна",
        patronymic="Ігорівна",
        phone="+380677654321",
        email="Maryana.Koval@Example.com",
        tax_id="3344556677",
    )


@pytest.mark.parametrize(
    "query",
    [
        "Мар'яна Коваль",
        "Коваль Мар’яна",
        "МАРʼЯНА коваль",
        "ігорівна мар'яна",
        "Ков Мар",
        "мар ігор",
    ],
)
def test_name_parts_in_any_order_case_and_apostrophe(staff_client, maryana, query):
    assert customers_found(staff_client, query) == [maryana.id]


def test_a_name_prefix_finds_everyone_it_starts(staff_client, maryana):
    assert len(customers_found(staff_client, "ков")) == 3
    koval = customers_found(staff_client, "коваль")
    assert len(koval) == 2
    assert maryana.id in koval


def test_a_name_is_matched_from_the_start_of_its_words_only(staff_client, maryana):
    # "валь" is inside Коваль, but nobody's name starts with it.
    assert customers_found(staff_client, "валь") == []


@pytest.mark.parametrize(
    "query",
    [
        "+380677654321",
        "+380 67 765 43 21",
        "+38 (067) 765-43-21",
        "067 765 43 21",
        "0677654321",
        "380677654321",
        "677654321",
        "765-43-21",
        "76543",
        "067765",
    ],
)
def test_phone_in_any_usual_writing_and_in_part(staff_client, maryana, query):
    assert customers_found(staff_client, query) == [maryana.id]


def test_too_few_digits_are_no_phone(staff_client, maryana):
    assert customers_found(staff_client, "4321") == []


@pytest.mark.parametrize("query", ["maryana.koval@example.com", "MARYANA.KOVAL@EXAMPLE.COM"])
def test_email_exactly_in_any_case(staff_client, maryana, query):
    assert customers_found(staff_client, query) == [maryana.id]


def test_part_of_an_email_is_not_enough(staff_client, maryana):
    assert customers_found(staff_client, "koval@example.com") == []


@pytest.mark.parametrize("query", ["maryana.kov", "Maryana.Koval@Exa", "MARYANA"])
def test_the_start_of_an_email_finds_as_a_picker_is_typed(staff_client, maryana, query):
    assert customers_found(staff_client, query) == [maryana.id]


def test_tax_id_exactly(staff_client, maryana):
    assert customers_found(staff_client, "3344556677") == [maryana.id]
    assert customers_found(staff_client, "3344556678") == []


def test_a_unique_key_still_shows_the_results_page(staff_client, maryana):
    response = staff_client.get("/search?q=3344556677")
    assert response.status_code == 200
    assert "search-customers" in response.get_data(as_text=True)


@pytest.mark.parametrize("form", ["#{}", "{}", "№{}", "№ {}", " #{} "])
def test_loan_by_number(staff_client, form):
    loan = factories.LoanFactory()
    factories.LoanFactory()
    assert found(staff_client.get("/search", query_string={"q": form.format(loan.id)})) == {
        "loans": [loan.id],
        "customers": [],
    }


def test_an_unknown_loan_number_finds_nothing(staff_client):
    loan = factories.LoanFactory()
    response = staff_client.get(f"/search?q=%23{loan.id + 1000}")
    assert found(response) == {"loans": [], "customers": []}
    assert "Nothing matches" in response.get_data(as_text=True)


def test_digits_can_be_a_loan_number_and_part_of_a_phone(staff_client):
    loan = factories.LoanFactory()
    owner = factories.CustomerFactory(phone=f"+38050{loan.id:07d}")
    assert found(staff_client.get(f"/search?q={loan.id:07d}")) == {
        "loans": [loan.id],
        "customers": [owner.id],
    }


def test_nothing_found_says_so(staff_client, maryana):
    response = staff_client.get("/search?q=Шевчук")
    assert found(response) == {"loans": [], "customers": []}
    assert "Nothing matches “Шевчук”" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_shows_the_empty_box(staff_client, maryana, query):
    response = staff_client.get("/search", query_string={"q": query})
    html = response.get_data(as_text=True)
    assert found(response) == {"loans": [], "customers": []}
    assert 'id="search-help"' in html
    assert re.search(r'name="q" value=""', html)


@pytest.mark.parametrize(
    "query", ["%", "_", "Ков%", "К_валь", "\\", "a\x00b", "x" * 10_000, "#" * 300, "@", "'"]
)
def test_hostile_input_is_harmless_and_literal(staff_client, maryana, query):
    assert customers_found(staff_client, query) == []


def test_nul_is_dropped_and_a_long_search_is_cut(staff_client, maryana):
    assert customers_found(staff_client, "Мар\x00'яна") == [maryana.id]
    html = staff_client.get("/search", query_string={"q": "Коваль" + "я" * 500}).get_data(
        as_text=True
    )
    assert "я" * 94 + "”" in html
    assert "я" * 95 not in html


def test_more_customers_than_shown_link_to_the_list(staff_client):
    ids = bulk.add_customers(25)
    response = staff_client.get("/search?q=Ірина")
    assert len(found(response)["customers"]) == 20
    html = response.get_data(as_text=True)
    assert 'href="/customers/?q=%D0%86%D1%80%D0%B8%D0%BD%D0%B0&amp;sort=name"' in html
    assert len(ids) == 25


def test_a_search_of_two_letters_shows_the_first_customers_it_finds_in_name_order(staff_client):
    """Such a search reads the customers in name order and keeps the first that match
    (crm.customers.queries.finds_many); on PostgreSQL their ids first, then their rows
    (crm.models.lookups.rows_looked_up_late)."""
    for last_name in ("Андрієнко", "Бабенко", "Яковенко"):
        factories.CustomerFactory(last_name=last_name, first_name="Олена", patronymic="Петрівна")
    ids = bulk.add_customers(25)

    # The bulk customers are Бондаренко<id>: in name order their ids read as text.
    assert customers_found(staff_client, "Ір") == sorted(ids, key=str)[:20]


def test_an_edited_customer_is_found_by_the_new_name_only(staff_client, maryana):
    maryana.last_name = "Петренко"
    maryana.email = None
    db.session.commit()
    assert customers_found(staff_client, "Петренко Мар'яна") == [maryana.id]
    assert customers_found(staff_client, "Коваль Мар'яна") == []
    assert customers_found(staff_client, "maryana.koval@example.com") == []
    assert customers_found(staff_client, "0677654321") == [maryana.id]


def test_a_deleted_customer_takes_its_terms(app, maryana):
    db.session.delete(maryana)
    db.session.commit()
    terms = db.session.query(CustomerSearchTerm).filter_by(customer_id=maryana.id).count()
    assert terms == 0


def test_customers_list_finds_the_same(staff_client, maryana):
    html = staff_client.get("/customers/?q=Мар'яна+Ков").get_data(as_text=True)
    ids = set(re.findall(r'href="/customers/(\d+)"', html))
    assert ids == {str(maryana.id)}


@pytest.mark.parametrize("query", ["Бондаренко Ірина", "0670000001", "#1", "nobody@x.org", "2"])
def test_query_count_is_small_and_does_not_grow(staff_client, count_queries, query):
    bulk.add_customers(5)
    with count_queries() as small:
        assert staff_client.get("/search", query_string={"q": query}).status_code == 200
    bulk.add_customers(200)
    with count_queries() as large:
        assert staff_client.get("/search", query_string={"q": query}).status_code == 200
    assert small.count == large.count <= 6


def test_staff_only(client, login, customer_user):
    assert client.get("/search?q=a").status_code == 302
    login(customer_user)
    assert client.get("/search?q=a").status_code == 403


def test_the_navbar_has_the_search_box_for_staff(staff_client):
    html = staff_client.get("/").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="navbar-search".*?</form>', html, re.DOTALL).group(0)
    assert 'action="/search"' in form
    assert 'method="get"' in form
    assert 'name="q"' in form
    assert 'for="navbar-search-q"' in form


def test_customers_see_no_search_box(client, login, customer_user):
    login(customer_user)
    assert 'id="navbar-search"' not in client.get("/account/").get_data(as_text=True)
