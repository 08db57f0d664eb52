"""The demo's online fair (docs/selling-events.md, "Online fairs"): the operator runs a two-week fair in the first
producer's province with up to three approved booths at fair prices (about 10 % off), and the demo's live session
on its schedule, so a new user sees a fair at /hoi-cho/ at once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from taybac.accounts.models import User
from taybac.campaigns.fair_models import Fair
from taybac.campaigns.fair_services import apply_for_booth, create_fair, decide_booth, publish_fair, schedule_booth_live
from taybac.campaigns.live_models import LiveSession
from taybac.catalog.models import Shop, Variant
from taybac.core.errors import DomainError
from taybac.demo.plan import ProducerPlan

BOOTHS = 3


def ensure_demo_fair(plans: list[ProducerPlan], operator_username: str, created: Counter) -> None:
    operator = User.objects.filter(username=operator_username).first()
    if Fair.objects.exists() or operator is None or not plans:
        return
    first = Shop.objects.filter(producer__owner__phone=plans[0].phone).first()
    if first is None:
        return
    now = timezone.now()
    fair = create_fair(
        actor=operator,
        title=f"Hội chợ đặc sản {first.province.name} trực tuyến",
        theme="Đặc sản vụ mới của các hộ và hợp tác xã trong tỉnh, giá hội chợ trong hai tuần.",
        province_ids=[first.province_id],
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=14),
    )
    publish_fair(actor=operator, fair=fair)
    shops = [first, *Shop.objects.filter(province=first.province_id).exclude(pk=first.pk).order_by("pk")]
    for shop in shops[:BOOTHS]:
        variants = Variant.objects.filter(shop=shop, is_active=True).order_by("pk")[:4]
        prices = {v.pk: max(1_000, v.price * 9 // 10 // 1_000 * 1_000) for v in variants}
        if not prices:
            continue
        booth = apply_for_booth(
            actor=shop.producer.owner, fair=fair, shop=shop, pitch=f"{shop.name}: hàng mới vụ này", prices=prices
        )
        booth = decide_booth(actor=operator, booth=booth, approve=True)
        for session in LiveSession.objects.filter(shop=shop).exclude(status=LiveSession.Status.ENDED):
            try:
                schedule_booth_live(actor=shop.producer.owner, booth=booth, session=session)
            except DomainError:
                continue  # a session outside the fair's dates stays off its schedule
    created["fairs"] += 1
