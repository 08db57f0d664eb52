"""A fair in producer A's province and A's booth, for the matrix rows of fairs and share links
(docs/selling-events.md, "Online fairs"): made in a row's `before` by the operator through the real services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from taybac.campaigns.fair_models import Fair, FairBooth
from taybac.campaigns.fair_services import apply_for_booth, create_fair, decide_booth, publish_fair
from taybac.campaigns.live_models import LiveSession
from taybac.campaigns.live_services import schedule_session
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.security.conftest import World

_fairs: dict[int, Fair] = {}
_booths: dict[int, FairBooth] = {}
_sessions: dict[int, LiveSession] = {}


def _fair(w: World, *, published: bool) -> Fair:
    operator = w.users["operator"]
    assert operator is not None
    now = timezone.now()
    fair = create_fair(
        actor=operator,
        title="Hội chợ chè",
        theme="",
        province_ids=[w.shop.province_id],
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=3),
    )
    if published:
        fair = publish_fair(actor=operator, fair=fair)
    _fairs[id(w)] = fair
    return fair


def draft(client: Any, w: World) -> None:
    _fair(w, published=False)


def published(client: Any, w: World) -> None:
    _fair(w, published=True)


def applied(client: Any, w: World) -> None:
    fair = _fair(w, published=True)
    owner = w.shop.producer.owner
    _booths[id(w)] = apply_for_booth(
        actor=owner, fair=fair, shop=w.shop, pitch="", prices={w.variant.pk: max(1, w.variant.price - 1_000)}
    )


def approved(client: Any, w: World) -> None:
    applied(client, w)
    operator = w.users["operator"]
    assert operator is not None
    _booths[id(w)] = decide_booth(actor=operator, booth=_booths[id(w)], approve=True)
    PickupPoint.objects.get_or_create(
        code="BD-FAIR",
        defaults={
            "name": "Bưu điện xã Hoàn Kiếm",
            "address": create_address(province_code=1, commune_code=70, street="1 Hàng Bạc"),
        },
    )


def approved_with_session(client: Any, w: World) -> None:
    approved(client, w)
    _sessions[id(w)] = schedule_session(
        actor=w.shop.producer.owner,
        shop=w.shop,
        title="Chè mới",
        scheduled_start=timezone.now(),
        variant_ids=[w.variant.pk],
    )


def fair_url(suffix: str = "") -> Any:
    return lambda w: f"/to-chuc/hoi-cho/{_fairs[id(w)].pk}/{suffix}"


def decide_url(w: World) -> str:
    return f"/to-chuc/hoi-cho/{_fairs[id(w)].pk}/gian/{_booths[id(w)].pk}/duyet/"


def booth_order_url(w: World) -> str:
    return f"/hoi-cho/{_fairs[id(w)].slug}/gian/{_booths[id(w)].pk}/dat-hang/"


def booth_url(suffix: str) -> Any:
    return lambda w: f"/ban-hang/hoi-cho/gian/{_booths[id(w)].pk}/{suffix}"


def fair_id(w: World) -> int:
    return _fairs[id(w)].pk


def first_item(w: World) -> int:
    return _booths[id(w)].products.get().pk


def session_id(w: World) -> int:
    return _sessions[id(w)].pk


def create_form(w: World) -> dict[str, Any]:
    start = timezone.localtime()
    return {
        "title": "Hội chợ mật ong",
        "provinces": [w.shop.province_id],
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    }


def apply_form(w: World) -> dict[str, Any]:
    return {
        "fair": fair_id(w),
        "variants": [w.variant.pk],
        f"price_{w.variant.pk}": str(max(1, w.variant.price - 1_000)),
    }
