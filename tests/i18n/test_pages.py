"""The key pages in Ukrainian and in English, Flask-Admin's own words included."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Customer, Product, Role
from tests import factories
from tests.i18n.conftest import ENGLISH, UKRAINIAN

NBSP = "\u00a0"


@pytest.fixture
def records(app):
    customer = factories.CustomerFactory(last_name="Ґудзь", first_name="Євгенія")
    product = factories.ProductFactory(name="Готівка")
    loan = factories.LoanFactory(
        customer=customer, product=product, amount=Decimal("12345.50"), status=LoanStatus.PENDING
    )
    return {"customer": customer.id, "loan": loan.id, "product": product.id}


def text(client, url: str, headers: dict) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


STAFF_PAGES = [
    (
        "/",
        ["Огляд", "Заявки", "Клієнти", "Кредити", "Продукти", "На розгляді"],
        ["Dashboard", "Applications", "Customers", "Loans", "Products", "Pending"],
    ),
    (
        "/customers/",
        ["Пошук клієнтів", "ПІБ", "Телефон", "Відкрити", "Ґудзь Євгенія"],
        ["Search customers", "Name", "Phone", "View", "Ґудзь Євгенія"],
    ),
    (
        "/customers/{customer}",
        ["Дата народження", "09.03.1985", f"12{NBSP}345,50{NBSP}грн", "На розгляді"],
        ["Date of birth", "Mar 9, 1985", f"UAH{NBSP}12,345.50", "Pending"],
    ),
    (
        "/products/",
        ["Кредитні продукти", "Без застави", "Ануїтетна", "12,00 %", f"1{NBSP}000,00{NBSP}грн"],
        ["Credit products", "Unsecured", "Annuity", "12.00 %", f"UAH{NBSP}1,000.00"],
    ),
    (
        "/loans/",
        ["Кредити", "Продукт", "Сума", "На розгляді", f"12{NBSP}345,50{NBSP}грн"],
        ["Loans", "Product", "Amount", "Pending", f"UAH{NBSP}12,345.50"],
    ),
    (
        "/loans/{loan}",
        ["Кредит #{loan}", "Готівка", f"12{NBSP}345,50{NBSP}грн", "На розгляді"],
        ["Loan #{loan}", "Готівка", f"UAH{NBSP}12,345.50", "Pending"],
    ),
    (
        "/admin/",
        ["Клієнти та кредити", "Каталог", "Додати", "Робочий сайт"],
        ["Customers and loans", "Catalogue", "Add", "Staff site"],
    ),
    (
        "/admin/customer/",
        ["Список", "Створити", "Додати фільтр", "Прізвище", "РНОКПП"],
        ["List", "Create", "Add Filter", "Last name", "Tax id"],
    ),
    (
        "/admin/loan/",
        ["Список", "Створити", "Статус", "На розгляді", f"12{NBSP}345,50{NBSP}грн"],
        ["List", "Create", "Status", "Pending", f"UAH{NBSP}12,345.50"],
    ),
    (
        "/admin/product/new/",
        ["Створити", "Зберегти", "Мінімальна сума", "Схема погашення"],
        ["Create", "Save", "Smallest amount", "Repayment"],
    ),
]


@pytest.mark.parametrize(("url", "ukrainian", "english"), STAFF_PAGES)
def test_staff_pages_speak_both_languages(
    client, login, admin_user, records, url, ukrainian, english
):
    login(admin_user)
    url = url.format(**records)

    in_ukrainian = text(client, url, UKRAINIAN)
    in_english = text(client, url, ENGLISH)

    for word in ukrainian:
        assert word.format(**records) in in_ukrainian, word
    for word in english:
        assert word.format(**records) in in_english, word


def test_the_login_page_speaks_both_languages(client):
    ukrainian = text(client, "/auth/login", UKRAINIAN)
    english = text(client, "/auth/login", ENGLISH)

    assert '<html lang="uk">' in ukrainian
    assert all(word in ukrainian for word in ("Вхід до Credit CRM", "Пароль", "Увійти"))
    assert '<html lang="en">' in english
    assert all(word in english for word in ("Log in to Credit CRM", "Password", "Log in"))


def test_form_errors_come_in_the_users_language(client, manager):
    empty = client.post("/auth/login", data={}, headers=UKRAINIAN).get_data(as_text=True)
    wrong = client.post(
        "/auth/login", data={"email": manager.email, "password": "nope"}, headers=UKRAINIAN
    ).get_data(as_text=True)

    assert "Це поле є обов&#39;язковим." in empty
    assert "Неправильна ел. пошта або пароль." in wrong


def test_the_personal_account_speaks_both_languages(client, login):
    user = factories.UserFactory(role=Role.CUSTOMER, customer=factories.CustomerFactory())
    factories.LoanFactory(customer=user.customer, amount=Decimal("5000.00"))
    login(user)

    ukrainian = text(client, "/account/", UKRAINIAN)
    english = text(client, "/account/", ENGLISH)

    assert "Мої кредити" in ukrainian
    assert f"5{NBSP}000,00{NBSP}грн" in ukrainian
    assert "My loans" in english
    assert f"UAH{NBSP}5,000.00" in english


def test_error_pages_and_json_errors_speak_the_users_language(client, manager, login):
    assert "Такої сторінки або запису немає." in client.get("/nowhere", headers=UKRAINIAN).get_data(
        as_text=True
    )
    assert "There is no such page or record." in client.get("/nowhere", headers=ENGLISH).get_data(
        as_text=True
    )
    assert client.get("/", headers={**UKRAINIAN, "Accept": "application/json"}).json == {
        "error": "Потрібно увійти."
    }
    login(manager)
    forbidden = client.get("/admin/user/", headers=UKRAINIAN)
    assert forbidden.status_code == 403
    assert "У вас немає доступу до цієї сторінки." in forbidden.get_data(as_text=True)


def post_product_in_ukrainian(client, **fields):
    """The admin's new-product form, filled in as a Ukrainian speaker types it."""
    data = {
        "name": "Готівка",
        "annual_rate": "18,5",
        "category": "unsecured",
        "min_amount": "1 000,00",
        "min_term": "3",
        "max_term": "36",
        "repayment_method": "annuity",
        **fields,
    }
    return client.post("/admin/product/new/", data=data, headers=UKRAINIAN)


