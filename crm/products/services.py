"""Writing credit products: the limits every loan of the product is later checked against."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.lending.schedule import RepaymentMethod
from crm.models import Loan, Product, ProductCategory
from crm.models.product import (
    MAX_DESCRIPTION,
    MAX_PRODUCT_NAME,
    MAX_RATE,
    MAX_TERM,
    MIN_RATE,
    MIN_TERM,
)
from crm.validation import FieldError, check_money, check_version, clean_name, optional_text

#: Rates are stored as Numeric(7, 4): percent with four decimals.
RATE_STEP = Decimal("0.0001")

PRODUCT_FIELDS = (
    "name",
    "annual_rate",
    "category",
    "description",
    "min_amount",
    "max_amount",
    "min_term",
    "max_term",
    "repayment_method",
    "active",
)


def clean_product_data(
    session: Session, data: Mapping[str, Any], *, product: Product | None = None
) -> dict[str, Any]:
    """The values of PRODUCT_FIELDS, checked, ready to set on a Product.

    Rates are percent a year (0 to 200, four decimals), amounts are money (min ≤ max), terms
    are months (1 to 360, min ≤ max); the name is unique, ignoring case, and at most
    MAX_PRODUCT_NAME characters, the description at most MAX_DESCRIPTION. `product` is the
    record being edited, left out of the name check. Raises FieldError for the first bad
    field.
    """
    name = clean_name(data.get("name"), "name", max_length=MAX_PRODUCT_NAME)
    description = optional_text(data.get("description"), "description", max_length=MAX_DESCRIPTION)
    min_amount = check_money(data.get("min_amount"), "min_amount")
    max_amount = check_money(data.get("max_amount"), "max_amount")
    if max_amount < min_amount:
        raise FieldError(
            "max_amount", _("The largest amount cannot be less than the smallest amount.")
        )
    min_term = _check_term(data.get("min_term"), "min_term")
    max_term = _check_term(data.get("max_term"), "max_term")
    if max_term < min_term:
        raise FieldError(
            "max_term", _("The longest term cannot be shorter than the shortest term.")
        )
    cleaned = {
        "name": name,
        "annual_rate": _check_rate(data.get("annual_rate")),
        "category": _choice(ProductCategory, data.get("category"), "category"),
        "description": description,
        "min_amount": min_amount,
        "max_amount": max_amount,
        "min_term": min_term,
        "max_term": max_term,
        "repayment_method": _choice(
            RepaymentMethod, data.get("repayment_method"), "repayment_method"
        ),
        "active": bool(data.get("active")),
    }
    if _name_taken(session, name, product):
        raise FieldError("name", _("Another product already has this name."))
    return cleaned


def create_product(session: Session, data: Mapping[str, Any]) -> Product:
    """Add a product from form values; raises FieldError (see clean_product_data)."""
    product = Product(**clean_product_data(session, data))
    session.add(product)
    session.flush()
    return product


def update_product(
    session: Session,
    product: Product,
    data: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Product:
    """Change a product from form values; raises FieldError (see clean_product_data), and
    StaleDataError when `expected_version` (the version the user's form was built from) is
    not the product's current one: nothing changes then.

    Loans keep the rate copied when they were applied for, so a new rate only reaches new
    applications.
    """
    check_version(product, expected_version)
    for name, value in clean_product_data(session, data, product=product).items():
        setattr(product, name, value)
    session.flush()
    return product


def delete_product(session: Session, product: Product) -> None:
    """Delete a product no loan uses; otherwise FieldError on "loans" (switch it off instead)."""
    loans = session.scalar(
        select(func.count()).select_from(Loan).where(Loan.product_id == product.id)
    )
    if loans:
        raise FieldError(
            "loans",
            ngettext(
                "%(name)s has %(num)d loan and cannot be deleted; "
                "untick Active to stop offering it.",
                "%(name)s has %(num)d loans and cannot be deleted; "
                "untick Active to stop offering it.",
                loans,
                name=product.name,
            ),
        )
    session.delete(product)
    session.flush()


def _check_rate(value: Decimal | None) -> Decimal:
    if value is None:
        raise FieldError("annual_rate", _("This field is required."))
    if not value.is_finite() or not MIN_RATE <= value <= MAX_RATE:
        raise FieldError(
            "annual_rate",
            _("The rate is between %(low)s and %(high)s %%.", low=MIN_RATE, high=MAX_RATE),
        )
    if value != value.quantize(RATE_STEP):
        raise FieldError("annual_rate", _("The rate has at most 4 decimal places."))
    return value.quantize(RATE_STEP)


def _check_term(value: int | None, field: str) -> int:
    if value is None:
        raise FieldError(field, _("This field is required."))
    if not MIN_TERM <= value <= MAX_TERM:
        raise FieldError(
            field,
            _("The term is between %(low)d and %(high)d months.", low=MIN_TERM, high=MAX_TERM),
        )
    return value


def _choice(enum_class, value, field: str):
    try:
        return enum_class(value)
    except ValueError:
        raise FieldError(field, _("Pick one of the choices.")) from None


def _name_taken(session: Session, name: str, product: Product | None) -> bool:
    # Products are a handful, and Python's casefold also folds Cyrillic, which SQLite's
    # lower() does not.
    statement = select(Product.id, Product.name)
    if product is not None and product.id is not None:
        statement = statement.where(Product.id != product.id)
    with session.no_autoflush:
        rows = session.execute(statement).all()
    folded = name.casefold()
    return any(row.name.casefold() == folded for row in rows)
