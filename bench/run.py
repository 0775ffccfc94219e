"""Benchmark: load the demo data set, then time the main staff pages.

    .venv/bin/python bench/run.py                       # 100 000 customers, fresh SQLite file
    .venv/bin/python bench/run.py --customers 10000 --requests 10
    .venv/bin/python bench/run.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Prints a Markdown report: the time, CPU time and peak memory of `flask demo load`, then for
each page the median and 95th percentile of its response time and its SQL query count, as
the demo manager sees it through Flask's test client (no network, no web server: this
measures the application and the database, not gunicorn). See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
MANAGER_EMAIL = "manager@demo.crm"
CUSTOMER_EMAIL = "customer@demo.crm"
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class CommandRun:
    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    output: str


@dataclass
class PageRun:
    label: str
    url: str
    status: int
    median_ms: float
    p95_ms: float
    queries: int


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load the demo data set and time the main staff pages (Markdown report).",
    )
    parser.add_argument(
        "--customers",
        type=int,
        default=100_000,
        help="customers for `demo load` (about three loans each); default %(default)s",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=20,
        help="timed requests per page, after one warm-up request; default %(default)s",
    )
    parser.add_argument(
        "--database-url",
        help="database to use instead of a fresh SQLite file; it must be empty unless "
        "--skip-load is given (migrations are applied either way)",
    )
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="do not load demo data: time the pages of an already loaded --database-url",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the fresh SQLite file and print its path",
    )
    args = parser.parse_args(argv)
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    if args.skip_load and not args.database_url:
        parser.error("--skip-load needs --database-url")
    return args


def run_flask(database_url: str, *args: str) -> CommandRun:
    """Run `flask --app wsgi ARGS` in a child process; its own time, CPU and peak memory."""
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read()
    # wait4 reports the resources of this one child, not of every child so far.
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"`flask {' '.join(args)}` failed ({process.returncode}):\n{output}")
    return CommandRun(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        output=output,
    )


def make_app(database_url: str):
    sys.path.insert(0, str(ROOT))
    from config import Config
    from crm import create_app

    bench_config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": database_url})
    app = create_app(bench_config)
    if app.config["SQLALCHEMY_DATABASE_URI"] != database_url:
        sys.exit("instance/config.py overrides SQLALCHEMY_DATABASE_URI; move it away to bench.")
    return app


def log_in(client, email: str, password: str) -> None:
    page = client.get("/auth/login")
    match = CSRF_INPUT.search(page.get_data(as_text=True))
    form = {"email": email, "password": password}
    if match:
        form["csrf_token"] = match.group(1)
    response = client.post("/auth/login", data=form)
    if response.status_code != 302:
        sys.exit(f"Could not log in as {email} (status {response.status_code}).")


def pages_to_time(app) -> list[tuple[str, str]]:
    """(label, URL) of each page; the search terms and the customer come from the data."""
    from sqlalchemy import func, select

    from crm.extensions import db
    from crm.models import Customer, Loan

    with app.app_context():
        middle = db.session.scalar(select(func.max(Customer.id))) // 2
        loan_id = db.session.scalar(
            select(Loan.id).where(Loan.customer_id >= middle).order_by(Loan.id).limit(1)
        )
        customer = db.session.scalar(
            select(Customer).where(Customer.id >= middle).order_by(Customer.id).limit(1)
        )
        name, customer_id = customer.last_name, customer.id
        middle_page = db.session.scalar(select(func.count()).select_from(Customer)) // (
            2 * app.config["PER_PAGE"]
        )
        found = db.session.scalar(
            select(Customer)
            .where(Customer.id >= middle, Customer.email.is_not(None), Customer.tax_id.is_not(None))
            .order_by(Customer.id)
            .limit(1)
        )
        db.session.remove()
    return [
        ("dashboard", "/"),
        ("customers", "/customers/"),
        ("customers by name", "/customers/?sort=name"),
        ("customers by name, from Я", "/customers/?sort=-name"),
        ("customers by name, page 40", "/customers/?sort=name&page=40"),
        ("customers by name, middle page", f"/customers/?sort=name&page={max(middle_page, 1)}"),
        ("customer search", f"/customers/?q={name}"),
        ("customer search by name", f"/customers/?q={name}&sort=name"),
        ("customer search by name, no match", "/customers/?q=zzzz&sort=name"),
        ("customer card", f"/customers/{customer_id}"),
        ("loan page", f"/loans/{loan_id}"),
        ("loans", "/loans/"),
        ("active loans", "/loans/?status=active"),
        *search_pages(found, loan_id),
        ("overdue queue", "/loans/overdue"),
        ("overdue, largest first", "/loans/overdue?sort=-amount"),
        ("overdue 90+, page 3", "/loans/overdue?bucket=90%2B&page=3"),
        ("products", "/products/"),
        ("admin customers by last name", "/admin/customer/?sort=0"),
    ]


def search_pages(customer, loan_id: int) -> list[tuple[str, str]]:
    """(label, URL) of the navbar search for each kind of key, and of the loans list's
    search, sorts and filters, looking for `customer` and the loan `loan_id`."""
    national = customer.phone.removeprefix("+38")
    typed_phone = f"{national[:3]} {national[3:6]} {national[6:8]} {national[8:]}"
    first_words = quote(f"{customer.last_name[:3]} {customer.first_name[:3]}")
    full_name = quote(f"{customer.first_name} {customer.last_name}")
    return [
        ("search: name, any order", f"/search?q={full_name}"),
        ("search: name prefixes", f"/search?q={first_words}"),
        ("search: phone as typed", f"/search?q={quote(typed_phone)}"),
        ("search: last 7 digits of a phone", f"/search?q={national[-7:]}"),
        ("search: e-mail", f"/search?q={quote(customer.email.upper())}"),
        ("search: tax id", f"/search?q={customer.tax_id}"),
        ("search: loan number", f"/search?q=%23{loan_id}"),
        ("search: no match", "/search?q=zzzz"),
        ("loans: search by name", f"/loans/?q={quote(customer.last_name)}"),
        ("loans: search by phone", f"/loans/?q={quote(typed_phone)}"),
        ("loans: largest first", "/loans/?sort=-amount"),
        ("loans: by customer name", "/loans/?sort=customer"),
        ("loans: active, a month", "/loans/?status=active&from=2026-01-01&to=2026-01-31"),
        ("loans: my customers, oldest first", "/loans/?mine=1&sort=created"),
    ]


def account_pages(app) -> list[tuple[str, str]]:
    """(label, URL) of the demo customer's personal account pages, their active loan's."""
    from sqlalchemy import select

    from crm.extensions import db
    from crm.lending.status import LoanStatus
    from crm.models import Loan, User

    with app.app_context():
        customer_id = db.session.scalar(
            select(User.customer_id).where(User.email == CUSTOMER_EMAIL)
        )
        loan_id = db.session.scalar(
            select(Loan.id).where(Loan.customer_id == customer_id, Loan.status == LoanStatus.ACTIVE)
        )
        db.session.remove()
    return [
        ("account overview", "/account/"),
        ("account loan page", f"/account/loans/{loan_id}"),
        ("account schedule CSV", f"/account/loans/{loan_id}/schedule.csv"),
        ("account apply", "/account/apply"),
        ("account profile", "/account/profile"),
    ]


def time_pages(app, requests: int, email: str, pages: list[tuple[str, str]]) -> list[PageRun]:
    """Each page's times and SQL queries, as `email` sees it."""
    from sqlalchemy import event

    from crm.demo.load import DEMO_PASSWORD
    from crm.extensions import db

    client = app.test_client()
    log_in(client, email, DEMO_PASSWORD)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    results = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        for label, url in pages:
            client.get(url).close()  # warm-up: caches, compiled statements, the pool
            samples = []
            for _ in range(requests):
                statements.clear()
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
                response.close()
            results.append(
                PageRun(
                    label=label,
                    url=url,
                    status=response.status_code,
                    median_ms=statistics.median(samples),
                    p95_ms=statistics.quantiles(samples, n=20)[18],
                    queries=len(statements),
                )
            )
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return results


