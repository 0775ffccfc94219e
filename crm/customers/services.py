"""Writing customers: every entry point (admin, staff forms, CLI) goes through these checks."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from crm.clock import lender_today
from crm.models import STAFF_ROLES, Customer, Loan, User
from crm.models.customer import MAX_ADDRESS, MAX_NAME
from crm.validation import (
    FieldError,
    TakenError,
    check_birth_date,
    check_version,
    clean_name,
    clean_tax_id,
    normalise_email,
    normalise_phone,
    optional_text,
)

#: The most customers one bulk reassignment takes: a few pages of the admin's list.
MAX_REASSIGNED = 500

#: The fields a form may set; search_text and created_at are the model's own business.
CUSTOMER_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "phone",
    "email",
    "birth_date",
    "tax_id",
    "address",
    "manager",
)
#: Borrowers are adults: the age, in years, a customer must have reached.
ADULT_AGE = 18


def clean_customer_data(
    session: Session,
    data: Mapping[str, Any],
    *,
    region: str = "UA",
    today: date | None = None,
) -> dict[str, Any]:
    """The values of CUSTOMER_FIELDS, trimmed and normalised, ready to set on a Customer.

    `data` maps field names to form values (missing keys count as empty); `region` is the
    country assumed for phone numbers typed without a code; `today` is the lender's day
    (crm.clock.lender_today() when not given). Raises FieldError for the first bad field:
    a missing name, a name longer than MAX_NAME or an address longer than MAX_ADDRESS
    characters, a phone or e-mail that does not parse, a tax id that is not 10 digits, a
    birth date in the future or of someone under ADULT_AGE, a manager who is not active
    staff. Whether another customer has the phone, e-mail or tax id is check_not_taken's.
    """
    today = today or lender_today()
    return {
        "last_name": clean_name(data.get("last_name"), "last_name", max_length=MAX_NAME),
        "first_name": clean_name(data.get("first_name"), "first_name", max_length=MAX_NAME),
        "patronymic": clean_name(
            data.get("patronymic"), "patronymic", max_length=MAX_NAME, required=False
        ),
        "phone": normalise_phone(data.get("phone"), "phone", region),
        "email": normalise_email(data.get("email"), "email"),
        "birth_date": _check_adult(
            check_birth_date(data.get("birth_date"), "birth_date", today=today), today
        ),
        "tax_id": clean_tax_id(data.get("tax_id"), "tax_id"),
        "address": optional_text(data.get("address"), "address", max_length=MAX_ADDRESS),
        "manager": _check_manager(data.get("manager")),
    }


#: The unique details of a customer, each with what is said when another customer has it.
UNIQUE_DETAILS = {
    "phone": (Customer.phone, _l("Another customer already has this phone number.")),
    "email": (Customer.email, _l("Another customer already has this e-mail address.")),
    "tax_id": (Customer.tax_id, _l("Another customer already has this tax id.")),
}


def check_not_taken(
    session: Session, cleaned: Mapping[str, Any], customer: Customer | None = None
) -> None:
    """Raise TakenError naming the field and the other customer's id when another customer
    than `customer` (the one being edited, if any) has the phone, e-mail or tax id in
    `cleaned` (values as clean_customer_data gives them). The message names no one: the
    staff's pages add a link to the other customer, the personal account never does."""
    for field, (column, message) in UNIQUE_DETAILS.items():
        other = taken_by(session, column, cleaned.get(field), customer)
        if other is not None:
            raise TakenError(field, str(message), other)


def create_customer(
    session: Session,
    data: Mapping[str, Any],
    *,
    region: str = "UA",
    today: date | None = None,
) -> Customer:
    """Add a customer from form values; raises FieldError (see clean_customer_data), and
    TakenError (see check_not_taken)."""
    cleaned = clean_customer_data(session, data, region=region, today=today)
    check_not_taken(session, cleaned)
    customer = add_customer(session, cleaned)
    session.flush()
    return customer


def add_customer(session: Session, cleaned: Mapping[str, Any]) -> Customer:
    """A new customer with `cleaned` values (clean_customer_data's, which check_not_taken
    passed), added to the session and not flushed: create_customer flushes it at once, an
    import (crm/imports/) a chunk of new customers together."""
    customer = Customer(**cleaned)
    session.add(customer)
    return customer


