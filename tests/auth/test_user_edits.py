"""Writing logins (crm/auth/services.py): the limits the forms show, and stale edits."""

import pytest
from sqlalchemy.orm.exc import StaleDataError

from crm.auth.services import create_user, update_user
from crm.extensions import db
from crm.models import Role, User
from crm.validation import MISSING_VERSION, FieldError
from tests import factories


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
        create_user(
            db.session, "new@example.com", "long-enough-secret", Role.MANAGER, full_name=full_name
        )
    assert error.value.field == "full_name"
    with pytest.raises(FieldError, match=message):
        update_user(
            db.session, user, email=user.email, role=user.role, active=True, full_name=full_name
        )
    db.session.rollback()
    assert db.session.get(User, user.id).full_name == "Стара"
    assert db.session.query(User).count() == 1


def test_the_longest_full_name_is_kept(app):
    user = create_user(
        db.session, "new@example.com", "long-enough-secret", Role.MANAGER, full_name="Н" * 200
    )
    assert len(user.full_name) == 200


def test_a_stale_or_versionless_login_edit_changes_nothing(app):
    user = factories.UserFactory(role=Role.MANAGER, full_name="Стара")
    update_user(
        db.session,
        user,
        email=user.email,
        role=user.role,
        active=True,
        full_name="Нова",
        expected_version=1,
    )
    db.session.commit()
    assert user.version == 2
    for version in (1, MISSING_VERSION):
        with pytest.raises(StaleDataError):
            update_user(
                db.session,
                user,
                email=user.email,
                role=Role.ADMIN,
                active=False,
                expected_version=version,
            )
        db.session.rollback()
        user = db.session.get(User, user.id)
        assert (user.full_name, user.role, user.active) == ("Нова", Role.MANAGER, True)
