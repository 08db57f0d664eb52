"""The demo's withheld tax: last month's delivered sales of household shops in the synthetic history (written
straight to the tables, without the ledger) are credited and withheld as the hub does at delivery, dated when they
happened, so the operator's page shows a whole month's declaration (/van-hanh/thue/, marked "dữ liệu mô phỏng")
and sellers their statements."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import Producer
from taybac.orders.models import ShopOrder, Status
from taybac.payments.models import LedgerEntry, TaxWithholding
from taybac.payments.withholding import period_of, seller_revenue, withhold_sale

MAX_ORDERS = 400  # enough for a month of a province pilot, quick to load


def ensure_demo_withholdings(created: Counter, *, today: datetime.date | None = None) -> None:
    first = (today or timezone.localdate()).replace(day=1)
    start = (first - datetime.timedelta(days=1)).replace(day=1)
    zone = timezone.get_current_timezone()
    begin, end = (datetime.datetime.combine(day, datetime.time(), tzinfo=zone) for day in (start, first))
    if TaxWithholding.objects.filter(period=period_of(moment=begin)).exists():
        return
    sales = (
        ShopOrder.objects.filter(
            status__in=(Status.DELIVERED, Status.COMPLETED),
            created_at__gte=begin,
            created_at__lt=end,
            shop__producer__kind=Producer.Kind.HOUSEHOLD,
            ledger__isnull=True,
        )
        .select_related("shop")
        .order_by("created_at", "id")[:MAX_ORDERS]
    )
    for shop_order in sales:
        at = shop_order.created_at + datetime.timedelta(hours=2)
        if at >= end:
            at = shop_order.created_at
        with transaction.atomic():
            LedgerEntry.objects.create(
                shop_id=shop_order.shop_id,
                shop_order=shop_order,
                kind=LedgerEntry.Kind.SALE,
                amount=seller_revenue(shop_order=shop_order),
                note=f"Đơn {shop_order.code}",
            )
            withhold_sale(shop_order=shop_order, at=at)
            LedgerEntry.objects.filter(shop_order=shop_order).update(created_at=at)  # in the month it happened
            TaxWithholding.objects.filter(shop_order=shop_order).update(created_at=at)
        created["tax withholdings (synthetic)"] += 1
