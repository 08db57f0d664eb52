"""Reads of live sessions for the pages, the API and the events process (one or two queries each)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Prefetch, QuerySet, When

from taybac.campaigns.live_models import ChatMessage, LiveProduct, LiveSession
from taybac.campaigns.live_orders import current_price

CHAT_SHOWN = 30  # messages on the page without JS, and sent to a viewer who connects


def events_base() -> str:
    """Where the events process answers, ending in "/": TAYBAC_LIVE_EVENTS_URL (production: a path of the hub's
    own origin that the proxy sends to it, docs/deploy.md), else the port after the hub's (the demo)."""
    configured = os.environ.get("TAYBAC_LIVE_EVENTS_URL", "").strip()
    if configured:
        return configured.rstrip("/") + "/"
    host = os.environ.get("TAYBAC_HOST", "127.0.0.1")
    port = int(os.environ.get("TAYBAC_PORT", "8000")) + 1
    return f"http://{host}:{port}/"


def events_url(session_id: int) -> str:
    base = events_base()
    if base.startswith("/"):
        base = settings.PUBLIC_URL.rstrip("/") + base
    return f"{base}live/{session_id}/"


def rtmp_url(host: str) -> str:
    """Where a producer's phone app publishes (TAYBAC_LIVE_RTMP_URL, else port 1935 of the host they browse)."""
    configured = os.environ.get("TAYBAC_LIVE_RTMP_URL", "").strip()
    return configured or f"rtmp://{host.rsplit(':', 1)[0] if ']' not in host else host}/live"


def hls_base() -> str:
    """Where nginx-rtmp's HLS playlists are served (scripts/live/nginx-live.conf): /hls/ on the hub's origin."""
    return os.environ.get("TAYBAC_LIVE_HLS_URL", "/hls/").rstrip("/") + "/"


def hls_url(session: LiveSession) -> str:
    """The playlist of the session's stream; nginx names it after the stream key's public part: the session id."""
    return f"{hls_base()}live-{session.pk}.m3u8"


def public_sessions() -> QuerySet[LiveSession]:
    """Sessions buyers may see: live first, then the next scheduled ones, then replays."""
    products = LiveProduct.objects.select_related("variant__product", "variant__shop")
    first = Case(
        When(status=LiveSession.Status.LIVE, then=0), When(status=LiveSession.Status.SCHEDULED, then=1), default=2
    )
    return (
        LiveSession.objects.filter(shop__is_active=True)
        .select_related("shop")
        .prefetch_related(Prefetch("products", queryset=products))
        .order_by(first, "-scheduled_start", "-pk")
    )


@dataclass(frozen=True)
class ShownProduct:
    id: int
    code: str
    product_name: str
    variant_name: str
    variant_id: int
    product_slug: str
    shop_slug: str
    price: int
    usual_price: int
    pinned: bool
    in_stock: bool


def shown_products(session: LiveSession) -> list[ShownProduct]:
    """The session's products with what a buyer pays now; the pinned ones first while live."""
    prefetched = "products" in getattr(session, "_prefetched_objects_cache", {})
    rows = (
        session.products.all() if prefetched else session.products.select_related("variant__product", "variant__shop")
    )
    shown = [
        ShownProduct(
            id=p.pk,
            code=p.code,
            product_name=p.variant.product.name,
            variant_name=p.variant.name,
            variant_id=p.variant_id,
            product_slug=p.variant.product.slug,
            shop_slug=p.variant.shop.slug,
            price=current_price(product=p, session=session),
            usual_price=p.variant.price,
            pinned=p.pinned and session.status == LiveSession.Status.LIVE,
            in_stock=p.variant.quantity > p.variant.allocated or p.variant.product.preorder_allowed,
        )
        for p in rows
    ]
    return sorted(shown, key=lambda s: not s.pinned)


def latest_messages(session: LiveSession, *, after: int = 0, limit: int = CHAT_SHOWN) -> list[ChatMessage]:
    """Visible messages, oldest first: the newest `limit`, or those after a message id (a reconnecting viewer)."""
    visible = ChatMessage.objects.filter(session=session, hidden=False)
    if after:
        return list(visible.filter(pk__gt=after).order_by("pk")[:limit])
    return list(reversed(visible.order_by("-pk")[:limit]))


def chat_event(message: ChatMessage) -> dict[str, object]:
    return {"id": message.pk, "name": message.name, "text": message.text, "at": message.created_at.isoformat()}


def state_event(session: LiveSession) -> dict[str, object]:
    """What every viewer's page shows besides the chat: status, pinned products and prices, hidden messages."""
    hidden = list(
        ChatMessage.objects.filter(session=session, hidden=True).order_by("-pk").values_list("pk", flat=True)[:200]
    )
    return {
        "status": session.status,
        "revision": session.revision,
        "products": [
            {
                "id": p.id,
                "code": p.code,
                "name": f"{p.product_name} – {p.variant_name}",
                "price": p.price,
                "usual_price": p.usual_price,
                "pinned": p.pinned,
            }
            for p in shown_products(session)
        ],
        "hidden": hidden,
    }
