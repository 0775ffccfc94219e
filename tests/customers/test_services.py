from datetime import date

import pytest
from sqlalchemy.orm.exc import StaleDataError

from crm.customers import services
from crm.customers.services import (
    clean_customer_data,
    create_customer,
    delete_customer,
    update_customer,
)
from crm.extensions import db
from crm.models import Customer, Role
from crm.validation import MISSING_VERSION, FieldError, TakenError
from tests import factories

TODAY = date(2026, 11, 25)


def customer_data(**changes):
    return {
        "last_name": "  Коваль  ",
        "first_name": "Олена",
        "patronymic": "",
        "phone": "050 123 45 67",
        "email": "Olena.Koval@Example.com",
        "birth_date": date(1990, 5, 17),
        "tax_id": "3012345678",
        "address": "  Львів  ",
        "manager": None,
        **changes,
    }


def test_create_customer_trims_and_normalises(app):
    customer = create_customer(db.session, customer_data(), region="UA", today=TODAY)
    assert customer.id is not None
    assert customer.last_name == "Коваль"
    assert customer.patronymic is None
    assert customer.phone == "+380501234567"
    assert customer.email == "olena.koval@example.com"
    assert customer.address == "Львів"
    assert "коваль" in customer.search_text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"last_name": "   "}, "last_name"),
        ({"first_name": None}, "first_name"),
        ({"phone": "12"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"tax_id": "123456789"}, "tax_id"),
        ({"tax_id": "12345678ab"}, "tax_id"),
        ({"tax_id": "١٢٣٤٥٦٧٨٩٠"}, "tax_id"),
        ({"tax_id": "１２３４５６７８９０"}, "tax_id"),
        ({"birth_date": date(2026, 11, 26)}, "birth_date"),
        ({"last_name": "К" * 101}, "last_name"),
        ({"first_name": "О" * 101}, "first_name"),
        ({"patronymic": "П" * 101}, "patronymic"),
        ({"last_name": "Ко\x00валь"}, "last_name"),
        ({"first_name": "Ол\x1bена"}, "first_name"),
        ({"address": "Київ " * 101}, "address"),
        ({"address": "Київ\x00"}, "address"),
        ({"email": "a" * 250 + "@x.ua"}, "email"),
        ({"phone": "5" * 10_000}, "phone"),
    ],
)
def test_bad_customer_data_names_the_field(app, changes, field):
    with pytest.raises(FieldError) as error:
        clean_customer_data(db.session, customer_data(**changes), today=TODAY)
    assert error.value.field == field


def test_longest_names_and_address_the_form_shows_are_kept(app):
    data = customer_data(last_name="К" * 100, patronymic=" П " * 50, address="Київ,\n" + "в" * 494)
    customer = create_customer(db.session, data, today=TODAY)
    assert (len(customer.last_name), len(customer.patronymic), len(customer.address)) == (
        100,
        99,
        500,
    )


def test_a_stale_or_versionless_edit_changes_nothing(app):
    customer = factories.CustomerFactory(last_name="Стара")
    update_customer(db.session, customer, customer_data(), today=TODAY, expected_version=1)
    db.session.commit()
    assert customer.version == 2
    for version in (1, MISSING_VERSION):
        with pytest.raises(StaleDataError):
            update_customer(
                db.session, customer, customer_data(last_name="Х"), expected_version=version
            )
        db.session.rollback()
        assert db.session.get(Customer, customer.id).last_name == "Коваль"


