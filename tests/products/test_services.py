from decimal import Decimal

import pytest
from sqlalchemy.orm.exc import StaleDataError

from crm.extensions import db
from crm.lending.schedule import RepaymentMethod
from crm.models import Product, ProductCategory
from crm.products.services import (
    clean_product_data,
    create_product,
    delete_product,
    update_product,
)
from crm.validation import MISSING_VERSION, FieldError
from tests import factories


def product_data(**changes):
    return {
        "name": "  Car   loan ",
        "annual_rate": Decimal("13.9"),
        "category": ProductCategory.SECURED,
        "description": "",
        "min_amount": Decimal("10000"),
        "max_amount": Decimal("1000000.00"),
        "min_term": 6,
        "max_term": 84,
        "repayment_method": RepaymentMethod.ANNUITY,
        "active": True,
        **changes,
    }


def test_create_product_keeps_checked_values(app):
    product = create_product(db.session, product_data())
    db.session.commit()
    product = db.session.get(Product, product.id)
    assert product.name == "Car loan"
    assert product.annual_rate == Decimal("13.9")
    assert product.min_amount == Decimal("10000.00")
    assert product.description is None
    assert product.category is ProductCategory.SECURED


def test_enum_values_from_a_form_become_members(app):
    cleaned = clean_product_data(
        db.session, product_data(category="unsecured", repayment_method="differentiated")
    )
    assert cleaned["category"] is ProductCategory.UNSECURED
    assert cleaned["repayment_method"] is RepaymentMethod.DIFFERENTIATED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"annual_rate": Decimal("200.01")}, "annual_rate"),
        ({"annual_rate": Decimal("-1")}, "annual_rate"),
        ({"annual_rate": Decimal("12.00001")}, "annual_rate"),
        ({"annual_rate": Decimal("NaN")}, "annual_rate"),
        ({"annual_rate": None}, "annual_rate"),
        ({"min_amount": Decimal("0")}, "min_amount"),
        ({"min_amount": Decimal("100.001")}, "min_amount"),
        ({"max_amount": Decimal("Infinity")}, "max_amount"),
        ({"max_amount": Decimal("1e13")}, "max_amount"),
        ({"max_amount": Decimal("9999.99")}, "max_amount"),
        ({"min_term": 0}, "min_term"),
        ({"max_term": 361}, "max_term"),
        ({"min_term": 12, "max_term": 6}, "max_term"),
        ({"category": "bail"}, "category"),
        ({"repayment_method": None}, "repayment_method"),
        ({"name": "Н" * 121}, "name"),
        ({"name": "Кредит\x00"}, "name"),
        ({"description": "о" * 2001}, "description"),
        ({"description": "\x1b[31mчервоний"}, "description"),
    ],
)
def test_bad_product_data_names_the_field(app, changes, field):
    with pytest.raises(FieldError) as error:
        clean_product_data(db.session, product_data(**changes))
    assert error.value.field == field


def test_longest_name_and_description_the_form_shows_are_kept(app):
    product = create_product(db.session, product_data(name="Н" * 120, description="о" * 2000))
    assert (len(product.name), len(product.description)) == (120, 2000)


def test_a_stale_or_versionless_product_edit_changes_nothing(app):
    product = factories.ProductFactory(name="Стара")
    update_product(db.session, product, product_data(), expected_version=1)
    db.session.commit()
    assert product.version == 2
    for version in (1, MISSING_VERSION):
        with pytest.raises(StaleDataError):
            update_product(db.session, product, product_data(name="Х"), expected_version=version)
        db.session.rollback()
        assert db.session.get(Product, product.id).name == "Car loan"


def test_rate_limits_are_inclusive(app):
    assert clean_product_data(db.session, product_data(annual_rate=Decimal("0")))
    assert clean_product_data(db.session, product_data(annual_rate=Decimal("200")))
    assert clean_product_data(db.session, product_data(min_term=1, max_term=360))


def test_product_name_is_unique_ignoring_case(app):
    product = factories.ProductFactory(name="Готівка")
    with pytest.raises(FieldError, match="name") as error:
        create_product(db.session, product_data(name="ГОТІВКА"))
    assert error.value.field == "name"
    update_product(db.session, product, product_data(name="Готівка"))


def test_rate_change_never_moves_an_existing_loan(app):
    loan = factories.LoanFactory(product__annual_rate=Decimal("12"))
    update_product(db.session, loan.product, product_data(annual_rate=Decimal("25")))
    db.session.commit()
    assert loan.product.annual_rate == Decimal("25")
    assert loan.annual_rate == Decimal("12")


def test_a_product_is_deleted_only_while_no_loan_uses_it(app):
    used, unused = factories.LoanFactory().product, factories.ProductFactory()
    with pytest.raises(FieldError, match="untick Active") as error:
        delete_product(db.session, used)
    assert error.value.field == "loans"
    delete_product(db.session, unused)
    db.session.commit()
    assert db.session.get(Product, unused.id) is None
    assert db.session.get(Product, used.id) is not None
