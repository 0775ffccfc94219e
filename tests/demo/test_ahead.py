"""Making the next piece of work in a second process: in order, and failing loudly."""

import os
import signal

import pytest

from crm.demo.ahead import AheadFailed, made_ahead


def square(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_each_item_is_made_in_order_in_another_process():
    made = list(made_ahead(square, range(5)))

    assert [value for value, _pid in made] == [0, 1, 4, 9, 16]
    assert {pid for _value, pid in made} - {os.getpid()}
    assert len({pid for _value, pid in made}) == 1


def test_state_changed_by_the_maker_stays_in_the_child():
    seen = []

    def remember(n: int) -> int:
        seen.append(n)
        return len(seen)

    assert list(made_ahead(remember, "abc")) == [1, 2, 3]
    assert seen == []


def test_an_error_in_the_child_comes_back_with_its_traceback():
    def fail_on_two(n: int) -> int:
        if n == 2:
            raise ValueError("no two")
        return n

    made = made_ahead(fail_on_two, range(4))

    assert [next(made), next(made)] == [0, 1]
    with pytest.raises(AheadFailed, match="ValueError: no two"):
        next(made)


def test_a_child_killed_without_a_word_fails_the_caller():
    def die(_n: int) -> int:
        os.kill(os.getpid(), signal.SIGKILL)
        return 0

    with pytest.raises(AheadFailed, match="exit code -9"):
        list(made_ahead(die, range(2)))


def test_stopping_early_ends_the_child():
    made = made_ahead(square, range(1000))
    _value, child = next(made)

    made.close()

    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
