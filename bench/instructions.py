"""Count the machine instructions a page costs a request, ours and the thesis design's, under
callgrind: the WSGI app called in one process, after a warm-up, logged in as the demo manager.

    .venv/bin/python bench/instructions.py --database-url sqlite:////tmp/crm-100k.db \\
        --peer ../shared/peers/seed-django --peer-python /tmp/peer-venv/bin/python

Requests per second on a shared, virtual machine move by a third from one minute to the next;
the instructions a request executes do not (the same count twice, whatever else the machine
does), so this is how a change to the per-request cost is measured before and after, and how
ours is compared with the thesis design's. It counts the work in our process only: not the
database server's, not the kernel's (a PostgreSQL round trip costs the worker ~150 µs of
system time here, which bench/serve.py's CPU a request includes), not gunicorn's. Needs
valgrind (Debian's package). See bench/README.md and docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import peer

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
COLLECTED = re.compile(r"Collected : (\d+)")
#: Requests before the count starts: the templates are compiled, the statements cached.
WARM_UP = 10


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a database holding the demo data")
    parser.add_argument("--requests", type=int, default=20, help="requests counted (20)")
    parser.add_argument("--pages", help="only the pages whose label matches this regex")
    peer.add_arguments(parser)
    parser.add_argument("--child", choices=["ours", "peer"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        count_in_child(args)
        return
    if not args.database_url:
        sys.exit("--database-url is required")
    rows = [
        (label, path, counted(sys.executable, "ours", path, args)) for label, path in ours(args)
    ]
    if args.peer:
        rows += [
            (label, path, counted(args.peer_python, "peer", path, args))
            for label, path in peer_pages(args)
        ]
    print("| page | URL | instructions a request |")
    print("|---|---|---:|")
    for label, path, instructions in rows:
        print(f"| {label} | `{path}` | {instructions / 1e6:.2f} M |")


def ours(args) -> list[tuple[str, str]]:
    sys.path.insert(0, str(BENCH))
    from pages import served_pages
    from run import make_app

    pages = served_pages(make_app(args.database_url))
    wanted = re.compile(args.pages or "^(healthz|products|customer card)$")
    return [(label, path) for label, path in pages if wanted.search(label)]


def peer_pages(args) -> list[tuple[str, str]]:
    args.peer_data.mkdir(parents=True, exist_ok=True)
    database, seeded = peer.seeded_database(
        args.peer.resolve(), args.peer_python, args.peer_customers, args.peer_data
    )
    args.peer_database = database
    probe = re.search(r"probe_customer=(\d+)", seeded).group(1)
    return [
        ("peer: lightest route", "/ok/"),
        ("peer: products", "/products/"),
        ("peer: customer page", f"/customer/{probe}/"),
    ]


def counted(python: str, child: str, path: str, args) -> float:
    """Instructions a request of `path`, from a child process under callgrind."""
    env = dict(os.environ)
    command = [python, str(Path(__file__).resolve()), "--child", child, "--path", path]
    command += ["--requests", str(args.requests)]
    if child == "ours":
        command += ["--database-url", args.database_url]
    else:
        env["PEER_DB"] = str(args.peer_database)
        env["PEER_FOLDER"] = str(args.peer.resolve())
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.%p"
        valgrind = ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
        finished = subprocess.run(  # noqa: S603 (our own commands)
            [*valgrind, f"--callgrind-out-file={out}", *command],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    found = COLLECTED.search(finished.stderr)
    if finished.returncode or not found:
        sys.exit(f"{child} {path}: no count\n{finished.stdout}\n{finished.stderr[-3000:]}")
    return int(found.group(1)) / args.requests


def count_in_child(args) -> None:
    call = our_app(args.database_url) if args.child == "ours" else peer_app()
    status = call(args.path)
    if not status.startswith("200"):
        sys.exit(f"{args.path} answered {status}, not 200: not counted")
    for _ in range(WARM_UP):
        call(args.path)
    instrument("on")
    for _ in range(args.requests):
        call(args.path)
    instrument("off")


def instrument(state: str) -> None:
    subprocess.run(  # noqa: S603 (valgrind's own tool, on this process)
        ["callgrind_control", "--instr=" + state, str(os.getpid())],  # noqa: S607
        check=True,
        capture_output=True,
    )


def our_app(database_url: str):
    """A request to our app as deployed, with the cookies of a logged-in manager."""
    os.environ.update(
        CRM_CONFIG="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        STAFF_TOTP_REQUIRED="0",
        CRM_BASE_URL="https://crm.example.com",
        DATABASE_URL=database_url,
    )
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    from pages import MANAGER_EMAIL
    from run import CSRF_INPUT

    from crm.demo.load import DEMO_PASSWORD
    from wsgi import app

    browser = app.test_client()
    base = {"base_url": "https://localhost", "headers": {"User-Agent": "bench"}}
    login_page = browser.get("/auth/login", **base).get_data(as_text=True)
    form = {"email": MANAGER_EMAIL, "password": DEMO_PASSWORD}
    form["csrf_token"] = CSRF_INPUT.search(login_page).group(1)
    referer = {"Referer": "https://localhost/auth/login", "User-Agent": "bench"}
    browser.post("/auth/login", data=form, base_url="https://localhost", headers=referer)
    browser.get("/products/", **base)  # the first page puts the CSRF token in the session
    cookie = "; ".join(f"{c.key}={c.value}" for c in browser._cookies.values())
    return wsgi_caller(app, "https", {"HTTP_COOKIE": cookie, "HTTP_USER_AGENT": "bench"})


def peer_app():
    folder = os.environ["PEER_FOLDER"]
    os.chdir(folder)
    sys.path.insert(0, folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    from crm.wsgi import application

    return wsgi_caller(application, "http", {})


def wsgi_caller(app, scheme: str, headers: dict[str, str]):
    """call(path) -> the status of a GET of `path` from 127.0.0.1, its body read."""
    import io

    def call(path: str) -> str:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "443" if scheme == "https" else "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "localhost",
            "wsgi.url_scheme": scheme,
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            **headers,
        }
        statuses = []
        body = app(environ, lambda status, _headers, _exc=None: statuses.append(status))
        for _ in body:
            pass
        if hasattr(body, "close"):
            body.close()
        return statuses[0]

    return call


if __name__ == "__main__":
    main()
