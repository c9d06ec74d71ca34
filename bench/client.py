"""A small keep-alive HTTP client (stdlib only) with a cookie jar and the SITU OK login flow.

It only ever talks to 127.0.0.1. Every request carries the headers a TLS-terminating reverse proxy adds
(``X-Forwarded-Proto: https``), so the production settings (secure ``__Host-`` cookies, SSL redirect,
CSRF origin checks) behave as they do behind the real proxy.
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"  # the load generator never targets anything else
PROXY_HEADERS: tuple[tuple[str, str], ...] = (("X-Forwarded-Proto", "https"), ("X-Forwarded-For", HOST))
TIMEOUT = 60.0


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def query_count(self) -> int | None:
        value = self.headers.get("x-query-count")
        return int(value) if value is not None and value.isdigit() else None


@dataclass
class Client:
    """One connection and one cookie jar (one browser tab, so to speak)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    _conn: http.client.HTTPConnection | None = None

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.port}"

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        """Send one request and read the whole body; raises ``OSError``/``HTTPException`` on I/O failure
        (the connection is then dropped and reopened by the next request)."""
        if not path.startswith("/"):
            raise ValueError(f"relative paths only (host is fixed to {HOST}): {path!r}")
        all_headers = dict(PROXY_HEADERS)
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        conn = self._connection()
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            payload = raw.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        seconds = time.perf_counter() - started
        for header in raw.headers.get_all("Set-Cookie") or []:
            self._store_cookie(header)
        if raw.will_close:
            self.close()
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, payload, seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def _store_cookie(self, header: str) -> None:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def csrf_token(self) -> str | None:
        return next((v for k, v in self.cookies.items() if k.endswith("csrftoken")), None)

    def login(self, username: str, password: str) -> None:
        """The browser flow: GET the form (CSRF cookie), POST the credentials, expect a redirect home."""
        page = self.get("/masuk/")
        token = self.csrf_token()
        if page.status != 200 or token is None:
            raise RuntimeError(f"login page answered {page.status} without a CSRF cookie")
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": ""}
        )
        response = self.request(
            "POST",
            "/masuk/",
            body=form.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/masuk/",
            },
        )
        if response.status != 302 or response.headers.get("location", "").startswith("/masuk/"):
            raise RuntimeError(f"login as {username!r} failed: HTTP {response.status}")
        home = self.get("/")
        if home.status != 200:
            raise RuntimeError(f"home after login answered {home.status}")
