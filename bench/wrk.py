"""Closed-loop load with wrk (Debian's package), for bench/serve.py: N connections, each sending
its next request as soon as the last one is answered, with the headers of a logged-in browser.

Each run prints one JSON line (from a Lua `done` hook): requests, req/s, p50/p90/p99 and the
responses by status class, counted in Lua per response so that a redirect or an error is
never taken for a fast page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

#: Written before a scenario's own `request` function, if it has one.
REPORT_LUA = """
local threads = {}
setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
init = function(args)
  counts = {0, 0, 0, 0, 0}
  sent = 0
  math.randomseed(id * 7919 + os.time())
end
response = function(status, headers, body)
  local class = math.floor(status / 100)
  if class >= 1 and class <= 5 then counts[class] = counts[class] + 1 end
end
done = function(summary, latency, requests)
  local c = {0, 0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    local theirs = thread:get("counts")
    for i = 1, 5 do c[i] = c[i] + theirs[i] end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.2f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,' ..
    '"status":{"2xx":%d,"3xx":%d,"4xx":%d,"5xx":%d},' ..
    '"socket_errors":%d}\\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    c[2], c[3], c[4], c[5],
    e.connect + e.read + e.write + e.timeout))
end
"""


#: What stays as it is in a URL given to wrk, which refuses any byte outside ASCII.
URL_SAFE = ":/?=&%+,#"


@dataclass
class Load:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    status: dict[str, int]
    socket_errors: int


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    return path


def headers_lua(headers: dict[str, str]) -> str:
    lines = [
        f"wrk.headers[{lua_string(name)}] = {lua_string(value)}" for name, value in headers.items()
    ]
    return "\n".join(lines)


def lua_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a Lua string, in UTF-8


def run(
    url: str,
    headers: dict[str, str],
    *,
    seconds: float,
    connections: int,
    threads: int = 1,
    scenario_lua: str = "",
) -> Load:
    """Load `url` for `seconds`; `scenario_lua` may define `request()` to vary what is sent."""
    url = quote(url, safe=URL_SAFE)
    script = "\n".join([headers_lua(headers), REPORT_LUA, scenario_lua])
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:
        finished = subprocess.run(  # noqa: S603 (wrk with our own arguments)
            [
                require_wrk(),
                f"-t{threads}",
                f"-c{connections}",
                f"-d{round(seconds)}s",
                "--timeout",
                "30s",
                "-s",
                file.name,
                url,
            ],
            capture_output=True,
            text=True,
        )
    finally:
        Path(file.name).unlink()
    reports = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    if finished.returncode or not reports:
        raise SystemExit(f"wrk failed on {url}:\n{finished.stdout}\n{finished.stderr}")
    return Load(**json.loads(reports[-1]))
