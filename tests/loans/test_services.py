from decimal import Decimal

import pytest
from sqlalchemy.orm.exc import StaleDataError

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.loans.services.applications import (
    apply_for_loan,
    check_application,
    delete_application,
    update_application,
)
from crm.models import Loan
from crm.validation import FieldError
from tests import factories


@pytest.fixture
def product(product):
    """The loans suite's product at 18.5 %, lending 1 000 to 50 000 for 3 to 24 months."""
    product.annual_rate, product.max_amount = Decimal("18.5"), Decimal("50000.00")
    product.min_term, product.max_term = 3, 24
    db.session.commit()
    return product


def test_application_is_pending_at_the_products_rate(app, product):
    customer = factories.CustomerFactory()
    loan = apply_for_loan(db.session, customer, product, Decimal("5000"), 12)
    db.session.commit()
    loan = db.session.get(Loan, loan.id)
    assert loan.status is LoanStatus.PENDING
    assert loan.annual_rate == Decimal("18.5")
    assert loan.amount == Decimal("5000.00")


@pytest.mark.parametrize(
    ("amount", "term", "field"),
    [
        (Decimal("999.99"), 12, "amount"),
        (Decimal("50000.01"), 12, "amount"),
        (Decimal("0"), 12, "amount"),
        (Decimal("-5"), 12, "amount"),
        (Decimal("1000.005"), 12, "amount"),
        (Decimal("NaN"), 12, "amount"),
        (None, 12, "amount"),
        (Decimal("5000"), 2, "term_months"),
        (Decimal("5000"), 25, "term_months"),
        (Decimal("5000"), None, "term_months"),
    ],
)
def test_amount_and_term_stay_within_the_products_limits(app, product, amount, term, field):
    with pytest.raises(FieldError) as error:
        check_application(product, amount, term)
    assert error.value.field == field


def test_limits_are_inclusive(app, product):
    assert check_application(product, Decimal("1000"), 3) == (Decimal("1000"), 3)
    assert check_application(product, Decimal("50000.00"), 24) == (Decimal("50000.00"), 24)


def test_inactive_product_takes_no_new_applications(app):
    product = factories.ProductFactory(active=False)
    customer = factories.CustomerFactory()
    with pytest.raises(FieldError, match="no longer offered") as error:
        apply_for_loan(db.session, customer, product, Decimal("5000"), 12)
    assert error.value.field == "product"


def test_application_needs_a_customer_and_a_product(app, product):
    with pytest.raises(FieldError) as error:
        apply_for_loan(db.session, None, product, Decimal("5000"), 12)
    assert error.value.field == "customer"
    with pytest.raises(FieldError) as error:
        apply_for_loan(db.session, factories.CustomerFactory(), None, Decimal("5000"), 12)
    assert error.value.field == "product"


def edit(loan, **changes):
    values = {
        "customer": loan.customer,
        "product": loan.product,
        "amount": loan.amount,
        "term_months": loan.term_months,
        **changes,
    }
    return update_application(db.session, loan, **values)


def test_pending_application_can_change(app, product):
    loan = factories.LoanFactory(product=product, amount=Decimal("5000"), term_months=6)
    edit(loan, amount=Decimal("7000"), term_months=12)
    db.session.commit()
    assert (loan.amount, loan.term_months, loan.version) == (Decimal("7000.00"), 12, 2)


def test_new_product_brings_its_rate_and_limits(app, product):
    loan = factories.LoanFactory(product=product)
    other = factories.ProductFactory(annual_rate=Decimal("29.9"), max_amount=Decimal("8000"))
    with pytest.raises(FieldError) as error:
        edit(loan, product=other, amount=Decimal("9000"))
    assert error.value.field == "amount"
    edit(loan, product=other, amount=Decimal("8000"))
    assert loan.annual_rate == Decimal("29.9")


def test_keeping_the_product_keeps_the_rate_copied_at_application(app, product):
    loan = factories.LoanFactory(product=product, annual_rate=Decimal("15"))
    product.annual_rate = Decimal("30")
    product.active = False
    edit(loan, amount=Decimal("6000"))
    assert loan.annual_rate == Decimal("15")


@pytest.mark.parametrize("status", [LoanStatus.ACTIVE, LoanStatus.FINISHED, LoanStatus.WRITTEN_OFF])
@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", Decimal("6000")), ("term_months", 24), ("product", "other"), ("customer", "other")],
)
def test_started_loan_terms_cannot_change(app, product, status, field, value):
    loan = factories.LoanFactory(product=product, status=status)
    if value == "other":
        value = factories.ProductFactory() if field == "product" else factories.CustomerFactory()
    with pytest.raises(FieldError, match="only a pending application") as error:
        edit(loan, **{field: value})
    assert error.value.field == field
    db.session.rollback()
    assert db.session.get(Loan, loan.id).version == 1


def test_started_loan_saved_unchanged_is_no_error(app, product):
    loan = factories.LoanFactory(product=product, status=LoanStatus.ACTIVE)
    edit(loan, amount=Decimal(loan.amount))
    assert loan.version == 1


def test_edit_from_an_old_version_is_refused(app, product):
    loan = factories.LoanFactory(product=product)
    edit(loan, amount=Decimal("6000"))
    db.session.commit()
    with pytest.raises(StaleDataError):
        edit(loan, amount=Decimal("7000"), expected_version=1)
    assert loan.amount == Decimal("6000.00")
    edit(loan, amount=Decimal("7000"), expected_version=2)


def test_only_a_pending_application_can_be_deleted(app, product):
    refused = factories.LoanFactory(product=product, status=LoanStatus.REFUSED)
    with pytest.raises(FieldError, match="only a pending application") as error:
        delete_application(db.session, refused)
    assert error.value.field == "status"
    pending = factories.LoanFactory(product=product)
    delete_application(db.session, pending)
    db.session.commit()
    assert db.session.get(Loan, pending.id) is None
