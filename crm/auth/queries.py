"""Reading logins: the staff members that lists, filters and pickers offer."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from crm.models import STAFF_ROLES, User


def staff_members(*, active_only: bool = False) -> Select:
    """Staff users by name (then e-mail); `active_only` leaves out deactivated logins."""
    statement = select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.full_name, User.email)
    return statement.where(User.active) if active_only else statement


#: staff_names' two statements, built once: the admin's lists of customers and loans read the
#: names for their filters on every page, and building the statement cost as much as running
#: it.
_STAFF_NAMES = {
    active_only: staff_members(active_only=active_only).with_only_columns(
        User.id, User.display_name
    )
    for active_only in (False, True)
}


def staff_names(session: Session, *, active_only: bool = False) -> list[tuple[int, str]]:
    """(id, name) of every staff user, by name: the managers a list can be filtered by;
    `active_only` gives those a record can still be handed to."""
    return [(user_id, name) for user_id, name in session.execute(_STAFF_NAMES[active_only])]
