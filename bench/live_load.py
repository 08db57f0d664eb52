"""Load test of one live page (docs/performance.md, "Live page"): thousands of viewers on the session's
server-sent-events stream while buyers chat and order, against a running hub (`taybac demo`).

Pure asyncio, no extra dependency: each viewer is one raw HTTP connection to the events process reading
`event: chat` frames; chatters and buyers post the live page's forms (with their own session and CSRF cookies)
through waitress. It reports p50/p95/p99 of: connecting (to the first `state` frame), delivery (a chat
message's POST to its arrival at each viewer), the chat and order POSTs; errors; and the resident memory of
both processes. Usage:

    TAYBAC_DATA_DIR=/tmp/taybac-bench taybac demo --port 8731 &
    python bench/live_load.py --hub http://127.0.0.1:8731 --session 1 --viewers 2000 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import re
import statistics
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field

PRODUCT = -1  # which of the page's products buyers order (--product): one with stock for the whole run


@dataclass
class Results:
    connect: list[float] = field(default_factory=list)
    delivery: list[float] = field(default_factory=list)
    chat_post: list[float] = field(default_factory=list)
    order_post: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    viewers_up: int = 0
    began: float = field(default_factory=time.time)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def viewer(host: str, port: int, path: str, results: Results, stop: asyncio.Event) -> None:
    """One viewer; like EventSource, it reconnects (after 3 s) when the stream ends."""
    first = True
    while not stop.is_set():
        await watch(host, port, path, results, stop, first)
        first = False
        await asyncio.sleep(3)


async def watch(host: str, port: int, path: str, results: Results, stop: asyncio.Event, first: bool) -> None:
    started = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 30)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 30)
        if b" 200 " not in status:
            results.error(f"viewer status {status[:20]!r}")
            writer.close()
            return
        connected = False
        event = ""
        while not stop.is_set():
            line = await reader.readline()
            if not line:
                results.error("viewer disconnected")
                return
            text = line.decode().rstrip("\r\n")
            if text.startswith("event: "):
                event = text[7:]
            elif text.startswith("data: ") and event == "state" and not connected:
                connected = True
                if first:
                    results.viewers_up += 1
                    results.connect.append(time.monotonic() - started)
            elif text.startswith("data: ") and event == "chat":
                sent = re.search(r"t=(\d+\.\d+)", text)
                if sent and float(sent.group(1)) >= results.began:  # not the recent messages of an earlier run
                    results.delivery.append(time.time() - float(sent.group(1)))
        writer.close()
    except (TimeoutError, OSError) as exc:
        results.error(f"viewer {type(exc).__name__}")


class Browser:
    """One buyer's cookies and CSRF token against waitress (blocking http.client, run in a thread)."""

    def __init__(self, hub: str, page: str) -> None:
        self.parts = urllib.parse.urlsplit(hub)
        self.page = page
        self.cookies: dict[str, str] = {}
        self.token = ""

    def _request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.parts.hostname or "127.0.0.1", self.parts.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept": "application/json"}
        data = None
        if body is not None:
            data = urllib.parse.urlencode({**body, "csrfmiddlewaretoken": self.token})
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"{self.parts.geturl()}{self.page}",
            }
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, text

    def open(self) -> str:
        _, text = self._request("GET", self.page)
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)  # type: ignore[union-attr]
        product = re.findall(r'name="product" value="(\d+)"', text)[PRODUCT]
        point = re.search(r'name="pickup_point" required><option value="([^"]+)"', text).group(1)  # type: ignore[union-attr]
        return f"{product}|{point}"

    def post(self, path: str, body: dict[str, str]) -> tuple[int, str]:
        status, text = self._request("POST", path, body)
        return status, json.loads(text).get("message", "") if text.startswith("{") else text[:60]


async def chatter(browser: Browser, page: str, results: Results, stop: asyncio.Event, every: float, n: int) -> None:
    await asyncio.to_thread(browser.open)
    await asyncio.sleep(every * n / 20)
    while not stop.is_set():
        started = time.monotonic()
        text = f"Shop ơi còn hàng không t={time.time():.4f}"
        status, answer = await asyncio.to_thread(
            browser.post, f"{page}binh-luan/", {"name": f"Khách {n}", "text": text}
        )
        results.chat_post.append(time.monotonic() - started)
        if status != 200:
            results.error(f"chat {status} {answer}")
        await asyncio.sleep(every)


