"""Names with і, ї, є, ґ and the apostrophe: stored, found and sorted as Ukrainian expects.

The alphabet: а б в г ґ д е є ж з и і ї й к л м н о п р с т у ф х ц ч ш щ ь ю я. Dictionaries
ignore the apostrophe and letter case when sorting; ICU's Ukrainian collation (PostgreSQL)
and the collation registered on SQLite connections put other alphabets after Ukrainian.
"""

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.i18n.collation import ALPHABET, sort_key
from crm.models.sorting import APOSTROPHES
from tests import factories

#: In alphabetical order: Ґ after Г; Дем'янчук after Демченко (ч before я once the
#: apostrophe is ignored); Е, Є; И, І, Ї, Й; ь before ю and я; Latin last.
ALPHABETICAL = [
    "Андрієнко",
    "Гнатюк",
    "ґедзь",
    "Ґудзь",
    "Демченко",
    "Дем'янчук",
    "Ельза",
    "Євтушенко",
    "Иванів",
    "Іваненко",
    "Ігнатенко",
    "Їжакевич",
    "Йосипенко",
    "Шевчук",
    "Щербак",
    "Юрченко",
    "Яковенко",
    "Smith",
]


def listed_names(response) -> list[str]:
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    body = re.search(r'<table[^>]*id="customers".*?<tbody>(.*?)</tbody>', html, re.DOTALL)
    rows = re.findall(r'<a href="/customers/\d+">([^<]+)</a>', body.group(1))
    return [row.replace("&#39;", "'").split()[0] for row in rows]


def shuffled(names: list[str]) -> list[str]:
    copy = list(names)
    random.Random(42).shuffle(copy)
    return copy


def test_the_sort_key_follows_the_ukrainian_alphabet():
    assert sorted(shuffled(ALPHABETICAL), key=sort_key) == ALPHABETICAL


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Гнатюк", "Ґудзь"),
        ("Ґудзь", "Дем'янчук"),
        ("Ельза", "Єва"),
        ("Іван", "Ігор"),
        ("Ігор", "Їжак"),
        ("Їжак", "Йосип"),
        ("Демченко", "Дем’янчук"),
        ("Дем'ян", "Дем'янчук"),
        ("Мʼясоїд", "Мясоїдов"),
        ("Бондар", "бондаренко"),
        ("Ящук", "Abbott"),
    ],
)
def test_pairs_sort_in_ukrainian_order(before, after):
    assert sort_key(before) < sort_key(after)


def spelled_out_order(name: str) -> tuple:
    """The rules of sort_key written plainly: letters in the alphabet's order, case and
    apostrophes ignored; marks, then digits, then Ukrainian, then other letters; ties by text."""

    def place(char: str) -> tuple[int, int]:
        if char in ALPHABET:
            return 2, ALPHABET.index(char)
        if char.isdigit():
            return 1, ord(char)
        if char.isalpha():
            return 3, ord(char)
        return 0, ord(char)

    folded = "".join(char for char in name.casefold() if char not in APOSTROPHES)
    return tuple(place(char) for char in folded), name


NAME_CHARACTERS = st.sampled_from(ALPHABET + ALPHABET.upper() + APOSTROPHES + " -0123Abzé")


@given(st.text(NAME_CHARACTERS, max_size=8), st.text(NAME_CHARACTERS, max_size=8))
def test_the_sort_key_orders_as_its_rules_say(left, right):
    expected = (spelled_out_order(left) > spelled_out_order(right)) - (
        spelled_out_order(left) < spelled_out_order(right)
    )
    assert (sort_key(left) > sort_key(right)) - (sort_key(left) < sort_key(right)) == expected


def test_equal_names_differ_only_in_case_and_apostrophe_and_still_sort_stably():
    names = ["дем'ян", "Дем’ян", "Демʼян", "Дем'ян"]

    assert sorted(names, key=sort_key) == sorted(sorted(names, key=sort_key), key=sort_key)
    assert len({sort_key(name)[0] for name in names}) == 1


