"""`flask loans quote`, run through Flask's CLI runner."""

import json
from datetime import datetime
from itertools import chain

import pytest

from crm.lending.schedule import add_months

VALID = {"--amount": "10000", "--rate": "12", "--term": "12", "--method": "annuity"}


def run_quote(runner, options: dict[str, str]):
    """`loans quote` with these options, in this order."""
    return runner.invoke(args=["loans", "quote", *chain.from_iterable(options.items())])


def quote_json(runner, options: dict[str, str]) -> dict:
    result = run_quote(runner, {**options, "--format": "json"})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_quote_prints_every_row_the_totals_and_the_aprc(runner):
    result = run_quote(runner, {**VALID, "--start": "2026-01-31"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Annuity loan of 10,000.00 at 12 % a year for 12 months, disbursed on 2026-01-31"
    )
    assert lines[2].split() == ["No", "Due", "date", "Principal", "Interest", "Payment", "Balance"]
    assert lines[3].split() == ["1", "2026-02-28", "788.49", "100.00", "888.49", "9,211.51"]
    assert lines[14].split() == ["12", "2027-01-31", "879.67", "8.80", "888.47", "0.00"]
    assert lines[15].split() == ["Total", "10,000.00", "661.86", "10,661.86"]
    assert "Total interest: 661.86" in lines
    assert "Total payable:  10,661.86" in lines
    assert lines[-1] == "APRC:           12.68 %"


def test_quote_as_json(runner):
    quote = quote_json(runner, {**VALID, "--start": "2026-01-15"})
    assert len(quote["rows"]) == 12
    assert quote["rows"][0] == {
        "number": 1,
        "due_date": "2026-02-15",
        "principal": "788.49",
        "interest": "100.00",
        "payment": "888.49",
        "balance": "9211.51",
    }
    assert quote["rows"][-1]["due_date"] == "2027-01-15"
    assert (quote["total_interest"], quote["total_payable"], quote["apr_percent"]) == (
        "661.86",
        "10661.86",
        "12.68",
    )


@pytest.mark.parametrize(
    ("amount", "term", "method", "first", "last", "interest"),
    [
        ("10000", "12", "annuity", "788.49 + 100.00 = 888.49", "879.67 + 8.80 = 888.47", "661.86"),
        (
            "10000",
            "12",
            "differentiated",
            "833.33 + 100.00 = 933.33",
            "833.37 + 8.33 = 841.70",
            "650.00",
        ),
        ("5000", "18", "annuity", "254.91 + 50.00 = 304.91", "301.92 + 3.02 = 304.94", "488.41"),
        (
            "5000",
            "18",
            "differentiated",
            "277.78 + 50.00 = 327.78",
            "277.74 + 2.78 = 280.52",
            "475.00",
        ),
    ],
)
def test_quote_gives_the_reference_schedules(runner, amount, term, method, first, last, interest):
    options = {"--amount": amount, "--rate": "12", "--term": term, "--method": method}
    quote = quote_json(runner, {**options, "--start": "2026-01-15"})
    rows = [f"{row['principal']} + {row['interest']} = {row['payment']}" for row in quote["rows"]]
    assert (rows[0], rows[-1]) == (first, last)
    assert quote["total_interest"] == interest
    assert quote["apr_percent"] == "12.68"


def test_amount_with_cents_is_read_exactly(runner):
    options = {"--amount": "0.30", "--rate": "0", "--term": "3", "--method": "differentiated"}
    quote = quote_json(runner, {**options, "--start": "2026-01-15"})
    assert [row["principal"] for row in quote["rows"]] == ["0.10", "0.10", "0.10"]
    assert (quote["total_payable"], quote["apr_percent"]) == ("0.30", "0.00")


def test_quote_starts_today_by_default(runner):
    before = datetime.now().astimezone().date()
    quote = quote_json(runner, VALID)
    after = datetime.now().astimezone().date()
    assert quote["rows"][0]["due_date"] in {
        add_months(before, 1).isoformat(),
        add_months(after, 1).isoformat(),
    }


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--amount", "0", "out of range"),
        ("--amount", "-100", "is not a number"),
        ("--amount", "1e3", "is not a number"),
        ("--amount", "1e309", "is not a number"),
        ("--amount", "1_000", "is not a number"),
        ("--amount", "+100", "is not a number"),
        ("--amount", "١٢٣", "is not a number"),
        ("--amount", "ten", "is not a number"),
        ("--amount", "NaN", "is not a number"),
        ("--amount", "100.001", "more than 2 decimal places"),
        ("--amount", "1000000000000", "out of range"),
        ("--rate", "-1", "is not a number"),
        ("--rate", "１２", "is not a number"),
        ("--rate", "1E1", "is not a number"),
        ("--rate", "200.01", "out of range"),
        ("--rate", "12.00001", "more than 4 decimal places"),
        ("--term", "0", "not in the range"),
        ("--term", "361", "not in the range"),
        ("--term", "twelve", "not a valid integer"),
        ("--method", "balloon", "not one of"),
        ("--start", "2026-02-30", "does not match the format"),
        ("--start", "15.01.2026", "does not match the format"),
        ("--start", "9999-06-01", "after the year 9999"),
        ("--format", "xml", "not one of"),
    ],
)
def test_bad_arguments_exit_with_status_2_and_say_why(runner, option, value, message):
    result = run_quote(runner, {**VALID, option: value})
    assert result.exit_code == 2
    assert option in result.output
    assert message in result.output


@pytest.mark.parametrize("missing", ["--amount", "--rate", "--term", "--method"])
def test_required_options_are_required(runner, missing):
    result = run_quote(
        runner, {option: value for option, value in VALID.items() if option != missing}
    )
    assert result.exit_code == 2
    assert f"Missing option '{missing}'" in result.output


def test_help_describes_the_command(runner):
    assert "Loan calculations." in runner.invoke(args=["loans", "--help"]).output
    result = runner.invoke(args=["loans", "quote", "--help"])
    assert result.exit_code == 0
    assert "Print a loan's repayment schedule, totals and APRC" in result.output