async def buyer(browser: Browser, page: str, results: Results, stop: asyncio.Event, every: float, n: int) -> None:
    product, point = (await asyncio.to_thread(browser.open)).split("|")
    await asyncio.sleep(every * n / 10)
    count = 0
    while not stop.is_set():
        started = time.monotonic()
        count += 1
        body = {
            "product": product, "quantity": "1", "name": f"Người mua {n}",
            "phone": f"0912{(n * 1000 + count) % 10**6:06d}", "payment_method": "cod", "pickup_point": point,
            "key": f"load-{n}-{count}-{time.time()}",
        }  # fmt: skip
        status, answer = await asyncio.to_thread(browser.post, f"{page}dat-hang/", body)
        results.order_post.append(time.monotonic() - started)
        if status != 200:
            results.error(f"order {status} {answer}")
        await asyncio.sleep(every)


def rss_mb(port: int) -> float:
    """Resident memory of the process listening on `port` (Linux: ss and /proc)."""
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    pid = re.search(r"pid=(\d+)", out)
    if not pid:
        return float("nan")
    status = open(f"/proc/{pid.group(1)}/status").read()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hub", default="http://127.0.0.1:8731")
    parser.add_argument("--events", default="", help="events process URL (default: the hub's port + 1)")
    parser.add_argument("--session", type=int, default=1)
    parser.add_argument("--viewers", type=int, default=2000)
    parser.add_argument("--chatters", type=int, default=40, help="each posts every --chat-every seconds")
    parser.add_argument("--chat-every", type=float, default=6.0, help="the hub allows 12 a minute per sender")
    parser.add_argument("--buyers", type=int, default=10, help="each orders every --order-every seconds")
    parser.add_argument("--order-every", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--product", type=int, default=-1, help="index of the product buyers order on the page")
    args = parser.parse_args()
    global PRODUCT
    PRODUCT = args.product
    hub = urllib.parse.urlsplit(args.hub)
    events = urllib.parse.urlsplit(args.events or f"http://{hub.hostname}:{(hub.port or 80) + 1}/")
    page = f"/truc-tiep/{args.session}/"
    results, stop = Results(), asyncio.Event()
    memory_before = (rss_mb(hub.port or 80), rss_mb(events.port or 80))
    tasks = []
    for i in range(args.viewers):
        tasks.append(
            asyncio.create_task(
                viewer(events.hostname or "", events.port or 80, f"/live/{args.session}/", results, stop)
            )
        )
        if i % 100 == 99:
            await asyncio.sleep(0.05)  # ramp up over a few seconds, as a real audience arrives
    for n in range(args.chatters):
        tasks.append(asyncio.create_task(chatter(Browser(args.hub, page), page, results, stop, args.chat_every, n)))
    for n in range(args.buyers):
        tasks.append(asyncio.create_task(buyer(Browser(args.hub, page), page, results, stop, args.order_every, n)))
    await asyncio.sleep(args.seconds)
    peak = (rss_mb(hub.port or 80), rss_mb(events.port or 80))
    stop.set()
    await asyncio.sleep(max(args.chat_every, 2))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    report = {
        "viewers connected": f"{results.viewers_up}/{args.viewers}",
        "chat messages posted": len(results.chat_post),
        "orders posted": len(results.order_post),
        "deliveries (message × viewer)": len(results.delivery),
        "errors": results.errors,
    }
    for name, values in (("connect", results.connect), ("delivery", results.delivery),
                         ("chat POST", results.chat_post), ("order POST", results.order_post)):  # fmt: skip
        report[f"{name} ms p50/p95/p99"] = f"{pct(values, 0.5):.0f} / {pct(values, 0.95):.0f} / {pct(values, 0.99):.0f}"
    report["RSS MB hub (waitress) before/under load"] = f"{memory_before[0]:.0f} / {peak[0]:.0f}"
    report["RSS MB events process before/under load"] = f"{memory_before[1]:.0f} / {peak[1]:.0f}"
    if results.delivery:
        report["delivery mean ms"] = f"{statistics.mean(results.delivery) * 1000:.0f}"
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
