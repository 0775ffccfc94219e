"""Creating and authenticating logins, changing their passwords, roles and state: each
change that should lock a login out ends its sessions at once (crm.sessions.services)."""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.auth.passwords import check_new_password, check_password_of_nobody
from crm.links.services.tokens import void_links
from crm.models import (
    STAFF_ROLES,
    Customer,
    LinkPurpose,
    Loan,
    Payment,
    Role,
    SessionEnd,
    User,
    UserSession,
)
from crm.models.user import MAX_FULL_NAME
from crm.sessions.services import end_sessions
from crm.validation import FieldError, check_version, clean_name, normalise_email


@dataclass(frozen=True)
class LoginCheck:
    """What a log-in's e-mail and password came to: the user, or why not (for the log)."""

    user: User | None
    #: "unknown_email", "wrong_password" or "inactive"; None when the log-in may go on.
    failure: str | None = None


def login_email(typed: str) -> str:
    """The e-mail address as logins store it: what log-ins look up and their limits count."""
    return typed.strip().lower()


def check_login(session: Session, email: str, password: str) -> LoginCheck:
    """Check a log-in's e-mail and password.

    Every outcome costs one password hash with today's parameters (an unknown e-mail is
    checked against a hash of nothing, an inactive login's password is checked too), so
    that the time taken does not tell which addresses have logins. A right password whose
    hash was made with older parameters is hashed again (not flushed: the caller names the
    user as the actor of that change, then commits).
    """
    user = session.scalar(select(User).where(User.email == login_email(email)))
    if user is None:
        check_password_of_nobody(password)
        return LoginCheck(None, "unknown_email")
    if not user.check_password(password):
        return LoginCheck(None, "wrong_password")
    if not user.active:
        return LoginCheck(None, "inactive")
    if user.password_needs_rehash:
        user.set_password(password)
    return LoginCheck(user)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    return check_login(session, email, password).user


def create_user(
    session: Session,
    email: str,
    password: str,
    role: Role,
    *,
    full_name: str | None = None,
    customer: Customer | None = None,
    active: bool = True,
) -> User:
    """Add a login (`active` False: one that cannot log in yet); raises FieldError for a bad
    or taken e-mail, a short password, a bad link."""
    address = _free_email(session, email)
    _check_password(password, user_inputs=(address, full_name))
    _check_customer_link(role, customer)
    user = User(
        email=address,
        role=role,
        full_name=_clean_full_name(full_name),
        customer=customer,
        active=active,
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
    keep: UserSession | None = None,
    expected_version: int | None = None,
) -> User:
    """Change a login; an empty `password` keeps the current one.

    A new role, a deactivation or a new password ends the user's sessions (all but `keep`,
    the acting user's own session when they change their own password), ended by
    `acting_user`; a new password also voids open password-reset links. Raises FieldError
    like create_user; when `acting_user` (the admin making the change) would change their
    own role or deactivate themselves (nobody locks themselves out); and when a manager of
    customers would stop being staff (reassign the customers first). Raises StaleDataError
    when `expected_version` (the version the admin's form was built from) is not the
    login's current one: nothing changes then.
    """
    check_version(user, expected_version)
    address = _free_email(session, email, user)
    name = _clean_full_name(full_name)
    _check_role_change(session, user, role=role, active=active, acting_user=acting_user)
    if password:
        _check_password(password, user_inputs=(address, full_name))
    _check_customer_link(role, customer, user)
    lock_out = _lock_out_reason(user, role, active)
    user.email = address
    user.role = role
    user.active = active
    user.full_name = name
    user.customer = customer
    if password:
        # Before any session ends (which flushes): the change is one flush, one audit event.
        user.set_password(password)
    if lock_out is not None:
        end_sessions(session, user, reason=lock_out, by=acting_user)
    if password:
        end_sessions(session, user, reason=SessionEnd.PASSWORD_CHANGED, keep=keep, by=acting_user)
        void_links(session, LinkPurpose.RESET, user=user)
    session.flush()
    return user


def set_password(
    session: Session,
    user: User,
    password: str,
    *,
    keep: UserSession | None = None,
    by: User | None = None,
) -> int:
    """Give `user` a new password and end their sessions, all but `keep` (the session the
    user changes it from); returns how many ended. Open password-reset links stop working.
    `by` is who changed it: the user, an admin, or None for the system (a command). Raises
    FieldError("password", …) for a password the policy refuses, changing nothing."""
    _check_password(password, user_inputs=(user.email, user.full_name))
    user.set_password(password)
    ended = end_sessions(session, user, reason=SessionEnd.PASSWORD_CHANGED, keep=keep, by=by)
    void_links(session, LinkPurpose.RESET, user=user)
    session.flush()
    return ended


def deactivate_user(session: Session, user: User, *, by: User | None = None) -> int:
    """Untick the login's Active flag and end its sessions; returns how many ended."""
    user.active = False
    ended = end_sessions(session, user, reason=SessionEnd.DEACTIVATED, by=by)
    session.flush()
    return ended


def _lock_out_reason(user: User, role: Role, active: bool) -> SessionEnd | None:
    """Why the change ends the user's sessions: a deactivation, or a new role (what the
    open sessions were allowed to do no longer holds); None when neither."""
    if user.active and not active:
        return SessionEnd.DEACTIVATED
    if role is not user.role:
        return SessionEnd.ROLE_CHANGED
    return None


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


def _check_role_change(
    session: Session, user: User, *, role: Role, active: bool, acting_user: User | None
) -> None:
    """Nobody changes their own role or deactivates themselves (they would lock themselves
    out), and a manager of customers stays staff until the customers have another one."""
    if acting_user is not None and acting_user.id == user.id:
        if role is not user.role:
            raise FieldError("role", _("You cannot change your own role."))
        if not active:
            raise FieldError("active", _("You cannot deactivate your own login."))
    if role not in STAFF_ROLES and _exists(
        session, select(Customer.id).where(Customer.manager_id == user.id)
    ):
        raise FieldError("role", _("This user manages customers; give them another manager first."))


def _clean_full_name(full_name: str | None) -> str:
    """The name shown for a login, or "" for none; at most MAX_FULL_NAME characters."""
    return clean_name(full_name, "full_name", max_length=MAX_FULL_NAME, required=False) or ""


def _check_password(password: str, *, user_inputs: Iterable[str | None] = ()) -> None:
    """The password policy (crm/auth/passwords.py); `user_inputs`: the user's name, e-mail."""
    check_new_password(password, user_inputs=user_inputs)


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
