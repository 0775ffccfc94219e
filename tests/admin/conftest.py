"""The customer and the product that the admin's loan forms are filled in with."""

from decimal import Decimal

import pytest

from tests import factories


@pytest.fixture
def product(app):
    return factories.ProductFactory(
        name="Готівка",
        annual_rate=Decimal("19.9"),
        min_amount=Decimal("1000"),
        max_amount=Decimal("50000"),
        min_term=3,
        max_term=24,
    )


@pytest.fixture
def customer(app):
    return factories.CustomerFactory(last_name="Шевченко")
