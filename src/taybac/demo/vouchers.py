"""The demo's vouchers (docs/selling-events.md, "Vouchers"), made through orders.vouchers like any: HOICHO10, the
hub's 10 % (up to 50,000 ₫) for the fair's two weeks, and the first producer's own 20,000 ₫ off 300,000 ₫, so a
new user can try a code in the cart at once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from taybac.accounts.models import User
from taybac.catalog.models import Shop
from taybac.demo.plan import ProducerPlan
from taybac.orders.models import Voucher
from taybac.orders.vouchers import create_voucher

HUB_CODE = "HOICHO10"
SHOP_CODE = "VUMOI20K"


def ensure_demo_vouchers(plans: list[ProducerPlan], operator_username: str, created: Counter) -> None:
    operator = User.objects.filter(username=operator_username).first()
    shop = Shop.objects.filter(producer__owner__phone=plans[0].phone).first() if plans else None
    if operator is None or shop is None or Voucher.objects.exists():
        return
    now = timezone.now()
    create_voucher(
        actor=operator, shop=None, code=HUB_CODE, kind=Voucher.Kind.PERCENT, value=10, max_discount=50_000,
        min_subtotal=100_000, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=14),
        total_limit=1_000, per_buyer_limit=1, label="Hội chợ đặc sản trực tuyến (sàn tài trợ)",
    )  # fmt: skip
    create_voucher(
        actor=shop.producer.owner, shop=shop, code=SHOP_CODE, kind=Voucher.Kind.FIXED, value=20_000,
        min_subtotal=300_000, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=30),
        total_limit=200, per_buyer_limit=2, label="Mừng vụ mới",
    )  # fmt: skip
    created["vouchers"] += 2
