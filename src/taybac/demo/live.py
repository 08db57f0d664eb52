"""The demo's live session (docs/selling-events.md, "Livestream selling"): the first producer is live with a
looping clip, one product pinned at a live price, a few chat messages and a "chốt đơn" comment waiting."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from taybac.accounts.models import User
from taybac.campaigns.live_chat import post_message
from taybac.campaigns.live_clip import demo_clip
from taybac.campaigns.live_models import LiveSession
from taybac.campaigns.live_services import go_live, pin_product, schedule_session
from taybac.catalog.models import Shop, Variant
from taybac.demo.plan import ProducerPlan

BUYER_PHONE = "+84918000001"


def ensure_demo_live(plans: list[ProducerPlan], created: Counter) -> None:
    if LiveSession.objects.exists():
        return
    shop = Shop.objects.select_related("producer__owner").get(producer__owner__phone=plans[0].phone)
    owner = shop.producer.owner
    variants = list(Variant.objects.filter(shop=shop, is_active=True).order_by("pk").values_list("pk", flat=True))
    if not variants:
        return
    session = schedule_session(
        actor=owner,
        shop=shop,
        title=f"Trực tiếp từ {shop.name}: hàng mới vụ này",
        scheduled_start=timezone.now(),
        variant_ids=variants[:4],
    )
    session = go_live(actor=owner, session=session, clip_url=demo_clip())
    first = session.products.select_related("variant").first()
    if first is not None:
        live_price = max(1_000, first.variant.price * 9 // 10 // 1_000 * 1_000)
        pin_product(actor=owner, session=session, product_id=first.pk, live_price=live_price)
    buyer = User.objects.filter(phone=BUYER_PHONE).first()
    post_message(
        session=session, user=None, sender_key="demo:1", name="Lan", text="Hàng đẹp quá, ship Hà Nội mấy ngày ạ?"
    )
    post_message(session=session, user=buyer, sender_key="demo:2", name="Minh", text="chốt A1 x2 0918000001")
    created["live sessions"] += 1