def analyze(app) -> bool:
    """Refresh PostgreSQL's planner statistics, as autovacuum would; True when it ran.

    Right after a bulk load the tables have none, and without autovacuum (or before its
    next round) the planner guesses, which is not what a running system sees.
    """
    from sqlalchemy import text

    from crm.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return False
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.session.remove()
    return True


def count_rows(app) -> dict[str, int]:
    """Rows in each table the data set fills, by table name."""
    from sqlalchemy import func, select

    from crm.extensions import db
    from crm.models import Customer, Installment, Loan, Payment, PaymentAllocation

    with app.app_context():
        counts = {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Customer, Loan, Installment, Payment, PaymentAllocation)
        }
        db.session.remove()
    return counts


def machine() -> str:
    import sqlalchemy

    return (
        f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"SQLAlchemy {sqlalchemy.__version__}"
    )


def report(
    database: str,
    load: CommandRun | None,
    rows: dict[str, int],
    pages: list[PageRun],
    account: list[PageRun],
    requests: int,
    analyzed: bool,
) -> str:
    customers, loans = rows["customers"], rows["loans"]
    lines = [
        f"# Benchmark: {database}",
        "",
        f"Machine: {machine()}.",
        f"Data: {customers:,} customers, {loans:,} loans, {rows['installments']:,} "
        f"installments, {rows['payments']:,} payments, {rows['payment_allocations']:,} "
        "allocations.",
        "",
    ]
    if analyzed:
        lines += ["`ANALYZE` ran before the pages were timed.", ""]
    if load is not None:
        lines += [
            "## `flask demo load`",
            "",
            "| customers | loans | wall time | CPU time | max RSS |",
            "|---:|---:|---:|---:|---:|",
            f"| {customers:,} | {loans:,} | {load.seconds:.1f} s | {load.cpu_seconds:.1f} s "
            f"| {load.max_rss_mb:.0f} MB |",
            "",
        ]
    lines += [
        f"## Staff pages ({MANAGER_EMAIL}, {requests} requests each after a warm-up)",
        "",
        "| page | URL | status | median | p95 | SQL queries |",
        "|---|---|---:|---:|---:|---:|",
    ]
    lines += page_rows(pages)
    lines += [
        "",
        f"## Personal account ({CUSTOMER_EMAIL}, {requests} requests each after a warm-up)",
        "",
        "| page | URL | status | median | p95 | SQL queries |",
        "|---|---|---:|---:|---:|---:|",
        *page_rows(account),
    ]
    lines += ["", f"Page process max RSS: {max_rss_self_mb():.0f} MB."]
    return "\n".join(lines)


