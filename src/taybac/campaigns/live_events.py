"""The live pages' server-sent events (docs/selling-events.md, "Livestream selling"): an ASGI app served by
uvicorn in its own process beside waitress (`taybac events`, started by `taybac demo` and `taybac serve`).

Waitress gives each request a thread from a fixed pool, so an SSE stream held open per viewer would take a
thread each. Here a viewer is an asyncio task and a queue. One broadcaster per session with viewers reads the
database once a second (new chat messages, and the session's state when its `revision` moved) and puts each
event, serialised once, on every viewer's queue: the database sees one poll per live session, not one per
viewer. A viewer whose queue fills (a stalled connection) is dropped; EventSource reconnects with
Last-Event-ID and gets what it missed.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from asgiref.sync import sync_to_async

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

POLL_SECONDS = float(os.environ.get("TAYBAC_LIVE_POLL_SECONDS", "1"))
HEARTBEAT_SECONDS = 15.0
QUEUE_SIZE = 120  # polls' worth of frames a viewer may lag behind before it is dropped (two minutes)
MAX_VIEWERS = int(os.environ.get("TAYBAC_LIVE_MAX_VIEWERS", "10000"))
IDLE_ROUNDS = 30  # a broadcaster without viewers stops after this many polls
RECENT = 30  # chat messages kept in memory per session for viewers who connect (the page shows as many)
_PATH = re.compile(r"^/live/(\d{1,12})/$")


def _frame(event: str, data: object, event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()


def _snapshot(session_id: int, after: int, revision: int) -> tuple[bool, list[tuple[int, bytes]], int, bytes | None]:
    """One poll: (session exists, new chat frames with their ids, revision, a state frame if it moved)."""
    from django.db import close_old_connections

    from taybac.campaigns.live_models import LiveSession
    from taybac.campaigns.live_selectors import chat_event, latest_messages, state_event

    close_old_connections()
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        return False, [], revision, None
    chat = [(m.pk, _frame("chat", chat_event(m), m.pk)) for m in latest_messages(session, after=after, limit=100)]
    state = _frame("state", state_event(session)) if session.revision != revision else None
    return True, chat, session.revision, state


snapshot = sync_to_async(_snapshot, thread_sensitive=True)


class Broadcaster:
    """One session's fan-out: polls the database and copies each frame to every viewer's queue."""

    def __init__(self, hub: Hub, session_id: int) -> None:
        self.hub = hub
        self.session_id = session_id
        self.viewers: set[asyncio.Queue[bytes | None]] = set()
        self.last_id = 0
        self.revision = -1
        self.state = b""
        self.recent: deque[tuple[int, bytes]] = deque(maxlen=RECENT)  # what a viewer who connects gets at once
        self.ready = asyncio.Event()
        self.exists = True
        self.task = asyncio.create_task(self.run())

    async def run(self) -> None:
        idle = 0
        try:
            while idle < IDLE_ROUNDS:
                exists, chat, self.revision, state = await snapshot(self.session_id, self.last_id, self.revision)
                self.exists = exists
                if chat:
                    self.last_id = chat[-1][0]
                    self.recent.extend(chat)
                if state is not None:
                    self.state = state
                    hidden = set(json.loads(state.split(b"data: ", 1)[1])["hidden"])
                    self.recent = deque((m for m in self.recent if m[0] not in hidden), maxlen=RECENT)
                if chat or state:  # one write per viewer per poll, however many messages: the state last
                    self.publish(b"".join(frame for _, frame in chat) + (state or b""))
                self.ready.set()
                idle = 0 if self.viewers else idle + 1
                await asyncio.sleep(POLL_SECONDS)
        finally:
            self.hub.broadcasters.pop(self.session_id, None)
            self.ready.set()

    def publish(self, frame: bytes) -> None:
        for queue in list(self.viewers):
            try:
                queue.put_nowait(frame)
            except asyncio.QueueFull:  # a stalled viewer: drop it; its browser reconnects with Last-Event-ID
                self.viewers.discard(queue)
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(None)


class Hub:
    def __init__(self) -> None:
        self.broadcasters: dict[int, Broadcaster] = {}
        self.viewers = 0

    def broadcaster(self, session_id: int) -> Broadcaster:
        found = self.broadcasters.get(session_id)
        if found is None or found.task.done():
            found = self.broadcasters[session_id] = Broadcaster(self, session_id)
        return found


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def allowed_origin() -> str:
    """The hub's origin, for CORS: the demo's events process listens on another port than its pages."""
    from urllib.parse import urlsplit

    from django.conf import settings

    parts = urlsplit(settings.PUBLIC_URL)
    return f"{parts.scheme}://{parts.netloc}"


async def _plain(send: Send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


async def _catch_up(caster: Broadcaster, session_id: int, after: int) -> bytes:
    """The state and the recent chat from the broadcaster's memory (no query per viewer); from the database only
    for a viewer who reconnects after more than that was said (or after a message since hidden)."""
    recent = list(caster.recent)
    if not after or (recent and recent[0][0] <= after + 1) or (not recent and after >= caster.last_id):
        frames = [frame for message_id, frame in recent if message_id > after]
        return b"".join(frames) + caster.state  # the state last: it lists the messages hidden since
    _, missed, _, state = await snapshot(session_id, after, -1)
    return b"".join(frame for _, frame in missed[-RECENT:]) + (state or b"")


async def _disconnect(receive: Receive) -> None:
    """Wait for the client to go (the request's own empty body comes first)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def _stream(hub: Hub, session_id: int, after: int, send: Send, receive: Receive) -> None:
    caster = hub.broadcaster(session_id)
    await caster.ready.wait()
    if not caster.exists:
        await _plain(send, 404, "Không có buổi phát này.")
        return
    queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=QUEUE_SIZE)
    caster.viewers.add(queue)
    hub.viewers += 1
    try:
        headers = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-store"),
            (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
            (b"access-control-allow-origin", allowed_origin().encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        first = b"retry: 3000\n\n" + await _catch_up(caster, session_id, after)
        await send({"type": "http.response.body", "body": first, "more_body": True})
        disconnected: asyncio.Future[Any] = asyncio.ensure_future(_disconnect(receive))
        getter: asyncio.Future[Any] | None = None
        while True:
            getter = getter or asyncio.ensure_future(queue.get())  # kept across heartbeats: no frame is lost
            waiting: set[asyncio.Future[Any]] = {getter, disconnected}
            done, _ = await asyncio.wait(waiting, timeout=HEARTBEAT_SECONDS, return_when=asyncio.FIRST_COMPLETED)
            if disconnected in done:
                getter.cancel()
                return
            if getter not in done:
                await send({"type": "http.response.body", "body": b": ping\n\n", "more_body": True})
                continue
            frame, getter = getter.result(), None
            if frame is None:  # dropped as too slow: end the response; the browser reconnects
                disconnected.cancel()
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send({"type": "http.response.body", "body": frame, "more_body": True})
    finally:
        caster.viewers.discard(queue)
        hub.viewers -= 1


def make_app() -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI app: GET /live/<id>/ streams a session's events; GET /healthz says how many viewers."""
    hub = Hub()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        if scope["path"] == "/healthz":
            await _plain(send, 200, json.dumps({"viewers": hub.viewers, "sessions": len(hub.broadcasters)}))
            return
        match = _PATH.match(scope["path"])
        if scope["method"] not in {"GET", "HEAD"} or match is None:
            await _plain(send, 404 if match is None else 405, "Không tìm thấy.")
            return
        if hub.viewers >= MAX_VIEWERS:
            await _plain(send, 503, "Quá nhiều người xem, thử lại sau.")
            return
        last = _header(scope, b"last-event-id")
        after = int(last) if last.isdigit() and len(last) < 13 else 0
        await _stream(hub, int(match.group(1)), after, send, receive)

    return app


def serve(*, host: str, port: int) -> None:
    """Run the events process (blocking): `taybac events`, or started by `taybac demo` beside waitress, when it
    also stops if the demo's process is gone (killed without the chance to stop it)."""
    import threading

    import uvicorn

    parent = os.getppid() if os.environ.get("TAYBAC_LIVE_EVENTS_CHILD") else 0

    def watch_parent() -> None:
        while os.getppid() == parent:
            threading.Event().wait(2)
        os._exit(0)

    if parent:
        threading.Thread(target=watch_parent, daemon=True).start()
    uvicorn.run(
        make_app(),
        host=host,
        port=port,
        log_level="warning",
        lifespan="on",
        timeout_keep_alive=5,
        timeout_graceful_shutdown=2,  # open streams end at once; browsers reconnect to the next process
        backlog=4096,
        proxy_headers=False,
    )
