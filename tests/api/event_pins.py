"""Requests for the API query-count pins (tests/api/test_query_counts.py) of the selling events and the assistant:
a sales window of the catalogue's honey shop, a live session with two products, a published open fair with an
approved booth, each made on first use through the real services (the helpers of tests/api and tests/campaigns)
and kept on the pins' world, so the measured call only does its own work."""

from __future__ import annotations

import json
from types import SimpleNamespace

from django.http import HttpResponse

from tests.api.windows import open_window_for
from tests.campaigns.live_world import live_world
from tests.campaigns.test_fairs import fair_world


def _window(world: SimpleNamespace) -> int:
    if not hasattr(world, "window_id"):
        world.window_id = open_window_for(world.catalog.honey_shop)
    return world.window_id


def _live(world: SimpleNamespace) -> int:
    if not hasattr(world, "live_session_id"):
        world.live_session_id = live_world().session.pk
    return world.live_session_id


def _fair(world: SimpleNamespace) -> str:
    if not hasattr(world, "fair_slug"):
        world.fair_slug = fair_world().fair.slug
    return world.fair_slug


def list_sales_windows(world: SimpleNamespace, n: int) -> HttpResponse:
    _window(world)
    return world.client.get("/api/v1/sales-windows")


def get_sales_window(world: SimpleNamespace, n: int) -> HttpResponse:
    return world.client.get(f"/api/v1/sales-windows/{_window(world)}")


def list_live_sessions(world: SimpleNamespace, n: int) -> HttpResponse:
    _live(world)
    return world.client.get("/api/v1/live-sessions")


def get_live_session(world: SimpleNamespace, n: int) -> HttpResponse:
    return world.client.get(f"/api/v1/live-sessions/{_live(world)}")


def list_fairs(world: SimpleNamespace, n: int) -> HttpResponse:
    _fair(world)
    return world.client.get("/api/v1/fairs")


def assistant_message(world: SimpleNamespace, n: int) -> HttpResponse:
    """A product question in one conversation: the measured call is its second message."""
    body = {"conversation": "query-count", "text": "Mật ong bạc hà giá bao nhiêu vậy shop"}
    return world.client.post("/api/v1/assistant/messages", json.dumps(body), content_type="application/json")
