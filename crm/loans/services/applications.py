"""Loan applications: taking one, changing its terms while it is pending, deleting one
entered by mistake; the amount and term are always checked against the product."""

from decimal import Decimal

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from crm.i18n.labels import status_word
from crm.lending.status import LoanStatus
from crm.loans.services.guards import wrong_status
from crm.models import Customer, Loan, Product
from crm.validation import FieldError, check_money, check_version


def check_application(
    product: Product | None,
    amount: Decimal | None,
    term_months: int | None,
    *,
    new_product: bool = True,
) -> tuple[Decimal, int]:
    """The amount and term, checked against the product's limits.

    Raises FieldError on "product" when there is none or, for a product being chosen
    (`new_product`), when it is no longer offered; on
    "amount" for anything but a positive amount in whole cents within the product's
    limits, and on "term_months" for a term outside them.
    """
    if product is None:
        raise FieldError("product", _("This field is required."))
    if new_product and not product.active:
        raise FieldError("product", _("This product is no longer offered."))
    amount = check_money(amount, "amount")
    lends = _l("%(product)s lends from %(low)s to %(high)s.")
    _check_limits(product, "amount", amount, (product.min_amount, product.max_amount), lends)
    if term_months is None:
        raise FieldError("term_months", _("This field is required."))
    lends = _l("%(product)s lends for %(low)d to %(high)d months.")
    _check_limits(product, "term_months", term_months, (product.min_term, product.max_term), lends)
    return amount, term_months


def _check_limits(
    product: Product, field: str, value: Decimal | int, limits: tuple, message: LazyString
) -> None:
    """`value` within the product's (lowest, highest) `limits`; `message` names the product's
    name and the limits as %(product)s, %(low)s and %(high)s."""
    low, high = limits
    if not low <= value <= high:
        raise FieldError(field, str(message) % {"product": product.name, "low": low, "high": high})


def apply_for_loan(
    session: Session,
    customer: Customer | None,
    product: Product | None,
    amount: Decimal | None,
    term_months: int | None,
) -> Loan:
    """A pending application at the product's current rate (percent a year), which the loan
    keeps whatever later happens to the product. Raises FieldError (see check_application;
    also on "customer" when there is none).
    """
    if customer is None:
        raise FieldError("customer", _("This field is required."))
    amount, term_months = check_application(product, amount, term_months)
    loan = Loan(
        customer=customer,
        product=product,
        amount=amount,
        term_months=term_months,
        annual_rate=product.annual_rate,
        status=LoanStatus.PENDING,
    )
    session.add(loan)
    session.flush()
    return loan


def update_application(
    session: Session,
    loan: Loan,
    *,
    customer: Customer | None,
    product: Product | None,
    amount: Decimal | None,
    term_months: int | None,
    expected_version: int | None = None,
) -> Loan:
    """Change the customer, product, amount or term of an application.

    Only a pending application changes: once a loan is decided (refused, withdrawn) or has
    started, its terms are the record of what was agreed, and any change is refused with
    FieldError on the changed field. A new product brings its current rate; keeping the
    product keeps the rate copied at application. `expected_version` is the version the
    user's form was built from: when someone saved the loan since, StaleDataError is raised
    and nothing changes.
    """
    check_version(loan, expected_version)
    changes = {
        "customer": _id(customer) != loan.customer_id,
        "product": _id(product) != loan.product_id,
        "amount": amount != loan.amount,
        "term_months": term_months != loan.term_months,
    }
    if loan.status is not LoanStatus.PENDING:
        _refuse_changes(loan, [field for field, changed in changes.items() if changed])
        return loan
    if customer is None:
        raise FieldError("customer", _("This field is required."))
    if changes["product"] or changes["amount"] or changes["term_months"]:
        amount, term_months = check_application(
            product, amount, term_months, new_product=changes["product"]
        )
    loan.customer = customer
    if changes["product"]:
        loan.product = product
        loan.annual_rate = product.annual_rate
    loan.amount = amount
    loan.term_months = term_months
    session.flush()
    return loan


def _refuse_changes(loan: Loan, changed: list[str]) -> None:
    """A decided or started loan keeps its terms: a change to any is refused on its field."""
    if changed:
        raise FieldError(
            changed[0],
            _(
                "This loan is %(status)s: only a pending application can change "
                "its customer, product, amount, term or rate.",
                status=status_word(loan.status),
            ),
        )


def _id(record: Customer | Product | None) -> int | None:
    return None if record is None else record.id


def delete_application(session: Session, loan: Loan) -> None:
    """Delete a pending application entered by mistake.

    A decided or started loan is the lender's record (the dashboard counts refusals, a
    schedule and payments hang off a started one), so deleting it is refused with
    FieldError on "status".
    """
    if loan.status is not LoanStatus.PENDING:
        raise wrong_status(
            loan, _l("Loan %(number)s is %(status)s; only a pending application can be deleted.")
        )
    session.delete(loan)
    session.flush()
