"""Benchmark the CRM served as deployed: gunicorn with the shipped gunicorn.conf.py, production
settings, loaded by wrk from a second process with the cookies of a logged-in browser.

    .venv/bin/python bench/serve.py --database-url sqlite:////tmp/crm-100k.db
    .venv/bin/python bench/serve.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        --peer ../shared/peers/seed-django --peer-python /tmp/peer-venv/bin/python

The database must hold the demo data (`flask --app wsgi demo load --customers 100000`).
Prints a Markdown report: per page req/s, p50/p90/p99, the ratio to /healthz's req/s in the
same run, the CPU time a request costs the workers (and on PostgreSQL the server) and SQL
queries per request; the workers' memory; the mixed scenario (4 workers,
page views and payment posts) and, on PostgreSQL, two instances sharing a session and a
rate-limit count; with --peer, the thesis design's pages measured in the same run.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import peer as peer_server
import scenarios
import wrk
from browser import Browser
from pages import CUSTOMER_EMAIL, MANAGER_EMAIL, account_pages, served_pages
from run import ROOT, make_app, time_pages
from server import Gunicorn, free_port, postgresql_cpu_seconds, production_env

REDIS_URL = "redis://127.0.0.1:6379/13"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a database holding the demo data")
    parser.add_argument(
        "--redis-url",
        default=REDIS_URL,
        help="Redis for the rate-limit counters; the benchmark empties this database first "
        "(default %(default)s)",
    )
    parser.add_argument("--seconds", type=float, default=10, help="load per page (default 10)")
    parser.add_argument("--warm-up", type=float, default=2, help="load before each page (2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (4)")
    parser.add_argument("--pages", help="only the pages whose label matches this regex")
    parser.add_argument(
        "--scenarios",
        default="pages,mixed,two-instances",
        help="comma-separated: pages, mixed, two-instances (default: all; two-instances "
        "runs on PostgreSQL only)",
    )
    peer_server.add_arguments(parser)
    return parser.parse_args(argv)


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@dataclass(frozen=True)
class Measured:
    label: str
    path: str
    load: wrk.Load
    #: The workers' CPU time a request, in ms.
    cpu_ms: float
    #: The busiest worker's part of that CPU time: 1/workers when the load is spread evenly.
    busiest: float
    #: PostgreSQL's CPU time a request, in ms; None for SQLite, which is the workers' own work.
    database_cpu_ms: float | None


def measure(server, headers, pages, args, *, on_postgresql: bool = False) -> list[Measured]:
    """Each page's load, the CPU time its requests cost the workers and how it was spread, and
    `on_postgresql` what they cost the database server."""
    results = []
    for label, path in pages:
        print(f"  {label}: {path}", file=sys.stderr)
        if args.warm_up:
            wrk.run(server.url + path, headers, seconds=args.warm_up, connections=args.connections)
        before = server.cpu_by_worker()
        database_before = postgresql_cpu_seconds() if on_postgresql else 0.0
        load = wrk.run(
            server.url + path, headers, seconds=args.seconds, connections=args.connections
        )
        spent = [seconds - before.get(pid, 0) for pid, seconds in server.cpu_by_worker().items()]
        requests = max(load.requests, 1)
        total = sum(spent)
        cpu_ms = total * 1000 / requests
        busiest = max(spent) / total if total else 0
        database_cpu_ms = None
        if on_postgresql:
            database_cpu_ms = (postgresql_cpu_seconds() - database_before) * 1000 / requests
        results.append(Measured(label, path, load, cpu_ms, busiest, database_cpu_ms))
    return results


def checked(browser: Browser, pages: list[tuple[str, str]], base_url: str | None = None):
    """The pages, each answering 200 to exactly the headers wrk will send."""
    for label, path in pages:
        status = browser.status(path, base_url)
        if status != 200:
            raise SystemExit(f"{label} ({path}) answered {status}, not 200: not measured.")
    return pages


def page_table(results: list[Measured], healthz_rps: float, queries: dict[str, int]) -> list[str]:
    lines = [
        "| page | URL | req/s | p50 | p90 | p99 | ÷ /healthz | CPU/request | busiest worker "
        "| PostgreSQL's CPU/request | queries | not 2xx |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results:
        load = run.load
        bad = load.requests - load.status["2xx"] + load.socket_errors
        database = "—" if run.database_cpu_ms is None else f"{run.database_cpu_ms:.2f} ms"
        lines.append(
            f"| {run.label} | `{run.path}` | {load.rps:,.0f} | {load.p50_ms:.1f} ms | "
            f"{load.p90_ms:.1f} ms | {load.p99_ms:.1f} ms | {load.rps / healthz_rps:.0%} | "
            f"{run.cpu_ms:.2f} ms | {run.busiest:.0%} | {database} | "
            f"{queries.get(run.label, '—')} | {bad} |"
        )
    return lines


def query_counts(app, email, pages) -> dict[str, int]:
    """SQL statements per request of each page, through the test client (bench/run.py)."""
    return {run.label: run.queries for run in time_pages(app, 2, email, pages)}


def run_pages(args, app, scratch, password) -> list[str]:
    staff = served_pages(app)
    account = account_pages(app)
    if args.pages:
        wanted = re.compile(args.pages)
        staff = [page for page in staff if page[0] == "healthz" or wanted.search(page[0])]
        account = [page for page in account if wanted.search(page[0])]
    queries = query_counts(app, MANAGER_EMAIL, staff) | query_counts(app, CUSTOMER_EMAIL, account)
    env = production_env(args.database_url, args.redis_url, args.workers, free_port())
    lines = []
    peer = None
    if args.peer:
        peer = peer_server.start(
            args.peer.resolve(), args.peer_python, args.peer_customers, args.peer_data, args.workers
        )
    try:
        with Gunicorn.crm(env, scratch / "gunicorn.log") as server:
            server.wait_ready()
            manager = Browser(server.url).logged_in(MANAGER_EMAIL, password)
            customer = Browser(server.url).logged_in(CUSTOMER_EMAIL, password)
            # A browser keeps the cookies each page sets (the first page adds the CSRF token
            # to the session): the headers are taken once the pages have been checked.
            staff, account = checked(manager, staff), checked(customer, account)
            on_postgresql = args.database_url.startswith("postgresql")
            results = measure(server, manager.headers, staff, args, on_postgresql=on_postgresql)
            results += measure(server, customer.headers, account, args, on_postgresql=on_postgresql)
            if peer:
                results += measure(peer.server, {}, peer.pages, args)
            rss = server.worker_rss_mb()
    finally:
        if peer:
            peer.server.stop()
    healthz = next(run.load.rps for run in results if run.label == "healthz")
    lines += page_table(results, healthz, queries)
    lines += [
        "",
        f"Worker RSS after the run: {', '.join(f'{mb:.0f} MB' for mb in rss)}.",
        f"Responses other than 2xx, and gunicorn's log: {scratch / 'gunicorn.log'}.",
    ]
    return lines


def active_loans(app, count: int = 200) -> list[int]:
    """The first `count` active loans: the mixed scenario posts payments on them."""
    from sqlalchemy import select

    from crm.extensions import db
    from crm.lending.status import LoanStatus
    from crm.models import Loan

    with app.app_context():
        statement = select(Loan.id).where(Loan.status == LoanStatus.ACTIVE).order_by(Loan.id)
        loan_ids = list(db.session.scalars(statement.limit(count)))
        db.session.remove()
    return loan_ids


def lender_today(app):
    from crm.clock import lender_today as today

    with app.app_context():
        return today()


def money_posted(app, run_id: str):
    """How many payments the run `run_id` posted, their sum and the sum of their allocations."""
    from sqlalchemy import func, select

    from crm.extensions import db
    from crm.models import Payment, PaymentAllocation

    posted = Payment.reference.startswith(run_id)
    allocation = PaymentAllocation.principal + PaymentAllocation.interest
    with app.app_context():
        count, paid = db.session.execute(
            select(func.count(), func.coalesce(func.sum(Payment.amount), 0)).where(posted)
        ).one()
        allocated = db.session.scalar(
            select(func.coalesce(func.sum(allocation), 0)).join(Payment).where(posted)
        )
        db.session.remove()
    return count, paid, allocated


def run_mixed(args, app, scratch, password) -> list[str]:
    paths = [path for label, path in served_pages(app) if not label.startswith("admin")][:12]
    env = production_env(args.database_url, args.redis_url, 4, free_port())
    outcome = scenarios.mixed(
        env,
        scratch / "mixed.log",
        lambda url: Browser(url).logged_in(MANAGER_EMAIL, password),
        paths,
        active_loans(app),
        lender_today(app).isoformat(),
        max(args.seconds * 2, 10),
        lambda run_id: money_posted(app, run_id),
    )
    load = outcome.load
    return [
        '| requests | req/s | p90 | 2xx | 3xx | 4xx | 5xx | "database is locked" | tracebacks '
        "| payments | Σ payments | Σ allocations |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {load.requests:,} | {load.rps:,.0f} | {load.p90_ms:.1f} ms | {load.status['2xx']} | "
        f"{load.status['3xx']} | {load.status['4xx']} | {load.status['5xx']} | {outcome.locked} | "
        f"{outcome.server_errors_logged} | {outcome.payments} | {outcome.paid} | "
        f"{outcome.allocated} |",
        "",
        f"Worker RSS after it: {', '.join(f'{mb:.0f} MB' for mb in outcome.rss_mb)}.",
    ]


def run_two_instances(args, app, scratch, password) -> list[str]:
    limit = int(app.config["GUESS_LIMIT_PER_ACCOUNT"].split()[0])
    outcome = scenarios.two_instances(
        args.database_url, args.redis_url, scratch, (MANAGER_EMAIL, password), limit
    )
    return [
        f"- Logged in on A, the dashboard on B: {outcome.session_on_other}.",
        f"- Logged out on B, the dashboard on A: {outcome.after_log_out_on_other} "
        "(not 200: the session is over everywhere).",
        f"- Wrong passwords for one account, alternating A and B: the try refused first (429) "
        f"was number {outcome.refused_at_try} (limit {outcome.limit} per account).",
    ]


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    wrk.require_wrk()
    empty_redis(args.redis_url)
    app = make_app(args.database_url)
    from crm.demo.load import DEMO_PASSWORD

    dialect = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0].split("+", 1)[0]
    wanted = set(args.scenarios.split(","))
    scratch = Path(tempfile.mkdtemp(prefix="crm-serve-"))
    print(f"Logs in {scratch}", file=sys.stderr)
    lines = [
        f"# Served by gunicorn: {dialect}",
        "",
        f"{platform.node()}: {machine_line()}; {args.workers} workers "
        f"(`gunicorn.conf.py`), wrk {args.connections} connections, {args.seconds:g} s a page "
        f"after {args.warm_up:g} s of warm-up.",
        "",
    ]
    sections = [
        ("pages", "## Pages", run_pages),
        ("mixed", "## Mixed: 4 workers, 90 % page views, 10 % payment posts", run_mixed),
    ]
    if dialect == "postgresql":
        sections.append(
            ("two-instances", "## Two instances, one database and one Redis", run_two_instances)
        )
    for name, title, section in sections:
        if name in wanted:
            print(title, file=sys.stderr)
            lines += [title, "", *section(args, app, scratch, DEMO_PASSWORD), ""]
    print("\n".join(lines))


def machine_line() -> str:

    return (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
