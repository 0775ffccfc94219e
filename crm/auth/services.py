"""Creating and authenticating logins."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.models import Customer, Role, User
from crm.validation import FieldError, clean_name, normalise_email

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
    address = normalise_email(email, required=True)
    if session.scalar(select(func.count()).select_from(User).where(User.email == address)):
        raise FieldError("email", f"A user with the e-mail {address} already exists.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FieldError(
            "password", f"The password needs at least {MIN_PASSWORD_LENGTH} characters."
        )
    if customer is not None and role is not Role.CUSTOMER:
        raise FieldError("customer", "Only a customer login can be linked to a customer.")
    if customer is not None and customer.login is not None:
        raise FieldError("customer", "This customer already has a login.")
    user = User(
        email=address,
        role=role,
        full_name=clean_name(full_name, "full_name", required=False) or "",
        customer=customer,
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    return user
