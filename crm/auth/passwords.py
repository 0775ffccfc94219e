"""The password policy, and the password check that log-ins without a login still pay for.

A shared helper (tests/test_layers.py): the services of every entry point that sets a
password (the admin, `flask users`, registration, resets) call `check_new_password`.
"""

import re
import secrets
from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn_rs_py import Warning as Weakness
from zxcvbn_rs_py import zxcvbn

from crm.models.user import password_hash_method
from crm.validation import FieldError

MIN_LENGTH = 12
MAX_LENGTH = 128
#: zxcvbn scores a password 0 to 4 by the guesses it would take; below 3 (10^8 guesses) it is
#: within reach of an attacker who has the hashes.
MIN_SCORE = 3
#: Shorter pieces of a name or an address say too little to refuse a password for.
MIN_PERSONAL_WORD = 3
#: zxcvbn's warnings are names; these are what people read. (Pairs: its enums cannot be keys.)
WEAKNESSES = (
    (Weakness.StraightRowsOfKeysAreEasyToGuess, _l("Straight rows of keys are easy to guess.")),
    (
        Weakness.ShortKeyboardPatternsAreEasyToGuess,
        _l("Short keyboard patterns are easy to guess."),
    ),
    (Weakness.RepeatsLikeAaaAreEasyToGuess, _l("Repeats like “aaa” are easy to guess.")),
    (
        Weakness.RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        _l("Repeats like “abcabcabc” are only slightly harder to guess than “abc”."),
    ),
    (Weakness.ThisIsATop10Password, _l("This is one of the ten most common passwords.")),
    (Weakness.ThisIsATop100Password, _l("This is one of the hundred most common passwords.")),
    (Weakness.ThisIsACommonPassword, _l("This is a common password.")),
    (
        Weakness.ThisIsSimilarToACommonlyUsedPassword,
        _l("This is similar to a commonly used password."),
    ),
    (
        Weakness.SequencesLikeAbcAreEasyToGuess,
        _l("Sequences like “abc” or “6543” are easy to guess."),
    ),
    (Weakness.RecentYearsAreEasyToGuess, _l("Recent years are easy to guess.")),
    (Weakness.AWordByItselfIsEasyToGuess, _l("A word by itself is easy to guess.")),
    (Weakness.DatesAreOftenEasyToGuess, _l("Dates are often easy to guess.")),
    (
        Weakness.NamesAndSurnamesByThemselvesAreEasyToGuess,
        _l("Names and surnames by themselves are easy to guess."),
    ),
    (
        Weakness.CommonNamesAndSurnamesAreEasyToGuess,
        _l("Common names and surnames are easy to guess."),
    ),
)

_dummy_hashes: dict[str, str] = {}


def check_new_password(password: str, *, user_inputs: Iterable[str | None] = ()) -> None:
    """Refuse a password that is shorter than MIN_LENGTH or longer than MAX_LENGTH characters,
    common (zxcvbn's lists of common and breached passwords), or easy to guess, also from
    `user_inputs` (the user's name and e-mail address).

    Raises FieldError("password", message) saying why, in the user's language.
    """
    if len(password) < MIN_LENGTH:
        raise FieldError(
            "password", _("The password needs at least %(num)d characters.", num=MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        raise FieldError(
            "password", _("The password can have at most %(num)d characters.", num=MAX_LENGTH)
        )
    words = personal_words(user_inputs)
    verdict = zxcvbn(password, user_inputs=words)
    if int(verdict.score) >= MIN_SCORE:
        return
    raise FieldError("password", _why_weak(password, words, verdict.feedback))


#: How people join the parts of their name into a password (olena.koval, kovalolena, …).
JOINERS = ("", ".", "_", "-")


def personal_words(user_inputs: Iterable[str | None]) -> list[str]:
    """The user's own words, lower-case: each input whole, its pieces (anna.kovalenko@bank.ua
    gives anna, kovalenko, bank, ua) and the pieces joined in either order; zxcvbn tries them
    first (it sees "olena" and "koval", but not "olena.koval", as a single guess)."""
    words: list[str] = []
    for value in user_inputs:
        text = (value or "").strip().lower()
        if "@" in text:  # the address whole, then its two halves as inputs of their own
            words += personal_words(text.split("@"))
        pieces = [piece for piece in re.split(r"[\W_]+", text) if piece]
        joined = [
            joiner.join(order)
            for order in (pieces, pieces[::-1])
            for joiner in JOINERS
            if len(pieces) > 1
        ]
        words += [word for word in (text, *pieces, *joined) if len(word) >= MIN_PERSONAL_WORD]
    return list(dict.fromkeys(words))


def _why_weak(password: str, words: list[str], feedback) -> str:
    lowered = password.lower()
    if any(word in lowered for word in words):
        reason = _("It is built from your name or e-mail address.")
    else:
        warning = feedback.warning if feedback is not None else None
        named = [str(text) for weakness, text in WEAKNESSES if weakness == warning]
        reason = named[0] if named else _("It would not take long to guess.")
    advice = _("A few unrelated words make a strong password that is easy to remember.")
    return _(
        "This password is too easy to guess. %(reason)s %(advice)s", reason=reason, advice=advice
    )


def check_password_of_nobody(password: str) -> None:
    """Spend what checking a real password costs, for a log-in whose e-mail has no login, so
    that the time taken does not tell which e-mail addresses have one."""
    method = password_hash_method()
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash(secrets.token_urlsafe(32), method=method)
    check_password_hash(_dummy_hashes[method], password)
