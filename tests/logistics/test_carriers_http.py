"""The real transport (standard library) against a local HTTP server: an error status is an answer, a slow
server a TimeoutError, a closed port an OSError; and the client's retries stop at the bound."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from taybac.logistics.carriers.base import CarrierError
from taybac.logistics.carriers.http import Client, money, token_matches, urllib_transport


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        if self.path == "/slow":
            time.sleep(0.5)
        status = 400 if self.path == "/bad" else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"echo": ' + body + b', "token": "' + self.headers.get("Token", "").encode() + b'"}')

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_answers_error_statuses_and_timeouts(server: str) -> None:
    ok = urllib_transport(method="POST", url=f"{server}/ok", headers={"Token": "t"}, body=b"1", timeout=2)
    assert ok.status == 200 and ok.body == b'{"echo": 1, "token": "t"}'
    bad = urllib_transport(method="POST", url=f"{server}/bad", headers={}, body=b"2", timeout=2)
    assert bad.status == 400 and b'"echo": 2' in bad.body
    with pytest.raises(TimeoutError):
        urllib_transport(method="POST", url=f"{server}/slow", headers={}, body=b"3", timeout=0.1)


def test_a_closed_port_is_unavailable_after_the_bounded_retries() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits: list[float] = []
    client = Client("GHN", f"http://127.0.0.1:{port}", {}, urllib_transport, timeout=1, sleep=waits.append)
    with pytest.raises(CarrierError) as down:
        client.json("POST", "/x", payload={})
    assert down.value.code == "carrier_unavailable" and "không kết nối được" in down.value.message
    assert waits == [0.5, 1.0]


def test_money_and_tokens() -> None:
    assert money("X", {"a": 12.0}, "a") == 12 and money("X", {"a": "32000"}, "a") == 32_000
    for bad in (12.5, -1, "١٢", "12a", True, None):
        with pytest.raises(CarrierError):
            money("X", {"a": bad}, "a")
    assert token_matches(given="s", expected="s")
    assert not token_matches(given="s", expected="") and not token_matches(given=None, expected="s")
    assert not token_matches(given="ş", expected="s")
