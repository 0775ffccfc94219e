"""A gunicorn serving the CRM as deployed (the shipped gunicorn.conf.py), for bench/serve.py:
started on a free port, waited for, watched (its workers' memory, its log) and stopped."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url: str, redis_url: str, workers: int, port: int) -> dict[str, str]:
    """The environment a deployer gives `gunicorn wsgi:app`: the production settings with a
    key of this run's own. Staff need no second factor here, as the demo manager has none."""
    return {
        **os.environ,
        "CRM_CONFIG": "production",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
        "CRM_BASE_URL": "https://crm.example.com",
        "STAFF_TOTP_REQUIRED": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "WEB_CONCURRENCY": str(workers),
        "PORT": str(port),
    }


class Gunicorn:
    """A gunicorn `command` in a child process, listening on env["PORT"]; its output goes to
    `log`. Gunicorn.crm(env, log) is ours: `gunicorn -c gunicorn.conf.py wsgi:app`."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT):
        self.port = int(env["PORT"])
        self.log = log
        self._output = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=cwd, env=env, stdout=self._output, stderr=subprocess.STDOUT
        )
        self.url = f"http://127.0.0.1:{self.port}"

    @classmethod
    def crm(cls, env: dict[str, str], log: Path) -> Gunicorn:
        config = str(ROOT / "gunicorn.conf.py")
        return cls([sys.executable, "-m", "gunicorn", "-c", config, "wsgi:app"], env, log)

    def wait_ready(self, path: str = "/healthz", timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped (exit {self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as response:  # noqa: S310
                    if response.status == 200 and len(self.worker_pids()) >= 1:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not answer {path} within {timeout:.0f} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_rss_mb(self) -> list[float]:
        """Each worker's resident memory now (VmRSS), in MB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def cpu_by_worker(self) -> dict[int, float]:
        """Each worker's CPU time (user and system) so far, by pid: what a request costs the
        server, whatever else the machine is doing, and whether the load is spread over the
        workers (a kept-alive connection stays with the worker that accepted it;
        docs/PERFORMANCE.md)."""
        seconds = {}
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
            seconds[pid] = ticks / os.sysconf("SC_CLK_TCK")
        return seconds

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._output.close()

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def postgresql_cpu_seconds() -> float:
    """The CPU time (user and system) of every PostgreSQL process on this machine so far: the
    backends serving the workers' connections are among them, so the difference over a page's
    load is what its statements cost the server (planning them included)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, ValueError):
            continue
        if name == "postgres":
            values = fields.split()
            ticks += int(values[11]) + int(values[12])
    return ticks / os.sysconf("SC_CLK_TCK")
