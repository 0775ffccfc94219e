"""Benchmark: how much memory a gunicorn worker takes while it streams the largest exports.

    .venv/bin/python bench/export_memory.py          # /tmp/exports-100k.db, loaded if empty
    .venv/bin/python bench/export_memory.py --database-url postgresql+psycopg://…/bench

Loads the demo data set into the database unless it holds it already (`demo load
--customers N --if-empty`, through bench/run.py's run_flask), starts gunicorn with the shipped
gunicorn.conf.py and ONE worker (WEB_CONCURRENCY=1, the shipped 4 threads), so that the worker
that serves every download is the one measured, logs in as the demo manager over HTTP, and
downloads the customers and the loans lists, every row, as CSV and as XLSX. For each it prints
the rows (from the export's audit event), the bytes, the time, rows per second, and the
worker's resident memory (VmRSS in /proc/<pid>/status) before the download, at its highest
while the download ran (sampled every 20 ms), and after it. A tool to run by hand, not a test:
the figures are in docs/PERFORMANCE.md ("Exports").
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pages import MANAGER_EMAIL
from run import CSRF_INPUT, ROOT, machine, run_flask

DEFAULT_DATABASE = "sqlite:////tmp/exports-100k.db"
EXPORTS = [
    ("customers, CSV", "/customers/export.csv"),
    ("customers, XLSX", "/customers/export.xlsx"),
    ("loans, CSV", "/loans/export.csv"),
    ("loans, XLSX", "/loans/export.xlsx"),
]
#: The worker grows by less than this while it streams any export (issue 14).
BUDGET_MB = 50
READ_SIZE = 64 * 1024


@dataclass
class Download:
    label: str
    url: str
    rows: int
    size: int
    seconds: float
    rss_before: float
    rss_peak: float
    rss_after: float

    @property
    def growth(self) -> float:
        return self.rss_peak - self.rss_before


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Stream the large exports from one gunicorn worker and report its memory."
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help="default %(default)s")
    parser.add_argument(
        "--customers",
        type=int,
        default=100_000,
        help="customers for `demo load` when the database is empty; default %(default)s",
    )
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url: str, port: int, log: Path) -> subprocess.Popen:
    """gunicorn with the shipped settings and one worker, its log written to `log`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    with log.open("w") as output:
        return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped ({server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 (ours)
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer in 60 s:\n{log.read_text()}")


def worker_pid(master: int) -> int:
    """The one worker of the gunicorn master `master`."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        sys.exit(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def rss_mb(pid: int) -> float:
    """The process's resident memory now (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


class PeakSampler(threading.Thread):
    """Reads the worker's VmRSS every 20 ms until stopped; `peak` is the highest seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak = pid, rss_mb(pid)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, rss_mb(self.pid))

    def stop(self) -> float:
        self.done.set()
        self.join()
        return max(self.peak, rss_mb(self.pid))


def log_in(base: str) -> urllib.request.OpenerDirector:
    """An HTTP client with the demo manager's session, logged in through the real form."""
    from crm.demo.load import DEMO_PASSWORD

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/auth/login") as page:
        form = {"email": MANAGER_EMAIL, "password": DEMO_PASSWORD}
        match = CSRF_INPUT.search(page.read().decode())
        if match:
            form["csrf_token"] = match.group(1)
    body = urllib.parse.urlencode(form).encode()
    with opener.open(f"{base}/auth/login", data=body) as answer:
        if urllib.parse.urlsplit(answer.url).path == "/auth/login":
            sys.exit(f"Could not log in as {MANAGER_EMAIL}.")
    return opener


def download(opener, base: str, pid: int, label: str, url: str, engine) -> Download:
    """Download `url` to nowhere, watching the worker's memory."""
    before = rss_mb(pid)
    sampler = PeakSampler(pid)
    sampler.start()
    size, started = 0, time.perf_counter()
    with opener.open(f"{base}{url}") as answer:
        while chunk := answer.read(READ_SIZE):
            size += len(chunk)
    seconds = time.perf_counter() - started
    peak = sampler.stop()
    time.sleep(0.5)  # the audit event is committed once the last chunk is sent
    return Download(label, url, last_export_rows(engine), size, seconds, before, peak, rss_mb(pid))


def last_export_rows(engine) -> int:
    """The rows the newest export event counted."""
    from sqlalchemy import text

    with engine.connect() as connection:
        changes = connection.execute(
            text("SELECT changes FROM audit_events WHERE action = 'export' ORDER BY id DESC")
        ).scalar()
    changes = json.loads(changes) if isinstance(changes, str) else changes
    return changes["rows"][1]


def report(database_url: str, downloads: list[Download], baseline: float) -> str:
    dialect = database_url.split(":", 1)[0].split("+", 1)[0]
    lines = [
        f"# Exports under gunicorn: {dialect}",
        "",
        f"Machine: {machine()}.",
        "gunicorn with gunicorn.conf.py (gthread, 4 threads) and WEB_CONCURRENCY=1: one "
        f"worker serves every download. Worker RSS after log-in and one list page: "
        f"{baseline:.0f} MB.",
        "",
        "| export | rows | size | time | rows/s | worker RSS before | peak | after "
        f"| growth (budget {BUDGET_MB} MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {d.label} | {d.rows:,} | {d.size / 2**20:.1f} MB | {d.seconds:.1f} s "
        f"| {d.rows / d.seconds:,.0f} | {d.rss_before:.0f} MB | {d.rss_peak:.0f} MB "
        f"| {d.rss_after:.0f} MB | {d.growth:+.1f} MB |"
        for d in downloads
    ]
    return "\n".join(lines)


def measure(database_url: str) -> str:
    from sqlalchemy import create_engine

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="crm-export-bench-") as scratch:
        log = Path(scratch) / "gunicorn.log"
        server = start_gunicorn(database_url, port, log)
        engine = create_engine(database_url)
        try:
            wait_until_up(base, server, log)
            pid = worker_pid(server.pid)
            opener = log_in(base)
            opener.open(f"{base}/customers/").read()
            baseline = rss_mb(pid)
            downloads = []
            for label, url in EXPORTS:
                print(f"Downloading {url}…", file=sys.stderr)
                downloads.append(download(opener, base, pid, label, url, engine))
        finally:
            server.terminate()
            server.wait(timeout=60)
            engine.dispose()
    return report(database_url, downloads, baseline)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))  # the demo's password, from crm.demo.load
    print(f"Database: {args.database_url}", file=sys.stderr)
    run_flask(args.database_url, "db", "upgrade")
    print(f"Loading {args.customers:,} customers unless loaded…", file=sys.stderr)
    run_flask(args.database_url, "demo", "load", "--customers", str(args.customers), "--if-empty")
    print(measure(args.database_url))


if __name__ == "__main__":
    main()
