"""A logged-in browser's HTTP side, for bench/serve.py: its cookies and User-Agent, which wrk
then sends as they are. Cookies are kept by hand: production marks them Secure, and the
benchmark talks plain HTTP to gunicorn on loopback, as a TLS proxy in front of it would."""

from __future__ import annotations

import re

import requests

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36 crm-bench"
)
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()

    @property
    def headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {"User-Agent": USER_AGENT, "Accept-Language": "uk", "Cookie": cookie}

    def request(self, method: str, path: str, base_url: str | None = None, **kwargs):
        response = self.http.request(
            method,
            (base_url or self.base_url) + path,
            headers=self.headers,
            allow_redirects=False,
            timeout=120,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        self.http.cookies.clear()
        return response

    def csrf_token(self, path: str) -> str:
        page = self.request("GET", path)
        match = CSRF_INPUT.search(page.text)
        if match is None:
            raise SystemExit(f"No CSRF token on {path} (status {page.status_code}).")
        return match.group(1)

    def log_in(self, email: str, password: str) -> requests.Response:
        form = {"email": email, "password": password, "csrf_token": self.csrf_token("/auth/login")}
        return self.request("POST", "/auth/login", data=form)

    def logged_in(self, email: str, password: str) -> Browser:
        response = self.log_in(email, password)
        if response.status_code != 302 or "/auth/" in response.headers.get("Location", ""):
            raise SystemExit(f"Could not log in as {email} (status {response.status_code}).")
        return self

    def status(self, path: str, base_url: str | None = None) -> int:
        return self.request("GET", path, base_url).status_code