def test_customers_sort_by_name_in_ukrainian_order_on_this_database(staff_client):
    for name in shuffled(ALPHABETICAL):
        factories.CustomerFactory(last_name=name, first_name="Ім'я")

    ascending = listed_names(staff_client.get("/customers/?sort=name"))
    descending = listed_names(staff_client.get("/customers/?sort=-name"))

    assert ascending == ALPHABETICAL
    assert descending == ALPHABETICAL[::-1]


def test_first_names_break_ties_in_ukrainian_order(staff_client):
    for first_name in ("Юлія", "Ірина", "Євген", "Ганна", "Ґалина"):
        factories.CustomerFactory(last_name="Коваль", first_name=first_name)

    html = staff_client.get("/customers/?sort=name").get_data(as_text=True)

    first_names = re.findall(r"Коваль (\w+)", html)
    assert list(dict.fromkeys(first_names)) == ["Ганна", "Ґалина", "Євген", "Ірина", "Юлія"]


def test_the_admin_sorts_customers_by_last_name_in_ukrainian_order(client, login, admin_user):
    for name in shuffled(ALPHABETICAL):
        factories.CustomerFactory(last_name=name)
    login(admin_user)

    html = client.get("/admin/customer/?sort=0").get_data(as_text=True)

    shown = re.findall(r'<td class="col-last_name">\s*([^<]+?)\s*</td>', html)
    assert [name.replace("&#39;", "'") for name in shown] == ALPHABETICAL


def test_names_with_ukrainian_letters_are_stored_and_shown_as_typed(staff_client):
    customer = factories.CustomerFactory(
        last_name="Дем’янчук", first_name="Ґражина", patronymic="Їжаківна"
    )

    html = staff_client.get(f"/customers/{customer.id}").get_data(as_text=True)

    assert "Дем’янчук Ґражина Їжаківна" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ґудзь", ["Ґудзь"]),
        ("ҐУДЗЬ", ["Ґудзь"]),
        ("Ґудзь Єлизавета", ["Ґудзь"]),
        ("ЄЛИЗАВЕТА", ["Ґудзь"]),
        ("їжаківна", ["Ґудзь"]),
        ("ІВАНІВНА", ["Гудзенко"]),
        ("гудз", ["Гудзенко"]),
        ("ї", ["Ґудзь"]),
        # Words are matched from their start: "і" begins Іванна, and is only inside Їжаківна.
        ("і", ["Гудзенко"]),
    ],
)
def test_search_finds_names_whatever_the_case_of_ukrainian_letters(staff_client, query, expected):
    factories.CustomerFactory(last_name="Ґудзь", first_name="Єлизавета", patronymic="Їжаківна")
    factories.CustomerFactory(last_name="Гудзенко", first_name="Іванна", patronymic="Іванівна")

    names = listed_names(staff_client.get("/customers/", query_string={"q": query}))

    assert sorted(names) == sorted(expected)


@pytest.mark.parametrize("typed", ["дем'ян", "Дем’ян", "ДЕМʼЯН"])
def test_search_finds_a_name_whichever_apostrophe_is_typed(staff_client, typed):
    for name in ("Дем'янчук", "Дем’яненко", "Демʼянчишин", "Демченко"):
        factories.CustomerFactory(last_name=name)

    names = listed_names(staff_client.get("/customers/", query_string={"q": typed}))

    assert sorted(names) == sorted(["Дем'янчук", "Дем’яненко", "Демʼянчишин"])


def test_the_admin_search_finds_a_name_whichever_apostrophe_is_typed(client, login, admin_user):
    factories.CustomerFactory(last_name="Дем’янчук")
    factories.CustomerFactory(last_name="Демченко")
    login(admin_user)

    html = client.get("/admin/customer/", query_string={"search": "дем'ян"}).get_data(as_text=True)

    assert "Дем’янчук" in html
    assert "Демченко" not in html
