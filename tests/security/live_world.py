"""Producer A's live session for the matrix rows of the live pages (docs/selling-events.md): made in a row's
`before` (each role's savepoint gets its own), read by its URL and data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from taybac.campaigns.live_chat import post_message
from taybac.campaigns.live_models import ChatMessage, DraftOrder, LiveSession
from taybac.campaigns.live_services import go_live, schedule_session
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.security.conftest import World

_made: dict[int, LiveSession] = {}


def _session(w: World, *, live: bool) -> LiveSession:
    owner = w.shop.producer.owner
    session = schedule_session(
        actor=owner, shop=w.shop, title="Chè mới", scheduled_start=timezone.now(), variant_ids=[w.variant.pk]
    )
    if live:
        session = go_live(actor=owner, session=session, link="https://youtu.be/dQw4w9WgXcQ")
        PickupPoint.objects.get_or_create(
            code="BD-LIVE",
            defaults={
                "name": "Bưu điện xã Hoàn Kiếm",
                "address": create_address(province_code=1, commune_code=70, street="1 Hàng Bạc"),
            },
        )
    _made[id(w)] = session
    return session


def scheduled(client: Any, w: World) -> None:
    _session(w, live=False)


def live(client: Any, w: World) -> None:
    _session(w, live=True)


def live_with_order_comment(client: Any, w: World) -> None:
    session = _session(w, live=True)
    post_message(session=session, user=None, sender_key="matrix", name="Minh", text="chốt A1 x1 0912345678")


def session_url(suffix: str = "") -> Any:
    return lambda w: f"/ban-hang/truc-tiep/{_made[id(w)].pk}/{suffix}"


def page_url(suffix: str) -> Any:
    return lambda w: f"/truc-tiep/{_made[id(w)].pk}/{suffix}"


def first_product(w: World) -> int:
    return _made[id(w)].products.get().pk


def message(w: World) -> int:
    return ChatMessage.objects.filter(session=_made[id(w)]).get().pk


def draft(w: World) -> int:
    return DraftOrder.objects.filter(session=_made[id(w)]).get().pk


def stream_key(w: World) -> str:
    return _made[id(w)].stream_key
