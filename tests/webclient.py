"""A plain HTTP client for tests against a real server (live_server, or a portal started
as a process), that can speak from any address on the loopback network: on Linux all of
127.0.0.0/8 is this machine, so 127.0.0.7 is a client of its own as far as the server
can tell."""

import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass
class Answer:
    status: int
    headers: dict
    body: str


@dataclass
class WebClient:
    base_url: str
    source: str = "127.0.0.1"
    headers: dict = field(default_factory=dict)
    cookies: dict = field(default_factory=dict)

    def connect(self) -> None:
        """Open the connection for the next request now (so that many clients can be
        connected first and then all send at the same moment)."""
        parts = urlsplit(self.base_url)
        self._connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=60, source_address=(self.source, 0)
        )
        self._connection.connect()

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        parts = urlsplit(self.base_url)
        connection = getattr(self, "_connection", None) or http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=60, source_address=(self.source, 0)
        )
        self._connection = None
        sent = {"Host": parts.netloc, "Referer": self.base_url + path, **self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    for name, morsel in SimpleCookie(value).items():
                        self.cookies[name] = morsel.value
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Answer:
        return self.request("POST", path, data=data, **kwargs)

    def form_token(self, path: str) -> str:
        """Open a page with a form and return its CSRF token (the cookie is kept)."""
        page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert match, f"no form on {path} ({page.status})"
        return match.group(1)

    @property
    def logged_in(self) -> bool:
        return "sessionid" in self.cookies and bool(self.cookies["sessionid"])
