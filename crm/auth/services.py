"""Creating and authenticating logins."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.models import STAFF_ROLES, Customer, Loan, Payment, Role, User
from crm.models.user import MAX_FULL_NAME
from crm.validation import FieldError, check_version, clean_name, normalise_email

MIN_PASSWORD_LENGTH = 8


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def create_user(
    session: Session,
    email: str,
    password: str,
    role: Role,
    *,
    full_name: str | None = None,
    customer: Customer | None = None,
) -> User:
    """Add a login; raises FieldError for a bad or taken e-mail, a short password, a bad link."""
    address = _free_email(session, email)
    _check_password(password)
    _check_customer_link(role, customer)
    user = User(
        email=address,
        role=role,
        full_name=_clean_full_name(full_name),
        customer=customer,
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session,
    user: User,
    *,
    email: str,
    role: Role,
    active: bool,
    full_name: str | None = None,
    customer: Customer | None = None,
    password: str | None = None,
    acting_user: User | None = None,
    expected_version: int | None = None,
) -> User:
    """Change a login; an empty `password` keeps the current one.

    Raises FieldError like create_user; when `acting_user` (the admin making the change)
    would change their own role or deactivate themselves (nobody locks themselves out); and
    when a manager of customers would stop being staff (reassign the customers first).
    Raises StaleDataError when `expected_version` (the version the admin's form was built
    from) is not the login's current one: nothing changes then.
    """
    check_version(user, expected_version)
    address = _free_email(session, email, user)
    name = _clean_full_name(full_name)
    if acting_user is not None and acting_user.id == user.id:
        if role is not user.role:
            raise FieldError("role", _("You cannot change your own role."))
        if not active:
            raise FieldError("active", _("You cannot deactivate your own login."))
    if role not in STAFF_ROLES and _exists(
        session, select(Customer.id).where(Customer.manager_id == user.id)
    ):
        raise FieldError("role", _("This user manages customers; give them another manager first."))
    if password:
        _check_password(password)
    _check_customer_link(role, customer, user)
    user.email = address
    user.role = role
    user.active = active
    user.full_name = name
    user.customer = customer
    if password:
        user.set_password(password)
    session.flush()
    return user


def delete_user(session: Session, user: User, *, acting_user: User | None = None) -> None:
    """Delete a login that has left no trace in the records.

    A user who manages customers, decided on loans or recorded payments is part of the
    history, so deleting them is refused (FieldError naming what they are tied to):
    untick Active instead. A customer's login may go; the customer record stays. Nobody
    deletes their own login.
    """
    if acting_user is not None and acting_user.id == user.id:
        raise FieldError("id", _("You cannot delete your own login."))
    name = user.display_name
    if _exists(session, select(Customer.id).where(Customer.manager_id == user.id)):
        raise FieldError(
            "customers",
            _(
                "%(user)s manages customers and cannot be deleted; untick Active instead.",
                user=name,
            ),
        )
    if _exists(session, select(Loan.id).where(Loan.decided_by_id == user.id)):
        raise FieldError(
            "loans",
            _("%(user)s decided on loans and cannot be deleted; untick Active instead.", user=name),
        )
    recorded = (Payment.recorded_by_id == user.id) | (Payment.reversed_by_id == user.id)
    if _exists(session, select(Payment.id).where(recorded)):
        raise FieldError(
            "payments",
            _(
                "%(user)s recorded payments and cannot be deleted; untick Active instead.",
                user=name,
            ),
        )
    session.delete(user)
    session.flush()


def _free_email(session: Session, email: str, user: User | None = None) -> str:
    """The address normalised; taken by another login (not `user`) is an error."""
    address = normalise_email(email, required=True)
    taken = select(func.count()).select_from(User).where(User.email == address)
    if user is not None:
        taken = taken.where(User.id != user.id)
    with session.no_autoflush:
        if session.scalar(taken):
            raise FieldError(
                "email", _("A user with the e-mail %(email)s already exists.", email=address)
            )
    return address


def _clean_full_name(full_name: str | None) -> str:
    """The name shown for a login, or "" for none; at most MAX_FULL_NAME characters."""
    return clean_name(full_name, "full_name", max_length=MAX_FULL_NAME, required=False) or ""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FieldError(
            "password",
            _("The password needs at least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
        )


def _check_customer_link(role: Role, customer: Customer | None, user: User | None = None) -> None:
    """Only a customer login is linked to a customer, and one customer has one login."""
    if customer is None:
        return
    if role is not Role.CUSTOMER:
        raise FieldError("customer", _("Only a customer login can be linked to a customer."))
    if customer.login is not None and customer.login is not user:
        raise FieldError("customer", _("This customer already has a login."))


def _exists(session: Session, statement) -> bool:
    return session.scalar(statement.limit(1)) is not None
