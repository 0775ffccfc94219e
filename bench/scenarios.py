"""The two scenarios of bench/serve.py beyond one page at a time.

mixed: managers on 4 workers viewing pages (9 in 10 requests) and posting payments (1 in 10)
at once; the outcome counts "database is locked" in the server's log, the responses by status
class, and checks that every payment posted is allocated to the cent.

two_instances: two gunicorns on different ports against one database and one Redis, as two
hosts would run: a session opened on one is honoured by the other and ended there for both,
and the log-in tries of one account are counted across both.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import quote

import wrk
from browser import Browser
from server import Gunicorn, free_port, production_env

#: 1 request in 10 posts a payment of this much on one of the loans given.
PAYMENT = "1.00"


def mixed_lua(
    paths: list[str], loan_ids: list[int], csrf_token: str, run_id: str, paid_on: str
) -> str:
    pages = ", ".join(wrk.lua_string(quote(path, safe=wrk.URL_SAFE)) for path in paths)
    loans = ", ".join(str(loan_id) for loan_id in loan_ids)
    body = f"csrf_token={quote(csrf_token)}&amount={PAYMENT}&paid_on={paid_on}&reference="
    return f"""
local pages = {{{pages}}}
local loans = {{{loans}}}
local form = nil
request = function()
  if form == nil then
    -- wrk.format sends the headers it is given instead of wrk.headers: the cookies go too.
    form = {{["Content-Type"] = "application/x-www-form-urlencoded"}}
    for name, value in pairs(wrk.headers) do form[name] = value end
  end
  sent = sent + 1
  if math.random(10) == 1 then
    local loan = loans[math.random(#loans)]
    local body = {wrk.lua_string(body)} .. "{run_id}-" .. id .. "-" .. sent
    return wrk.format("POST", "/loans/" .. loan .. "/payments", form, body)
  end
  return wrk.format("GET", pages[math.random(#pages)])
end
"""


@dataclass
class Mixed:
    load: wrk.Load
    locked: int
    server_errors_logged: int
    payments: int
    paid: str
    allocated: str
    rss_mb: list[float]


def mixed(env: dict, log, browser_login, paths, loan_ids, paid_on, seconds, money_posted) -> Mixed:
    """`browser_login(url)` gives a logged-in Browser; `money_posted(run_id)` gives the count,
    the sum and the sum of the allocations of the payments whose reference starts with it."""
    run_id = f"bench-{secrets.token_hex(4)}"
    with Gunicorn.crm(env, log) as server:
        server.wait_ready()
        browser = browser_login(server.url)
        token = browser.csrf_token(f"/loans/{loan_ids[0]}")
        script = mixed_lua(paths, loan_ids, token, run_id, paid_on)
        load = wrk.run(
            server.url + "/",
            browser.headers,
            seconds=seconds,
            connections=4,
            scenario_lua=script,
        )
        rss = server.worker_rss_mb()
    text = log.read_text(errors="replace")
    count, paid, allocated = money_posted(run_id)
    return Mixed(
        load=load,
        locked=text.count("database is locked"),
        server_errors_logged=text.count("Traceback"),
        payments=count,
        paid=str(paid),
        allocated=str(allocated),
        rss_mb=rss,
    )


@dataclass
class TwoInstances:
    session_on_other: int
    after_log_out_on_other: int
    refused_at_try: int | None
    limit: int


def two_instances(
    database_url: str, redis_url: str, scratch, manager: tuple[str, str], limit: int
) -> TwoInstances:
    """Two instances sharing one key, one database and one Redis; the status of a page on B
    with the session opened on A, the same after logging out on B, and the log-in try (of a
    wrong password, alternating A and B) that was refused first."""
    key = secrets.token_urlsafe(48)
    servers = []
    for name in ("a", "b"):
        env = production_env(database_url, redis_url, workers=2, port=free_port())
        env["SECRET_KEY"] = key
        servers.append(Gunicorn.crm(env, scratch / f"instance-{name}.log"))
    try:
        for server in servers:
            server.wait_ready()
        a, b = servers
        browser = Browser(a.url).logged_in(*manager)
        on_b = browser.status("/", b.url)
        token = browser.csrf_token("/")
        browser.request("POST", "/auth/logout", b.url, data={"csrf_token": token})
        after_log_out = browser.status("/", a.url)
        stranger = Browser(a.url)
        email = f"nobody-{secrets.token_hex(4)}@example.com"
        refused_at = None
        for attempt in range(1, 2 * limit + 2):
            stranger.base_url = servers[attempt % 2].url
            if stranger.log_in(email, "wrong password").status_code == 429:
                refused_at = attempt
                break
        return TwoInstances(on_b, after_log_out, refused_at, limit)
    finally:
        for server in servers:
            server.stop()
