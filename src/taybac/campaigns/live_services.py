"""Producer actions on a live session (docs/selling-events.md, "Livestream selling"): schedule, go live, pin a
product with a live-only price, end. Each checks that the actor manages the session's shop and bumps the
session's `revision` so the events process tells the viewers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.campaigns.live_embed import embed_url_for
from taybac.campaigns.live_models import LiveProduct, LiveSession, new_stream_key
from taybac.catalog.models import Shop, Variant
from taybac.core import audit
from taybac.core.errors import DomainError

MAX_PRODUCTS = 20
MAX_TITLE = 120
MAX_PRICE = 1_000_000_000  # one billion đồng: far above any live deal, below any overflow
SCHEDULE_AHEAD = timedelta(days=90)


class LiveError(DomainError):
    """A live-session action that the rules refuse; the message is for the producer."""


def _bump(session: LiveSession) -> None:
    LiveSession.objects.filter(pk=session.pk).update(revision=F("revision") + 1)


def _locked(session: LiveSession, actor: User) -> LiveSession:
    require_can_manage(actor, session.shop.producer)
    return LiveSession.objects.select_for_update().select_related("shop").get(pk=session.pk)


def schedule_session(
    *, actor: User, shop: Shop, title: str, scheduled_start: datetime, variant_ids: Sequence[int]
) -> LiveSession:
    """A new session of the shop's own variants, each under a code buyers type in comments (A1, A2, …)."""
    require_can_manage(actor, shop.producer)
    title = (title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise LiveError(f"Nhập tên buổi phát (tối đa {MAX_TITLE} ký tự).", field="title")
    now = timezone.now()
    if not (now - timedelta(hours=1) <= scheduled_start <= now + SCHEDULE_AHEAD):
        raise LiveError("Chọn giờ phát trong vòng 90 ngày tới.", field="scheduled_start")
    wanted = list(dict.fromkeys(int(v) for v in variant_ids))
    if not wanted or len(wanted) > MAX_PRODUCTS:
        raise LiveError(f"Chọn từ 1 đến {MAX_PRODUCTS} sản phẩm.", field="variants")
    variants = {v.pk: v for v in Variant.objects.filter(pk__in=wanted, shop=shop, is_active=True)}
    if len(variants) != len(wanted):
        raise LiveError("Chỉ chọn sản phẩm đang bán của gian hàng mình.", field="variants")
    with transaction.atomic():
        session = LiveSession.objects.create(shop=shop, title=title, scheduled_start=scheduled_start)
        LiveProduct.objects.bulk_create(
            [
                LiveProduct(session=session, variant=variants[pk], code=f"A{i}", position=i)
                for i, pk in enumerate(wanted, start=1)
            ]
        )
        audit.record(actor=actor, action="live.scheduled", target=session, detail={"products": len(wanted)})
    return session


@transaction.atomic
def go_live(*, actor: User, session: LiveSession, link: str = "", clip_url: str = "") -> LiveSession:
    """Start the session: with a pasted YouTube/Facebook/TikTok link (embedded), or without one for RTMP ingest
    (the page then plays the hub's HLS once the producer's app publishes with the stream key); `clip_url`, a
    looping clip on the hub's own media (the demo's, campaigns/live_clip.py)."""
    session = _locked(session, actor)
    if session.status == LiveSession.Status.ENDED:
        raise LiveError("Buổi phát đã kết thúc.")
    if clip_url:
        session.clip_url = clip_url
        session.source = LiveSession.Source.CLIP
    elif link.strip():
        session.embed_url = embed_url_for(link=link)
        session.link = link.strip()
        session.source = LiveSession.Source.EMBED
    else:
        session.link = session.embed_url = ""
        session.source = LiveSession.Source.RTMP
    session.status = LiveSession.Status.LIVE
    session.started_at = session.started_at or timezone.now()
    session.revision += 1
    session.save()
    audit.record(actor=actor, action="live.started", target=session, detail={"source": session.source})
    return session


@transaction.atomic
def rotate_stream_key(*, actor: User, session: LiveSession) -> LiveSession:
    """A new stream key (the old one stops working at the next publish): for a key shown on a shared screen."""
    session = _locked(session, actor)
    session.stream_key = new_stream_key()
    session.save(update_fields=["stream_key"])
    audit.record(actor=actor, action="live.key_rotated", target=session, detail={})
    return session


@transaction.atomic
def pin_product(*, actor: User, session: LiveSession, product_id: int, live_price: int | None) -> LiveProduct:
    """Pin one of the session's products while live, with a live-only price (None: the usual price)."""
    session = _locked(session, actor)
    if session.status != LiveSession.Status.LIVE:
        raise LiveError("Chỉ ghim sản phẩm khi đang phát.")
    product = LiveProduct.objects.filter(session=session, pk=product_id).select_related("variant").first()
    if product is None:
        raise LiveError("Sản phẩm không có trong buổi phát.", field="product")
    if live_price is not None and not (1_000 <= live_price <= min(MAX_PRICE, product.variant.price)):
        raise LiveError("Giá trực tiếp từ 1.000 đ đến giá thường của sản phẩm.", field="live_price")
    product.pinned = True
    product.live_price = live_price
    product.save(update_fields=["pinned", "live_price"])
    _bump(session)
    audit.record(actor=actor, action="live.pinned", target=session, detail={"code": product.code, "price": live_price})
    return product


@transaction.atomic
def unpin_product(*, actor: User, session: LiveSession, product_id: int) -> None:
    session = _locked(session, actor)
    LiveProduct.objects.filter(session=session, pk=product_id).update(pinned=False)
    _bump(session)


@transaction.atomic
def end_session(*, actor: User, session: LiveSession, replay_url: str = "") -> LiveSession:
    """End the session: pins and live prices stop; the products stay listed with the replay."""
    session = _locked(session, actor)
    if replay_url.strip():
        session.replay_url = embed_url_for(link=replay_url) or session.link
    elif session.source == LiveSession.Source.EMBED:
        session.replay_url = session.embed_url  # YouTube and Facebook keep a live as a video at the same address
    session.status = LiveSession.Status.ENDED
    session.ended_at = timezone.now()
    session.revision += 1
    session.save()
    LiveProduct.objects.filter(session=session).update(pinned=False)
    audit.record(actor=actor, action="live.ended", target=session, detail={})
    return session
