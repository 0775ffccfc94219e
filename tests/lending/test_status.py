import pytest

from crm.lending.status import (
    TRANSITIONS,
    LoanStatus,
    TransitionError,
    can_transition,
    transition,
)

ALLOWED = {
    ("pending", "refused"),
    ("pending", "withdrawn"),
    ("pending", "active"),
    ("active", "finished"),
    ("active", "written_off"),
}
EVERY_PAIR = [(current, target) for current in TRANSITIONS for target in TRANSITIONS]


def test_every_status_has_its_transitions():
    assert set(TRANSITIONS) == set(LoanStatus)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_lifecycle_allows_these_moves(current, target):
    assert can_transition(current, target)
    assert transition(current, target) == target


@pytest.mark.parametrize(
    ("current", "target"), [pair for pair in EVERY_PAIR if pair not in ALLOWED]
)
def test_every_other_move_is_refused(current, target):
    assert not can_transition(current, target)
    with pytest.raises(TransitionError) as raised:
        transition(current, target)
    assert (raised.value.current, raised.value.target) == (current, target)


def test_model_enum_goes_in_and_comes_out():
    result = transition(LoanStatus.PENDING, LoanStatus.ACTIVE)
    assert result is LoanStatus.ACTIVE


def test_refusal_names_the_moves_that_are_allowed():
    with pytest.raises(
        TransitionError,
        match=r"^A loan cannot go from active to pending; "
        r"from active it can only go to finished or written off\.$",
    ):
        transition(LoanStatus.ACTIVE, LoanStatus.PENDING)
    with pytest.raises(TransitionError, match="only go to active, refused or withdrawn"):
        transition("pending", "finished")


def test_refusal_from_a_final_status_says_it_is_final():
    with pytest.raises(
        TransitionError,
        match=r"^A loan cannot go from written off to active: written off is a final status\.$",
    ):
        transition("written_off", "active")


@pytest.mark.parametrize(("current", "target"), [("started", "finished"), ("active", "closed")])
def test_unknown_status_is_refused(current, target):
    with pytest.raises(TransitionError, match="Unknown loan status"):
        transition(current, target)
