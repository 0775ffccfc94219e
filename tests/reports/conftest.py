"""The book the reports' pages are tested on (tests/reports/period_book.py, up to the end of
May 2025), and a manager of it logged in."""

import pytest

from tests.reports.period_book import build_book, later


@pytest.fixture
def book(app, clock):
    book = build_book(clock)
    later(book, clock)
    return book


@pytest.fixture
def petro(client, login, book):
    """A client logged in as Petro, a manager."""
    login(book.petro)
    return client
