"""What a customer changes from their personal account: applications for a loan, and their
own phone number and language. The customer is always the logged-in one, handed in by the
view; nothing here takes a customer id from a form."""

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.account.queries import MAX_PENDING, pending_count
from crm.customers.services import check_not_taken
from crm.language.services import save_language
from crm.loans.services.applications import apply_for_loan
from crm.models import Customer, Loan, Product, User
from crm.validation import FieldError, TakenError, check_version, normalise_phone

#: The field of the apply form that a refusal about no single field is shown with.
APPLICATION = "application"


def apply_online(
    session: Session,
    customer: Customer,
    *,
    product_id: int | None,
    amount: Decimal | None,
    term_months: int | None,
) -> Loan:
    """A pending application of `customer` for the product, at its current rate.

    Refused with FieldError on "application" while the customer already has MAX_PENDING
    applications waiting; on "product_id" for a product that does not exist or is no
    longer offered; on "amount" and "term_months" outside the product's limits (see
    crm.loans.services.applications.check_application).
    """
    _lock_customer(session, customer)
    _check_pending_limit(session, customer)
    product = None if product_id is None else session.get(Product, product_id)
    if product is None:
        raise FieldError("product_id", _("Pick a product."))
    try:
        return apply_for_loan(session, customer, product, amount, term_months)
    except FieldError as error:
        if error.field == "product":
            raise FieldError("product_id", error.message) from None
        raise


def _lock_customer(session: Session, customer: Customer) -> None:
    """Hold the customer's row until the commit, so that two applications sent at once are
    counted one after the other (PostgreSQL; SQLite's writing requests hold the whole
    database from their start, crm/database.py)."""
    session.execute(
        select(Customer.id).where(Customer.id == customer.id).with_for_update(of=Customer)
    )


def _check_pending_limit(session: Session, customer: Customer) -> None:
    if pending_count(session, customer.id) >= MAX_PENDING:
        raise FieldError(
            APPLICATION,
            ngettext(
                "You already have %(num)d application waiting for a decision, the most we "
                "take at once. Wait for a decision or withdraw one, then apply again.",
                "You already have %(num)d applications waiting for a decision, the most we "
                "take at once. Wait for a decision or withdraw one, then apply again.",
                MAX_PENDING,
            ),
        )


def update_profile(
    session: Session,
    user: User,
    customer: Customer | None,
    *,
    phone: str | None,
    language: str,
    expected_version: int | None = None,
) -> None:
    """Save the customer's phone number (normalised to E.164, numbers without a country code
    taken as Ukrainian) and the login's interface language (one the interface speaks; the
    caller checks).

    Raises FieldError on "phone" for a number that does not parse (as the staff's customer
    form) or that another customer has (saying nothing of them), and StaleDataError when
    `expected_version` is not the customer's current version (someone changed the record
    since the form was built): nothing changes then. A login linked to no customer saves
    its language only.
    """
    if customer is not None:
        check_version(customer, expected_version)
        cleaned = normalise_phone(phone, "phone")
        if cleaned != customer.phone:
            _check_phone_free(session, cleaned, customer)
            customer.phone = cleaned
    save_language(session, user, language)
    session.flush()


def _check_phone_free(session: Session, phone: str, customer: Customer) -> None:
    """Another customer's number is refused as the staff's forms refuse it, but the message
    neither names nor links to them: this customer must learn nothing of anyone else."""
    try:
        check_not_taken(session, {"phone": phone}, customer)
    except TakenError:
        raise FieldError(
            "phone",
            _("This number cannot be saved here. Contact the lender to change it, please."),
        ) from None