def update_customer(
    session: Session,
    customer: Customer,
    data: Mapping[str, Any],
    *,
    region: str = "UA",
    today: date | None = None,
    expected_version: int | None = None,
) -> Customer:
    """Change a customer from form values; raises FieldError (see clean_customer_data),
    TakenError (see check_not_taken), and StaleDataError when `expected_version` (the
    version the user's form was built from) is not the customer's current one: nothing
    changes then."""
    check_version(customer, expected_version)
    cleaned = clean_customer_data(session, data, region=region, today=today)
    check_not_taken(session, cleaned, customer)
    change_customer(customer, cleaned)
    session.flush()
    return customer


def change_customer(customer: Customer, cleaned: Mapping[str, Any]) -> None:
    """Set `cleaned` values (as for add_customer) on `customer`, not flushed."""
    for name, value in cleaned.items():
        setattr(customer, name, value)


def delete_customer(session: Session, customer: Customer) -> None:
    """Delete a customer who has no loans and no login.

    Loans are the lender's records and must outlive any clean-up, so a customer with any
    loan is refused (FieldError on "loans"), as is one with a login ("login"): the login
    is deleted first, on purpose.
    """
    loans = session.scalar(
        select(func.count()).select_from(Loan).where(Loan.customer_id == customer.id)
    )
    if loans:
        raise FieldError(
            "loans",
            ngettext(
                "%(name)s has %(num)d loan and cannot be deleted: "
                "loans are kept for the lender's records.",
                "%(name)s has %(num)d loans and cannot be deleted: "
                "loans are kept for the lender's records.",
                loans,
                name=customer.full_name,
            ),
        )
    if session.scalar(select(User.id).where(User.customer_id == customer.id)) is not None:
        raise FieldError(
            "login",
            _(
                "%(name)s has a login to the personal account; delete the login first.",
                name=customer.full_name,
            ),
        )
    session.delete(customer)
    session.flush()


def reassign_customers(
    session: Session, customer_ids: Sequence[int | None], manager_id: int | None
) -> int:
    """Give the customers `customer_ids` to the staff member `manager_id`, each through the
    session (so each change is in the audit trail); returns how many changed hands (those
    of that manager already stay as they are).

    Raises FieldError on "manager" when it is not an active staff member, on "rowid" when
    no customer is chosen, more than MAX_REASSIGNED are, or one is not a customer (None
    stands for a value that was not an id): then nobody changes hands.
    """
    manager = session.get(User, manager_id) if manager_id is not None else None
    if manager is None:
        raise FieldError("manager", _("Choose an active staff member."))
    _check_manager(manager)
    wanted = set(customer_ids)
    if not wanted:
        raise FieldError("rowid", _("Choose the customers to give to another manager."))
    if len(wanted) > MAX_REASSIGNED:
        raise FieldError(
            "rowid",
            _("At most %(num)d customers can be given at once.", num=MAX_REASSIGNED),
        )
    customers = [] if None in wanted else _customers(session, wanted)
    if len(customers) != len(wanted):
        raise FieldError(
            "rowid", _("Some of the chosen customers are not there any more; choose again.")
        )
    moved = [customer for customer in customers if customer.manager_id != manager.id]
    for customer in moved:
        customer.manager = manager
    session.flush()
    return len(moved)


def _customers(session: Session, ids: set[int]) -> list[Customer]:
    return list(session.scalars(select(Customer).where(Customer.id.in_(sorted(ids)))))


def _check_manager(manager: User | None) -> User | None:
    if manager is not None and (manager.role not in STAFF_ROLES or not manager.active):
        raise FieldError("manager", _("Only an active staff member can manage customers."))
    return manager


def _check_adult(birth_date: date | None, today: date) -> date | None:
    if birth_date is None:
        return None
    # Born on 29 February: of age on 1 March in a year without one.
    years = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    if years < ADULT_AGE:
        raise FieldError(
            "birth_date",
            _("A borrower must be at least %(age)d years old.", age=ADULT_AGE),
        )
    return birth_date


def taken_by(
    session: Session,
    column: InstrumentedAttribute,
    value: str | None,
    customer: Customer | None = None,
) -> int | None:
    """The id of a customer other than `customer` whose `column` is `value`, if any."""
    if value is None:
        return None
    statement = select(Customer.id).where(column == value)
    if customer is not None and customer.id is not None:
        statement = statement.where(Customer.id != customer.id)
    # A record half-changed in the session must not be flushed by this look-up.
    with session.no_autoflush:
        return session.scalar(statement.order_by(Customer.id).limit(1))
