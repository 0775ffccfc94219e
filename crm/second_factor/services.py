"""The second factor: setting up an authenticator app (TOTP), checking its codes and the
recovery codes, removing it. Times come in as `at` (the routes pass crm.clock.utc_now())."""

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from flask_babel import gettext as _
from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from crm.models import RecoveryCode, SecondFactor, User
from crm.validation import FieldError

#: The name the app shows beside the account.
ISSUER = "Credit CRM"
RECOVERY_CODES = 10
#: A code is accepted one 30-second step early or late: phones' clocks drift, people are slow.
VALID_WINDOW = 1
#: Crockford's base32 leaves out i, l, o and u, so that no character reads as another;
#: 16 of them are 80 random bits.
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECOVERY_LENGTH = 16
#: What people type for the characters the alphabet leaves out.
LOOKALIKES = str.maketrans({"o": "0", "i": "1", "l": "1"})


def new_secret() -> str:
    """A fresh shared secret: 160 random bits in base32."""
    return pyotp.random_base32()


def setup_uri(secret: str, email: str) -> str:
    """The otpauth:// address the QR code carries to the app."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def code_step(secret: str, code: str, at: datetime) -> int | None:
    """The time step whose code `code` is, within VALID_WINDOW steps of `at`; None if none."""
    code = "".join(code.split())
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(at)
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enrol(session: Session, user: User, secret: str, code: str, *, at: datetime) -> list[str]:
    """Turn the second factor on with `secret`, once `code` shows that the app has it.

    Returns the RECOVERY_CODES recovery codes, to be shown once: only their hashes are kept.
    Raises FieldError("code") for a wrong code or when a second factor is already set up.
    """
    if user.second_factor is not None:
        raise FieldError("code", _("A second factor is already set up."))
    step = code_step(secret, code, at)
    if step is None:
        raise FieldError("code", _("That is not the code the app shows now."))
    user.second_factor = SecondFactor(secret=secret, last_step=step, enrolled_at=at)
    codes = _new_recovery_codes(user.second_factor)
    session.flush()
    return codes


def check_code(session: Session, user: User, code: str, *, at: datetime) -> str | None:
    """ "code" or "recovery_code" when `code` is the app's current code or an unused recovery
    code of `user`, which it then uses up (a code's step cannot pass again, even in a request
    racing this one); None when it is neither."""
    factor = user.second_factor
    if factor is None:
        return None
    step = code_step(factor.secret, code, at)
    if step is not None:
        newer = or_(SecondFactor.last_step.is_(None), SecondFactor.last_step < step)
        statement = update(SecondFactor).where(SecondFactor.id == factor.id, newer)
        accepted = session.execute(statement.values(last_step=step)).rowcount
        return "code" if accepted else None
    digest = _recovery_digest(code)
    if digest is None:
        return None
    statement = update(RecoveryCode).where(
        RecoveryCode.second_factor_id == factor.id,
        RecoveryCode.code_hash == digest,
        RecoveryCode.used_at.is_(None),
    )
    used = session.execute(statement.values(used_at=at)).rowcount
    return "recovery_code" if used else None


def confirm_identity(
    session: Session, user: User, password: str, code: str | None, *, at: datetime
) -> tuple[str | None, str | None]:
    """(failure, used) for a re-authentication: failure is "password" or "code" (None when
    both pass), used is what check_code used. The code is only looked at after the password."""
    if not user.check_password(password):
        return "password", None
    if user.second_factor is None:
        return None, None
    used = check_code(session, user, code or "", at=at)
    return (None, used) if used else ("code", None)


def renew_recovery_codes(session: Session, user: User) -> list[str]:
    """New recovery codes in place of all the old ones; returns them, to be shown once."""
    if user.second_factor is None:
        raise FieldError("code", _("There is no second factor to renew the codes of."))
    codes = _new_recovery_codes(user.second_factor)
    session.flush()
    return codes


def remove(session: Session, user: User) -> None:
    """Turn the second factor off: the secret and the recovery codes are deleted."""
    user.second_factor = None
    session.flush()


def _new_recovery_codes(factor: SecondFactor) -> list[str]:
    plain = [_random_recovery_code() for _number in range(RECOVERY_CODES)]
    factor.recovery_codes = [RecoveryCode(code_hash=_sha256(code)) for code in plain]
    return ["-".join(code[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4)) for code in plain]


def _random_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _position in range(RECOVERY_LENGTH))


def _recovery_digest(typed: str) -> str | None:
    """The hash of a recovery code as typed (any case, with or without dashes and spaces)."""
    code = "".join(typed.lower().split()).replace("-", "").translate(LOOKALIKES)
    if len(code) != RECOVERY_LENGTH or not set(code) <= set(RECOVERY_ALPHABET):
        return None
    return _sha256(code)


def _sha256(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
