"""The events process's ASGI app, driven directly: a viewer gets the state and recent chat at once, then a
message posted afterwards, and a hidden message's id; one broadcaster serves every viewer of a session."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async

from taybac.campaigns import live_events
from taybac.campaigns.live_chat import hide_message, post_message
from tests.campaigns.live_world import live_world


def _events(body: bytes) -> list[tuple[str, dict]]:
    found = []
    for block in body.decode().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in lines:
            found.append((lines["event"], json.loads(lines["data"])))
    return found


class Viewer:
    def __init__(self, app, path: str, last_id: str = "") -> None:
        self.body = b""
        self.start: dict = {}
        self.gone = asyncio.Event()
        headers = [(b"last-event-id", last_id.encode())] if last_id else []
        scope = {"type": "http", "method": "GET", "path": path, "headers": headers}
        self.task = asyncio.create_task(app(scope, self.receive, self.send))

    async def receive(self):
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message):
        if message["type"] == "http.response.start":
            self.start = message
        else:
            self.body += message.get("body", b"")

    async def until(self, test, timeout: float = 5.0) -> list[tuple[str, dict]]:
        for _ in range(int(timeout / 0.02)):
            if test(_events(self.body)):
                return _events(self.body)
            await asyncio.sleep(0.02)
        raise AssertionError(self.body)

    async def leave(self) -> None:
        self.gone.set()
        await asyncio.wait_for(self.task, 5)


@pytest.mark.django_db(transaction=True)
def test_viewers_get_chat_and_state_from_one_broadcaster(monkeypatch):
    monkeypatch.setattr(live_events, "POLL_SECONDS", 0.02)
    world = live_world()
    first = post_message(session=world.session, user=None, sender_key="s:1", name="Lan", text="Chào shop")
    path = f"/live/{world.session.pk}/"

    async def scenario():
        app = live_events.make_app()
        one, two = Viewer(app, path), Viewer(app, path)
        events = await one.until(lambda ev: any(kind == "chat" for kind, _ in ev))
        assert one.start["status"] == 200
        assert dict(one.start["headers"])[b"content-type"].startswith(b"text/event-stream")
        assert [kind for kind, _ in events] == ["chat", "state"] and events[1][1]["status"] == "live"
        assert (
            "chat",
            {"id": first.pk, "name": "Lan", "text": "Chào shop", "at": first.created_at.isoformat()},
        ) in events
        later = await sync_to_async(post_message)(
            session=world.session, user=None, sender_key="s:2", name="Minh", text="chốt A1 x2 0912345678"
        )
        for viewer in (one, two):
            await viewer.until(lambda ev: any(k == "chat" and d["id"] == later.pk for k, d in ev))
        await sync_to_async(hide_message)(actor=world.owner, message=later)
        await one.until(lambda ev: any(k == "state" and d["hidden"] == [later.pk] for k, d in ev))
        health = Viewer(app, "/healthz")
        await health.until(lambda ev: True)
        await asyncio.wait_for(health.task, 5)
        assert json.loads(health.body) == {"viewers": 2, "sessions": 1}
        # a viewer that reconnects with Last-Event-ID gets only what it missed
        back = Viewer(app, path, last_id=str(first.pk))
        events = await back.until(lambda ev: any(k == "state" for k, _ in ev))
        assert [d["id"] for k, d in events if k == "chat"] == []  # the later one is hidden now
        # an id the viewer cannot have seen yet (a stale tab of another session): only the state
        far = Viewer(app, path, last_id="1000000")
        await far.until(lambda ev: any(k == "state" for k, _ in ev))
        await far.leave()
        for viewer in (one, two, back):
            await viewer.leave()
        missing = Viewer(app, "/live/999999/")
        await asyncio.wait_for(missing.task, 5)
        assert missing.start["status"] == 404

    asyncio.run(scenario())
