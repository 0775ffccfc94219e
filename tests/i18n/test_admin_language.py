"""The admin speaks the user's language where Flask-Admin itself would speak English.

Texts of our own catalogue are compared with what the catalogue says for them (`said_in`),
so that these tests check the pages use it; test_catalogue.py checks that it translates them.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale, gettext

from tests import factories
from tests.i18n.conftest import ENGLISH, UKRAINIAN

LANGUAGES = [pytest.param(UKRAINIAN, "uk", id="uk"), pytest.param(ENGLISH, "en", id="en")]
ADMIN_PAGES = [
    "/admin/",
    "/admin/customer/",
    "/admin/customer/new/",
    "/admin/customer/details/?id={customer}",
    "/admin/loan/",
    "/admin/loan/new/",
    "/admin/loan/details/?id={loan}",
    "/admin/product/",
    "/admin/product/edit/?id={product}",
    "/admin/user/",
    "/admin/user/details/?id={user}",
]
TOGGLER_LABEL = re.compile(r'<button class="navbar-toggler"[^>]*aria-label="([^"]*)"')
WIDGET_TEXTS = re.compile(r'<script type="application/json" id="crm-widget-texts">(.*?)</script>')


class VisibleText(HTMLParser):
    """The words of a page a reader sees: text outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.words: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.words.update(re.findall(r"\w+", data))


def visible_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.words


def said_in(language: str, message: str) -> str:
    with force_locale(language):
        return gettext(message)


@pytest.fixture
def records(app, admin_user):
    customer = factories.CustomerFactory()
    loan = factories.LoanFactory(customer=customer)
    return {
        "customer": customer.id,
        "loan": loan.id,
        "product": loan.product.id,
        "user": admin_user.id,
    }


@pytest.fixture
def admin_page(client, login, admin_user, records):
    login(admin_user)

    def _page(url: str, headers: dict) -> str:
        response = client.get(url.format(**records), headers=headers)
        assert response.status_code == 200, url
        return response.get_data(as_text=True)

    return _page


def widget_texts(html: str) -> dict:
    match = WIDGET_TEXTS.search(html)
    assert match, "the page gives the pickers no texts"
    return json.loads(match.group(1))


@pytest.mark.parametrize(("headers", "language"), LANGUAGES)
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_name_their_language(admin_page, url, headers, language):
    html = admin_page(url, headers)

    assert f'<html lang="{language}">' in html


@pytest.mark.parametrize(("headers", "language"), LANGUAGES)
def test_the_navbar_toggler_is_labelled_in_the_users_language(admin_page, headers, language):
    html = admin_page("/admin/customer/", headers)

    assert TOGGLER_LABEL.findall(html) == [said_in(language, "Toggle navigation")]


CANCEL_BUTTON = re.compile(r'<a href="[^"]*" class="btn btn-danger" role="button"\s*>([^<]*)</a>')


@pytest.mark.parametrize(("headers", "language"), LANGUAGES)
@pytest.mark.parametrize(
    "url", ["/admin/customer/new/", "/admin/loan/new/", "/admin/product/edit/?id={product}"]
)
def test_the_forms_cancel_button_is_the_word_without_quote_marks(
    admin_page, url, headers, language
):
    buttons = CANCEL_BUTTON.findall(admin_page(url, headers))

    assert buttons == [said_in(language, "Cancel")]
    assert buttons[0].isalpha()


def test_date_pickers_get_ukrainian_months_weekdays_and_buttons(admin_page):
    texts = widget_texts(admin_page("/admin/customer/new/", UKRAINIAN))["daterangepicker"]

    assert texts["monthNames"][:3] == ["січень", "лютий", "березень"]
    assert texts["monthNames"][11] == "грудень"
    # From Sunday, as the picker counts; it starts the week on Monday.
    assert texts["daysOfWeek"] == ["нд", "пн", "вт", "ср", "чт", "пт", "сб"]
    assert texts["firstDay"] == 1
    assert texts["applyLabel"] == said_in("uk", "Apply")
    assert texts["cancelLabel"] == said_in("uk", "Cancel")


def test_date_pickers_get_english_names_in_english(admin_page):
    texts = widget_texts(admin_page("/admin/customer/new/", ENGLISH))["daterangepicker"]

    assert texts["monthNames"][:3] == ["January", "February", "March"]
    assert texts["daysOfWeek"][:2] == ["Su", "Mo"]
    # CLDR's English without a country starts the week on Monday, as the lender's country does.
    assert texts["firstDay"] == 1
    assert (texts["applyLabel"], texts["cancelLabel"]) == ("Apply", "Cancel")


def test_search_pickers_get_their_messages_in_the_users_language(admin_page):
    texts = widget_texts(admin_page("/admin/loan/new/", UKRAINIAN))["select2"]

    assert texts["noMatches"] == said_in("uk", "No matches found")
    assert texts["searching"] == said_in("uk", "Searching…")


@pytest.mark.parametrize("url", ["/admin/customer/new/", "/admin/customer/", "/admin/loan/"])
def test_the_texts_are_in_place_before_the_pickers_start(admin_page, url):
    """admin-widgets.js must load after jQuery and before form.js starts the pickers: the
    birth date field, and the date filters of the customer and loan lists."""
    html = admin_page(url, UKRAINIAN)

    texts = html.index('id="crm-widget-texts"')
    script = html.index("/static/js/admin-widgets.js")
    assert html.index("vendor/jquery.min.js") < texts < script
    assert script < html.index("bootstrap-daterangepicker/daterangepicker.js")
    assert script < html.index("admin/js/form.js")


def test_the_widget_script_is_served(client):
    with client.get("/static/js/admin-widgets.js") as response:
        assert response.status_code == 200
        assert b"adminFormReady" in response.data


@pytest.mark.parametrize("view", ["customer", "loan", "product", "user"])
def test_details_pages_have_no_english_labels_or_values(admin_page, view):
    words = visible_words(admin_page(f"/admin/{view}/details/?id={{{view}}}", UKRAINIAN))

    assert not words & {"ID", "Id", "True", "False", "None"}


def test_the_customer_number_is_labelled_in_ukrainian(admin_page):
    html = admin_page("/admin/customer/details/?id={customer}", UKRAINIAN)

    assert "<b>Номер</b>" in html


@pytest.mark.parametrize(
    ("headers", "yes", "no"), [(UKRAINIAN, "Так", "Ні"), (ENGLISH, "Yes", "No")]
)
def test_yes_no_columns_speak_the_users_language(admin_page, admin_user, headers, yes, no):
    factories.UserFactory(active=False)

    listed = admin_page("/admin/user/", headers)
    detailed = admin_page("/admin/user/details/?id={user}", headers)

    assert f'title="{yes}"' in listed
    assert f'title="{no}"' in listed
    assert ": true" not in listed
    assert yes in visible_words(detailed)
