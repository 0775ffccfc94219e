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

from pages import CUSTOMER_EMAIL, MANAGER_EMAIL, account_pages, pages_to_time

ROOT = Path(__file__).resolve().parents[1]
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
    statements: list[str]


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
        "--sql-log",
        type=Path,
        help="write the SQL statements of each page's last request to this file",
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
                    statements=list(statements),
                )
            )
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return results


def analyze(app) -> bool:
    """VACUUM ANALYZE on PostgreSQL, as autovacuum would; True when it ran.

    Right after a bulk load the tables have no statistics, so the planner guesses, and no
    page is marked all-visible, so an index-only scan reads the table as well (300 000
    heap fetches for a search of two letters): neither is what a running system sees.
    """
    from sqlalchemy import text

    from crm.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return False
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
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


def sql_log(pages: list[PageRun]) -> str:
    """Each page's label and URL, then the statements of one request, one a line."""
    blocks = []
    for p in pages:
        lines = [f"## {p.label}: {p.url} ({p.queries} queries)"]
        lines += [" ".join(statement.split()) for statement in p.statements]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


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

    if args.sql_log is not None:
        args.sql_log.write_text(sql_log([*pages, *account]), encoding="utf-8")

    if scratch is not None:
        if args.keep:
            print(f"\nKept {scratch}/bench.sqlite3", file=sys.stderr)
        else:
            for leftover in Path(scratch).iterdir():
                leftover.unlink()
            Path(scratch).rmdir()


if __name__ == "__main__":
    main()