def test_admin_messages_beside_fields_come_in_the_users_language(admin_client):
    response = post_product_in_ukrainian(admin_client, max_amount="500")

    html = response.get_data(as_text=True)
    assert "Максимальна сума не може бути меншою за мінімальну." in html
    assert "Запис не збережено: див. повідомлення біля полів." in html


def test_amounts_typed_the_ukrainian_way_are_saved_in_the_admin(admin_client):
    response = post_product_in_ukrainian(admin_client, max_amount=f"150{NBSP}000,50", active="y")

    assert response.status_code == 302
    product = db.session.scalars(select(Product)).one()
    assert (product.annual_rate, product.min_amount, product.max_amount) == (
        Decimal("18.5"),
        Decimal("1000.00"),
        Decimal("150000.50"),
    )


def test_a_birth_date_typed_the_ukrainian_way_is_saved_in_the_admin(client, login, manager):
    login(manager)
    form = client.get("/admin/customer/new/", headers=UKRAINIAN).get_data(as_text=True)

    response = client.post(
        "/admin/customer/new/",
        data={
            "last_name": "Коваль",
            "first_name": "Олена",
            "phone": "050 123 45 67",
            "birth_date": "17.05.1990",
            "manager": "__None",
        },
        headers=UKRAINIAN,
    )

    assert 'data-date-format="DD.MM.YYYY"' in form
    assert response.status_code == 302
    assert db.session.scalars(select(Customer)).one().birth_date == date(1990, 5, 17)
