"""Writing logins (crm/auth/services.py): the limits the forms show, and stale edits."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from crm.auth.services import create_user, update_user
from crm.extensions import db
from crm.models import Role, User
from crm.validation import MISSING_VERSION, FieldError
from tests import factories

#: A password any password rule takes, so that only the field under test is refused.
STRONG = "Kestrel-umbra-9417-vyshyvanka"


def edit(user: User, expected_version: int | None = None, **changes) -> User:
    fields = {"email": user.email, "role": user.role, "active": user.active, **changes}
    return update_user(db.session, user, expected_version=expected_version, **fields)


@pytest.mark.parametrize(
    ("full_name", "message"),
    [
        ("Н" * 201, r"Too long: at most 200 characters \(this has 201\)\."),
        ("Олена\x00", "cannot be stored"),
        ("Олена\x9bКоваль", "cannot be stored"),
    ],
)
def test_a_full_name_the_column_cannot_hold_is_refused(app, full_name, message):
    user = factories.UserFactory(full_name="Стара")
    with pytest.raises(FieldError, match=message) as error:
        create_user(db.session, "new@example.com", STRONG, Role.MANAGER, full_name=full_name)
    assert error.value.field == "full_name"
    with pytest.raises(FieldError, match=message):
        edit(user, full_name=full_name)
    db.session.rollback()
    assert db.session.get(User, user.id).full_name == "Стара"
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_the_longest_full_name_is_kept(app):
    user = create_user(db.session, "new@example.com", STRONG, Role.MANAGER, full_name="Н" * 200)
    assert len(user.full_name) == 200


def test_a_stale_or_versionless_login_edit_changes_nothing(app):
    user = factories.UserFactory(role=Role.MANAGER, full_name="Стара")
    edit(user, expected_version=1, full_name="Нова")
    db.session.commit()
    assert user.version == 2
    for version in (1, MISSING_VERSION):
        with pytest.raises(StaleDataError):
            edit(user, expected_version=version, role=Role.ADMIN, active=False)
        db.session.rollback()
        user = db.session.get(User, user.id)
        assert (user.full_name, user.role, user.active) == ("Нова", Role.MANAGER, True)
