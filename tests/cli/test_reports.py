"""`flask --app wsgi reports portfolio`: the figures as of a day, as a table or as JSON with
the keys DESIGN.md promises."""

import json

from tests.reports.test_ledger import PAYMENT, Book, at, d


def test_json_has_the_promised_keys_and_the_ledgers_figures(app, runner, clock):
    clock.now = at(1, 20)
    book = Book(clock)
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    result = runner.invoke(
        args=["reports", "portfolio", "--as-of", "2026-04-15", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "as_of": "2026-04-15",
        "active_loans": 2,
        "outstanding_principal": "10211.51",
        "overdue_amount": "1898.49",
        "par1": "100.00",
        "par30": "100.00",
        "par90": "0.00",
        "loans_par30": 2,
    }


def test_no_portfolio_has_no_par(app, runner):
    result = runner.invoke(
        args=["reports", "portfolio", "--as-of", "2026-04-15", "--format", "json"]
    )
    figures = json.loads(result.output)
    assert (figures["active_loans"], figures["par30"]) == (0, None)


def test_the_table_names_each_figure(app, runner, clock):
    clock.now = at(1, 20)
    book = Book(clock)
    book.pay(book.loan, PAYMENT, d(2, 15), "p1")
    result = runner.invoke(args=["reports", "portfolio", "--as-of", "2026-02-22"])
    assert result.exit_code == 0, result.output
    assert "Portfolio at the end of 2026-02-22" in result.output
    assert "PAR1" in result.output
    assert "9.79 %" in result.output  # the short loan's 1 000 of 10 211.51


def test_a_day_that_is_not_a_date_is_refused(app, runner):
    result = runner.invoke(args=["reports", "portfolio", "--as-of", "31.02.2026"])
    assert result.exit_code == 2
    assert "--as-of" in result.output
