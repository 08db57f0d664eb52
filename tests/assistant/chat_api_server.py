"""A real HTTP server on 127.0.0.1 standing in for the Zalo OA and Graph APIs in tests: it records each request
(path, headers, JSON body) and answers with the next scripted (status, body), else the success answer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class ChatApi:
    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[tuple[int, Any]] = field(default_factory=list)

    def answer_next(self, status: int, body: Any) -> None:
        self.answers.append((status, body))


def _handler(api: ChatApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            api.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, json.loads(raw or b"null"))
            )
            if api.answers:
                status, body = api.answers.pop(0)
            elif self.path.startswith("/v3.0/oa/"):
                status, body = 200, {"error": 0, "message": "Success", "data": {"message_id": "m1"}}
            else:
                status, body = 200, {"recipient_id": "1", "message_id": "mid.1"}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def chat_api(settings) -> Iterator[ChatApi]:
    """Both channels configured, their APIs pointed at one local server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ChatApi("")))
    api = ChatApi(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(api)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.TAYBAC_ZALO_APP_ID = "430000000000000001"
    settings.TAYBAC_ZALO_OA_SECRET = "oa-secret-for-tests"
    settings.TAYBAC_ZALO_OA_ACCESS_TOKEN = "zalo-token"
    settings.TAYBAC_ZALO_API_URL = api.url
    settings.TAYBAC_MESSENGER_APP_SECRET = "app-secret-for-tests"
    settings.TAYBAC_MESSENGER_VERIFY_TOKEN = "verify-me"
    settings.TAYBAC_MESSENGER_PAGE_TOKEN = "page-token"
    settings.TAYBAC_MESSENGER_API_URL = api.url + "/v23.0"
    yield api
    server.shutdown()
    server.server_close()
