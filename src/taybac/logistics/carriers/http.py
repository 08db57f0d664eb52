"""HTTP for the third-party carriers: one injectable transport (tests pass a fake one; nothing here opens a
connection unless credentials are configured), bounded retries with backoff on timeouts and 5xx, and every
failure turned into a `CarrierError` that says in Vietnamese what went wrong."""

from __future__ import annotations

import hmac
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from taybac.core.jsonparse import loads_bounded
from taybac.logistics.carriers.base import CarrierError

TIMEOUT_S = 10.0
ATTEMPTS = 3
BACKOFF_S = 0.5
MAX_BODY = 5_000_000


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


class Transport(Protocol):
    """Sends one request; raises TimeoutError or OSError when the carrier cannot be reached."""

    def __call__(
        self, *, method: str, url: str, headers: Mapping[str, str], body: bytes | None, timeout: float
    ) -> Response: ...


def urllib_transport(
    *, method: str, url: str, headers: Mapping[str, str], body: bytes | None, timeout: float
) -> Response:
    """The real transport (standard library): an HTTP error status is a response, not an exception."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, answer.read(MAX_BODY), dict(answer.headers.items()))
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.read(MAX_BODY), dict(exc.headers.items()))
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, socket.timeout | TimeoutError):
            raise TimeoutError(str(exc.reason)) from exc
        raise OSError(str(exc.reason)) from exc


@dataclass
class Client:
    """Calls one carrier's API. `sleep` is injectable so tests of the retries do not wait."""

    carrier_name: str
    base_url: str
    headers: Mapping[str, str]
    transport: Transport = urllib_transport
    timeout: float = TIMEOUT_S
    attempts: int = ATTEMPTS
    sleep: Callable[[float], None] = time.sleep

    def send(self, method: str, path: str, *, payload: Any = None, query: str = "") -> Response:
        """The carrier's answer to one call, retried on timeouts, connection errors and 5xx (not on 4xx)."""
        url = self.base_url.rstrip("/") + path + (f"?{query}" if query else "")
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json", **self.headers}
        last = ""
        for attempt in range(self.attempts):
            if attempt:
                self.sleep(BACKOFF_S * 2 ** (attempt - 1))
            try:
                answer = self.transport(method=method, url=url, headers=headers, body=body, timeout=self.timeout)
            except TimeoutError:
                last = "không trả lời kịp"
                continue
            except OSError:
                last = "không kết nối được"
                continue
            if answer.status >= 500:
                last = f"đang gặp sự cố (mã {answer.status})"
                continue
            return answer
        raise CarrierError(
            f"{self.carrier_name} {last} sau {self.attempts} lần thử; vui lòng thử lại sau hoặc chọn đơn vị khác.",
            code="carrier_unavailable",
        )

    def json(self, method: str, path: str, *, payload: Any = None, query: str = "") -> Any:
        answer = self.send(method, path, payload=payload, query=query)
        try:
            return loads_bounded(answer.body)
        except ValueError as exc:
            raise bad_answer(self.carrier_name, f"không phải JSON (HTTP {answer.status})") from exc


def bad_answer(carrier_name: str, what: str) -> CarrierError:
    return CarrierError(f"{carrier_name} trả lời không đọc được: {what}.", code="carrier_bad_answer")


def need(carrier_name: str, data: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    """`data[key]` when it is there with the expected type, else a CarrierError naming the missing field."""
    if not isinstance(data, dict) or key not in data:
        raise bad_answer(carrier_name, f"thiếu trường '{key}'")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise bad_answer(carrier_name, f"trường '{key}' sai kiểu")
    return value


def money(carrier_name: str, data: Any, key: str) -> int:
    """An amount in đồng: an integer (a float with no fraction, or digits in a string, as some carriers write
    it, are accepted), never negative."""
    value = need(carrier_name, data, key, (int, float, str))
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit() or len(value) > 12:
            raise bad_answer(carrier_name, f"số tiền '{key}' không hợp lệ")
        value = int(value)
    if value < 0 or value != int(value):
        raise bad_answer(carrier_name, f"số tiền '{key}' không hợp lệ")
    return int(value)


def token_matches(*, given: str | None, expected: str) -> bool:
    """Constant-time comparison; an unconfigured (empty) secret matches nothing."""
    return bool(expected) and given is not None and hmac.compare_digest(given.encode(), expected.encode())


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A request header by name, whatever its case."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def webhook_json(carrier_name: str, body: bytes) -> Any:
    if len(body) > 100_000:
        raise bad_answer(carrier_name, "webhook quá lớn")
    try:
        return loads_bounded(body)
    except ValueError as exc:
        raise bad_answer(carrier_name, "webhook không phải JSON") from exc