def test_phone_without_country_code_uses_the_region(app):
    cleaned = clean_customer_data(
        db.session, customer_data(phone="030 1234567"), region="DE", today=TODAY
    )
    assert cleaned["phone"] == "+49301234567"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "TAKEN@example.com", "e-mail"),
        ("tax_id", "1111111111", "tax id"),
        ("phone", "+38 (050) 999-00-11", "phone number"),
    ],
)
def test_a_phone_email_or_tax_id_of_another_customer_is_refused_naming_them(
    app, field, value, message
):
    other = factories.CustomerFactory(
        email="taken@example.com", tax_id="1111111111", phone="+380509990011"
    )
    with pytest.raises(TakenError, match=message) as error:
        create_customer(db.session, customer_data(**{field: value}), today=TODAY)
    assert (error.value.field, error.value.record_id) == (field, other.id)
    assert other.last_name not in error.value.message
    customer = factories.CustomerFactory()
    with pytest.raises(TakenError):
        update_customer(db.session, customer, customer_data(**{field: value}), today=TODAY)
    # The customer's own values are not a clash with themselves.
    data = customer_data(email="taken@example.com", tax_id="1111111111", phone=other.phone)
    update_customer(db.session, other, data, today=TODAY)


@pytest.mark.parametrize(
    ("birth_date", "today", "adult"),
    [
        (date(2008, 11, 25), TODAY, True),
        (date(2008, 11, 26), TODAY, False),
        (date(2015, 1, 1), TODAY, False),
        # Born on 29 February: of age on 1 March of a year without one.
        (date(2008, 2, 29), date(2026, 2, 28), False),
        (date(2008, 2, 29), date(2026, 3, 1), True),
    ],
)
def test_borrowers_are_adults(app, birth_date, today, adult):
    data = customer_data(birth_date=birth_date)
    if adult:
        assert clean_customer_data(db.session, data, today=today)["birth_date"] == birth_date
        return
    with pytest.raises(FieldError, match="at least 18 years old") as error:
        clean_customer_data(db.session, data, today=today)
    assert error.value.field == "birth_date"


def test_the_age_is_counted_on_the_lenders_day(app, monkeypatch):
    # 23:30 UTC on 30 November is already 1 December in Kyiv, the day of the 18th birthday.
    monkeypatch.setattr(services, "lender_today", lambda: date(2026, 12, 1))
    data = customer_data(birth_date=date(2008, 12, 1))

    assert clean_customer_data(db.session, data)["birth_date"] == date(2008, 12, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "+380 67 765 43 21",
        "+38 (067) 765-43-21",
        "067 765 43 21",
        "0677654321",
        "380677654321",
        "8 067 765 43 21",
        "8 (067) 765-43-21",
    ],
)
def test_every_usual_way_of_writing_a_ukrainian_number_is_read(app, typed):
    cleaned = clean_customer_data(db.session, customer_data(phone=typed), today=TODAY)
    assert cleaned["phone"] == "+380677654321"


def test_manager_must_be_active_staff(app):
    customer_login = factories.UserFactory(role=Role.CUSTOMER)
    inactive = factories.UserFactory(role=Role.MANAGER, active=False)
    for user in (customer_login, inactive):
        with pytest.raises(FieldError) as error:
            clean_customer_data(db.session, customer_data(manager=user), today=TODAY)
        assert error.value.field == "manager"


def test_update_customer_changes_the_record(app):
    customer = factories.CustomerFactory()
    manager = factories.UserFactory(role=Role.MANAGER)
    update_customer(
        db.session, customer, customer_data(last_name="Нова", manager=manager), today=TODAY
    )
    db.session.commit()
    assert db.session.get(Customer, customer.id).last_name == "Нова"
    assert customer.manager is manager


def test_customer_with_loans_cannot_be_deleted(app):
    loan = factories.LoanFactory()
    with pytest.raises(FieldError, match="1 loan and cannot be deleted") as error:
        delete_customer(db.session, loan.customer)
    assert error.value.field == "loans"
    assert db.session.get(Customer, loan.customer_id) is not None


def test_customer_with_a_login_cannot_be_deleted(app):
    login = factories.UserFactory(role=Role.CUSTOMER, customer=factories.CustomerFactory())
    with pytest.raises(FieldError, match="login") as error:
        delete_customer(db.session, login.customer)
    assert error.value.field == "login"


def test_customer_without_loans_is_deleted(app):
    customer = factories.CustomerFactory()
    delete_customer(db.session, customer)
    db.session.commit()
    assert db.session.get(Customer, customer.id) is None
