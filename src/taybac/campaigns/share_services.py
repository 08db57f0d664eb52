"""Share links with measured results (docs/selling-events.md, "Sharing and campaigns"): a producer makes a link to
one of their pages for a campaign and a channel; visits through it are counted per day; orders placed after such
a visit (last link wins, for ATTRIBUTION_DAYS) are attributed to it for the producer's campaign report."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.campaigns.fair_models import Fair, FairBooth
from taybac.campaigns.live_models import LiveSession
from taybac.campaigns.share_models import AttributedOrder, LinkVisit, ShareLink
from taybac.campaigns.window_models import SalesWindow
from taybac.catalog.models import Product, Shop
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.orders.models import Order

CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud or retyped from a poster
CODE_LENGTH = 8
CODE_PATTERN = re.compile(r"^[a-z2-9]{8}$")
MAX_LINKS_PER_SHOP = 500
MAX_CAMPAIGN = 60
ATTRIBUTION_DAYS = 7
Target = ShareLink.Target


class ShareError(DomainError):
    """A share link the rules refuse; the message is for the producer."""


def _target_path(shop: Shop, target: str, target_id: int) -> str | None:
    """The page's address if the target is the shop's own, else None."""
    if target == Target.SHOP:
        return f"/gian-hang/{shop.slug}/" if target_id == shop.pk else None
    if target == Target.PRODUCT:
        product = Product.objects.filter(pk=target_id, shop=shop).first()
        return f"/san-pham/{product.pk}-{product.slug}/" if product else None
    if target == Target.BOOTH:
        booth = FairBooth.objects.select_related("fair").filter(pk=target_id, shop=shop).first()
        return f"/hoi-cho/{booth.fair.slug}/gian/{booth.pk}/" if booth else None
    if target == Target.FAIR:
        fair = Fair.objects.filter(pk=target_id, published=True, booths__shop=shop).first()
        return f"/hoi-cho/{fair.slug}/" if fair else None
    if target == Target.LIVE:
        return f"/truc-tiep/{target_id}/" if LiveSession.objects.filter(pk=target_id, shop=shop).exists() else None
    if target == Target.WINDOW:
        return f"/dat-truoc/{target_id}/" if SalesWindow.objects.filter(pk=target_id, shop=shop).exists() else None
    return None


def create_link(*, actor: User, shop: Shop, target: str, target_id: int, campaign: str, channel: str) -> ShareLink:
    """A new link to one of the shop's pages; the campaign name is folded to lower case words joined by "-"."""
    require_can_manage(actor, shop.producer)
    campaign = re.sub(r"[^\w-]+", "-", (campaign or "").strip().lower()).strip("-")[:MAX_CAMPAIGN]
    if not campaign:
        raise ShareError("Đặt tên chiến dịch, ví dụ tet-2027.", field="campaign")
    if channel not in ShareLink.Channel.values:
        raise ShareError("Chọn Facebook, Zalo hoặc Khác.", field="channel")
    path = _target_path(shop, target, target_id) if target in Target.values else None
    if path is None:
        raise ShareError("Chỉ chia sẻ trang của gian hàng mình.", field="target")
    if ShareLink.objects.filter(shop=shop).count() >= MAX_LINKS_PER_SHOP:
        raise ShareError(f"Mỗi gian hàng tối đa {MAX_LINKS_PER_SHOP} liên kết.")
    for _ in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                link = ShareLink.objects.create(
                    code=code,
                    shop=shop,
                    target=target,
                    target_id=target_id,
                    path=path,
                    campaign=campaign,
                    channel=channel,
                    created_by=actor,
                )
        except IntegrityError:
            continue
        audit.record(actor=actor, action="share.created", target=link, detail={"campaign": campaign})
        return link
    raise ShareError("Chưa tạo được liên kết, thử lại.")  # five collisions in 32⁸ codes: practically never


def link_url(*, link: ShareLink) -> str:
    return f"{settings.PUBLIC_URL.rstrip('/')}{link.path}?" + urlencode({"c": link.code})


def known_link(*, code: str) -> ShareLink | None:
    """The link of a well-formed code, else None (malformed codes never reach the database)."""
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        return None
    return ShareLink.objects.filter(code=code).first()


def count_visit(*, link: ShareLink, day: date | None = None) -> None:
    """One more visit through the link today (callers count once per browser session per link and day)."""
    day = day or timezone.localdate()
    if LinkVisit.objects.filter(link=link, day=day).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            LinkVisit.objects.create(link=link, day=day, count=1)
    except IntegrityError:
        LinkVisit.objects.filter(link=link, day=day).update(count=F("count") + 1)


def attribute_order(*, order: Order, code: str, visited_at: datetime, now: datetime | None = None) -> int:
    """Attribute the order's shop orders of the link's shop to the link, when the visit is recent enough.
    Returns how many were attributed (0 for an unknown code, an old visit or another shop's order)."""
    now = now or timezone.now()
    link = known_link(code=code)
    if link is None or link.shop_id is None or not (now - timedelta(days=ATTRIBUTION_DAYS) <= visited_at <= now):
        return 0
    made = 0
    for shop_order in order.shop_orders.filter(shop_id=link.shop_id):
        _, created = AttributedOrder.objects.get_or_create(
            shop_order=shop_order, defaults={"link": link, "revenue": shop_order.items_total}
        )
        made += created
    return made
