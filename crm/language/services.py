"""Saving a user's interface language."""

from sqlalchemy.orm import Session

from crm.models import User


def save_language(session: Session, user: User, language: str) -> None:
    """Keep `language` (one the interface speaks; the caller checks) as the user's choice."""
    user.locale = language
    session.flush()
