"""Benchmark: how many rows a second `flask --app wsgi import` takes, dry run and apply.

    .venv/bin/python bench/import_speed.py                        # 100 000 customers, SQLite
    .venv/bin/python bench/import_speed.py --rows 10000           # a quicker run
    .venv/bin/python bench/import_speed.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Loads the demo data (for loans to pay), writes a customers CSV of --rows deterministic rows
(valid ones, and a few that must be refused: a bad phone, someone under 18, a tax id given
twice) and a bank statement CSV with a payment for each active demo loan (and a few that
must be refused), then runs each import three times as a deployer would, in a child
process: with --dry-run, for real, and for real again (the re-run, which must add and post
nothing). Prints a Markdown table: each run's wall time, rows per second, CPU time and peak
memory, and what it said it did. Figures and the command: docs/PERFORMANCE.md, "Imports".
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from run import ROOT, CommandRun, run_flask

LAST_NAMES = ("Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Лисенко")
FIRST_NAMES = ("Олена", "Тарас", "Ірина", "Андрій", "Марія", "Богдан", "Оксана", "Дмитро")
PATRONYMICS = ("Петрівна", "Іванович", "Олегівна", "Миколайович", "Степанівна", "Васильович")
CUSTOMER_HEADERS = (
    "Прізвище",
    "Ім’я",
    "По батькові",
    "Телефон",
    "Ел. пошта",
    "Дата народження",
    "РНОКПП",
    "Адреса",
)
PAYMENT_HEADERS = ("Дата", "Сума", "Референс", "Номер кредиту", "РНОКПП")
#: Every this many rows, one the import must refuse.
BAD_EVERY = 10_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time `flask import` (Markdown report).")
    parser.add_argument(
        "--rows", type=int, default=100_000, help="customer rows; default %(default)s"
    )
    parser.add_argument(
        "--demo-customers",
        type=int,
        default=10_000,
        help="customers of `demo load`, whose active loans the statement pays; default %(default)s",
    )
    parser.add_argument(
        "--database-url", help="an empty database to use instead of a fresh SQLite file"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def customer_row(n: int) -> list[str]:
    """Row n of the customers file: valid, and like nobody in the demo data (landline
    phones of Kyiv, tax ids starting with 9), but every BAD_EVERY rows one to refuse."""
    born = date(1950, 1, 1) + timedelta(days=n % 18_000)
    row = [
        f"{LAST_NAMES[n % len(LAST_NAMES)]}{n}",
        FIRST_NAMES[n % len(FIRST_NAMES)],
        PATRONYMICS[n % len(PATRONYMICS)],
        f"044 {2_000_000 + n:07d}",
        f"bench.{n}@example.com",
        born.strftime("%d.%m.%Y"),
        f"{9_000_000_000 + n}",
        f"м. Київ, вул. Хрещатик, {1 + n % 150}",
    ]
    if n % BAD_EVERY == 1:
        row[3] = "12"  # not a phone
    elif n % BAD_EVERY == 2:
        row[5] = "01.01.2020"  # under 18
    elif n % BAD_EVERY == 3:
        row[6] = f"{9_000_000_000 + n - 3}"  # the tax id of three rows before
    return row


def write_customers(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(CUSTOMER_HEADERS)
        writer.writerows(customer_row(n) for n in range(rows))


def active_loans(database_url: str) -> list[tuple[int, date, str | None, bool]]:
    """(loan id, disbursed on, the customer's tax id, whether it is their only active loan)."""
    from sqlalchemy import create_engine, text

    statement = text(
        "SELECT l.id, l.disbursed_on, c.tax_id, "
        "(SELECT COUNT(*) FROM loans o WHERE o.customer_id = l.customer_id "
        "AND o.status = 'active') "
        "FROM loans l JOIN customers c ON c.id = l.customer_id "
        "WHERE l.status = 'active' AND l.principal_outstanding >= 100 ORDER BY l.id"
    )
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    engine.dispose()
    return [(loan, _day(disbursed), tax_id, count == 1) for loan, disbursed, tax_id, count in rows]


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def write_statement(path: Path, loans: list[tuple[int, date, str | None, bool]]) -> int:
    """100.00 on each active loan (every tenth found by the customer's tax id), and three
    rows to refuse; returns the number of rows."""
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    rows = []
    for n, (loan_id, disbursed_on, tax_id, only_one) in enumerate(loans):
        paid_on = max(disbursed_on, yesterday)
        by_tax_id = n % 10 == 0 and only_one and tax_id
        loan = "" if by_tax_id else f"#{loan_id}"
        found_by = tax_id if by_tax_id else ""
        rows.append([paid_on.isoformat(), "100,00", f"BENCH-{loan_id}", loan, found_by])
    rows += [
        [yesterday.isoformat(), "100,00", "BENCH-X", "#999999999", ""],
        [yesterday.isoformat(), "сто", "BENCH-Y", rows[0][3] if rows else "#1", ""],
        [yesterday.isoformat(), "100,00", "BENCH-Z", "", ""],
    ]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(PAYMENT_HEADERS)
        writer.writerows(rows)
    return len(rows)


def summary_line(output: str) -> str:
    """What the command said it did, on one line ("New customer: 99,997; …")."""
    lines = [line.strip() for line in output.splitlines() if line.startswith("  ")]
    return "; ".join(lines)


def report_row(step: str, rows: int, run: CommandRun, start_up: float) -> str:
    """The run's figures; "after start-up" leaves out what a command that does nothing
    takes (importing the app's modules, building the app)."""
    working = max(run.seconds - start_up, 0.001)
    return (
        f"| {step} | {rows:,} | {run.seconds:.1f} | {rows / run.seconds:,.0f} | "
        f"{rows / working:,.0f} | {run.cpu_seconds:.1f} | {run.max_rss_mb:.0f} | "
        f"{summary_line(run.output)} |"
    )


def run_imports(database_url: str, kind: str, path: Path, rows: int, start_up: float) -> list[str]:
    lines = []
    for step, extra in (("dry run", ["--dry-run"]), ("apply", []), ("re-run", [])):
        print(f"import {kind} {step}…", file=sys.stderr)
        run = run_flask(database_url, "import", kind, str(path), *extra)
        lines.append(report_row(f"{kind}, {step}", rows, run, start_up))
    return lines


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    database_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    print(f"database: {database_url.split('@')[-1]}; files in {folder}", file=sys.stderr)
    run_flask(database_url, "db", "upgrade")
    load = run_flask(database_url, "demo", "load", "--customers", str(args.demo_customers))
    customers = folder / "customers.csv"
    write_customers(customers, args.rows)
    statement = folder / "statement.csv"
    payments = write_statement(statement, active_loans(database_url))
    start_up = min(run_flask(database_url, "import", "--help").seconds for _ in range(3))
    lines = [
        f"Import benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; "
        f"{'SQLite' if database_url.startswith('sqlite') else 'PostgreSQL'}, demo data of "
        f"{args.demo_customers:,} customers loaded in {load.seconds:.1f} s; a command that "
        f"does nothing takes {start_up:.1f} s.",
        "",
        "| run | rows | wall s | rows/s | rows/s after start-up | CPU s | max RSS MB | "
        "what it said |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        *run_imports(database_url, "customers", customers, args.rows, start_up),
        *run_imports(database_url, "payments", statement, payments, start_up),
    ]
    print("\n".join(lines))
    if args.keep:
        print(f"kept: {folder}", file=sys.stderr)
    else:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
