"""The thesis's own design rebuilt in Django (../shared/peers/seed-django), served the way its
bench.sh serves it (gunicorn, 2 sync workers), so that bench/serve.py measures its pages
next to ours in the same run. Its database is seeded once per size and kept in the scratch
folder (`manage.py seed` takes a while at 100 000 customers)."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from server import Gunicorn, free_port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--peer, --peer-python, --peer-customers and --peer-data, as every script that measures
    the thesis design next to ours takes them."""
    parser.add_argument("--peer", type=Path, help="the thesis design's folder (seed-django)")
    parser.add_argument("--peer-python", help="a Python with the peer's requirements")
    parser.add_argument("--peer-customers", type=int, default=100_000)
    parser.add_argument(
        "--peer-data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "crm-bench-peer",
        help="where the peer's seeded database is kept between runs (default %(default)s)",
    )


@dataclass
class Peer:
    server: Gunicorn
    #: (label, path) of the pages both designs have, and the peer's lightest route.
    pages: list[tuple[str, str]]


def seeded_database(folder: Path, python: str, customers: int, scratch: Path) -> tuple[Path, str]:
    """The peer's SQLite file with `customers` customers and three orders each, and the line
    its seed command printed (which names the customer its bench requests)."""
    database = scratch / f"peer-{customers}.sqlite3"
    seed_line = scratch / f"peer-{customers}.seed"
    if not (database.exists() and seed_line.exists()):
        database.unlink(missing_ok=True)
        env = {**os.environ, "PEER_DB": str(database)}
        manage = [python, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=folder, env=env, check=True)  # noqa: S603
        seeded = subprocess.run(  # noqa: S603 (the peer's own command)
            [*manage, "seed", "--customers", str(customers), "--orders", str(3 * customers)],
            cwd=folder,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        seed_line.write_text(seeded)
    return database, seed_line.read_text()


def start(folder: Path, python: str, customers: int, scratch: Path, workers: int) -> Peer:
    scratch.mkdir(parents=True, exist_ok=True)
    database, seeded = seeded_database(folder, python, customers, scratch)
    match = re.search(r"probe_customer=(\d+)", seeded)
    if match is None:
        raise SystemExit(f"The peer's seed command printed no probe customer: {seeded!r}")
    port = free_port()
    env = {**os.environ, "PEER_DB": str(database), "PORT": str(port)}
    command = [
        python,
        "-m",
        "gunicorn",
        "crm.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
    ]
    server = Gunicorn(command, env, scratch / "peer-gunicorn.log", cwd=folder)
    server.wait_ready("/ok/")
    pages = [
        ("peer: lightest route", "/ok/"),
        ("peer: products", "/products/"),
        ("peer: customer page", f"/customer/{match.group(1)}/"),
    ]
    return Peer(server=server, pages=pages)
