"""The customer and the product that the admin's loan forms are filled in with, and loans
for the audit trail's pages."""

from decimal import Decimal

import pytest

from crm.extensions import db
from tests import factories
from tests.loans.conftest import active, pending  # noqa: F401 (loans the trail records)


@pytest.fixture
def product(product):
    """The suite's product as "Готівка" at 19.9 %, lending 1 000 to 50 000 for 3 to 24 months."""
    product.name, product.annual_rate = "Готівка", Decimal("19.9")
    product.max_amount, product.min_term, product.max_term = Decimal("50000"), 3, 24
    db.session.commit()
    return product


@pytest.fixture
def customer(app):
    return factories.CustomerFactory(last_name="Шевченко")
