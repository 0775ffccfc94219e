"""Staff members' second factor: an authenticator app (TOTP) and one-time recovery codes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.models.base import Base
from crm.models.types import foreign_id, utcnow

if TYPE_CHECKING:
    from crm.models.user import User


class SecondFactor(Base):
    """The TOTP secret (RFC 6238: six digits, 30-second steps) a user's app shares with us."""

    __tablename__ = "second_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: The shared secret in base32, as the QR code gave it to the app.
    secret: Mapped[str] = mapped_column(String(64))
    #: The time step (Unix time // 30) of the last code accepted: a code of that step or an
    #: earlier one is refused, so that a code seen over a shoulder cannot be used again.
    last_step: Mapped[int | None] = mapped_column(BigInteger)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="second_factor")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="second_factor", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def unused_recovery_codes(self) -> int:
        return sum(1 for code in self.recovery_codes if code.used_at is None)


class RecoveryCode(Base):
    """A one-time code that stands in for the app (a lost phone); only its hash is kept."""

    __tablename__ = "recovery_codes"
    __table_args__ = (
        UniqueConstraint(
            "second_factor_id", "code_hash", name="uq_recovery_codes_second_factor_id_code_hash"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    second_factor_id: Mapped[int] = foreign_id("second_factors", ondelete="CASCADE")
    #: SHA-256 of the code in hex: the codes are 80 random bits, so a slow hash adds nothing.
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]

    second_factor: Mapped[SecondFactor] = relationship(back_populates="recovery_codes")