def page_rows(pages: list[PageRun]) -> list[str]:
    return [
        f"| {p.label} | `{p.url}` | {p.status} | {p.median_ms:.1f} ms | {p.p95_ms:.1f} ms "
        f"| {p.queries} |"
        for p in pages
    ]


def max_rss_self_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    scratch = None
    database_url = args.database_url
    if database_url is None:
        scratch = tempfile.mkdtemp(prefix="crm-bench-")
        database_url = f"sqlite:///{scratch}/bench.sqlite3"
    print(f"Database: {database_url}", file=sys.stderr)

    run_flask(database_url, "db", "upgrade")
    load = None
    if not args.skip_load:
        print(f"Loading {args.customers:,} customers…", file=sys.stderr)
        load = run_flask(database_url, "demo", "load", "--customers", str(args.customers))

    app = make_app(database_url)
    rows = count_rows(app)
    analyzed = analyze(app)
    print(f"Timing pages, {args.requests} requests each…", file=sys.stderr)
    pages = time_pages(app, args.requests, MANAGER_EMAIL, pages_to_time(app))
    account = time_pages(app, args.requests, CUSTOMER_EMAIL, account_pages(app))
    dialect = database_url.split(":", 1)[0].split("+", 1)[0]
    print(report(dialect, load, rows, pages, account, args.requests, analyzed))

    if scratch is not None:
        if args.keep:
            print(f"\nKept {scratch}/bench.sqlite3", file=sys.stderr)
        else:
            for leftover in Path(scratch).iterdir():
                leftover.unlink()
            Path(scratch).rmdir()


if __name__ == "__main__":
    main()
