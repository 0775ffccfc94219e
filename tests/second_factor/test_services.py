"""Checking codes (crm/second_factor/services.py): the window, replay, recovery codes."""

from datetime import timedelta

import pyotp
import pytest

from crm.extensions import db
from crm.second_factor.services import _recovery_digest, check_code, code_step, enrol, new_secret
from crm.validation import FieldError
from tests import factories


@pytest.mark.parametrize(
    ("seconds", "accepted"), [(-60, False), (-30, True), (0, True), (30, True), (60, False)]
)
def test_a_code_passes_one_step_either_side_and_no_further(clock, seconds, accepted):
    secret = new_secret()
    code = pyotp.TOTP(secret).at(clock.now + timedelta(seconds=seconds))

    assert (code_step(secret, code, clock.now) is not None) is accepted


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", "１２３４５６"])
def test_only_six_ascii_digits_are_a_code(clock, typed):
    assert code_step(new_secret(), typed, clock.now) is None


def test_a_code_keeps_its_leading_zeros(clock):
    secret = new_secret()
    moment = next(
        clock.now + timedelta(seconds=30 * n)
        for n in range(10_000)
        if pyotp.TOTP(secret).at(clock.now + timedelta(seconds=30 * n)).startswith("0")
    )

    assert code_step(secret, pyotp.TOTP(secret).at(moment), moment) is not None


def test_enrolling_twice_is_refused(clock, manager):
    factories.enrol_second_factor(manager, clock.now)
    secret = new_secret()

    with pytest.raises(FieldError, match="already set up"):
        enrol(db.session, manager, secret, pyotp.TOTP(secret).at(clock.now), at=clock.now)


def test_codes_pass_only_forward_in_time(clock, manager):
    secret, _codes = factories.enrol_second_factor(manager, clock.now)
    totp = pyotp.TOTP(secret)
    later = clock.now + timedelta(seconds=30)

    assert check_code(db.session, manager, totp.at(later), at=later) == "code"
    assert check_code(db.session, manager, totp.at(later), at=later) is None
    assert check_code(db.session, manager, totp.at(clock.now), at=later) is None


@pytest.mark.parametrize("spelling", [str.upper, lambda code: code.replace("-", " ")])
def test_a_recovery_code_is_read_however_it_is_typed(clock, manager, spelling):
    _secret, codes = factories.enrol_second_factor(manager, clock.now)

    assert check_code(db.session, manager, spelling(codes[3]), at=clock.now) == "recovery_code"
    assert check_code(db.session, manager, codes[3], at=clock.now) is None
    assert manager.second_factor.unused_recovery_codes == 9


def test_lookalike_letters_read_as_the_digits_they_stand_for():
    assert _recovery_digest("AbCd-EfGh-JkMn-PqOL") == _recovery_digest("abcdefghjkmnpq01")
    assert _recovery_digest("abcd-efgh-jkmn-pq0u") is None  # u is not in the alphabet
    assert _recovery_digest("abcd-efgh-jkmn-pq0") is None


def test_without_a_second_factor_nothing_passes(clock, manager):
    assert check_code(db.session, manager, "123456", at=clock.now) is None
