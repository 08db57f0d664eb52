"""The demo's synthetic history: the seasons of real crops, Tết, totals that add up, no stock taken, loaded once.

The module's demo (conftest) loads 8 weeks of history; the full two years are planned in memory here from the
demo's real products (writing them is what `taybac demo` does in tests/demo/test_plan.py).
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import F, Sum
from django.utils import timezone

from taybac.catalog.models import Product, Variant
from taybac.core.models import AuditEntry
from taybac.demo.history import DEFAULT_WEEKS, SCOPE, configured_weeks, offers_for, world_today
from taybac.demo.history_demand import TET, season_factor, tet_factor
from taybac.demo.history_plan import history_weeks, plan_orders, plan_searches
from taybac.demo.loader import load_demo_data
from taybac.demo.plan import build_plan
from taybac.orders.models import Order, OrderLine, ShopOrder, Status
from taybac.payments.models import LedgerEntry, TaxWithholding
from taybac.search.models import SearchQueryLog
from tests.demo.test_plan import NAMES

MANGO, PLUM, ORANGE = 0b1100000, 0b1100000, 0b1100000000010  # May–June; May–June; Nov, Dec, Jan


def _history_rows() -> list[tuple]:
    return sorted(
        ShopOrder.objects.filter(order__idempotency_scope=SCOPE).values_list(
            "order__code", "code", "order__created_at", "status", "total", "order__contact_phone"
        )
    )


def test_seasons_follow_the_harvest_months():
    assert season_factor(season_mask=MANGO, category="trai-cay", month=6) > 2
    assert season_factor(season_mask=MANGO, category="trai-cay", month=12) == 0  # fresh fruit out of season
    assert season_factor(season_mask=ORANGE, category="trai-cay", month=1) > 2
    assert 0 < season_factor(season_mask=0b100000000000, category="mat-ong", month=3) < 1  # honey keeps
    assert tet_factor(category="che", day=TET[2026] - datetime.timedelta(days=20)) > 2  # gift tea before Tết
    assert tet_factor(category="che", day=TET[2026]) < 0.5  # the post rests
    assert tet_factor(category="che", day=datetime.date(2026, 8, 1)) == 1


def test_the_default_history_spans_two_years():
    today = datetime.date(2026, 12, 6)
    weeks = history_weeks(today=today, weeks=DEFAULT_WEEKS)
    assert weeks[0] <= datetime.date(2024, 12, 6) and weeks[-1] + datetime.timedelta(days=7) <= today
    assert all(w.weekday() == 0 for w in weeks) and len(set(weeks)) == DEFAULT_WEEKS


def test_two_years_planned_from_the_demo_products_peak_in_season(loaded):
    today = timezone.localdate()
    plans = build_plan(today=today, province_names=NAMES)
    offers = [o for o in offers_for(plans) if o.category in ("trai-cay", "che")]  # enough to see it, quickly
    weeks = history_weeks(today=today, weeks=DEFAULT_WEEKS)
    orders = list(plan_orders(offers=offers, world=world_today(today), weeks=weeks))
    assert len(orders) > 3000
    months: dict[str, Counter[int]] = {"Xoài": Counter(), "Mận hậu": Counter(), "Cam": Counter()}
    for order in orders:
        for line in order.lines:
            for prefix, counter in months.items():
                if line.product_name.startswith(prefix):
                    counter[order.created_at.month] += line.quantity
    for prefix, season in (("Xoài", {5, 6}), ("Mận hậu", {5, 6}), ("Cam", {11, 12, 1})):
        counter = months[prefix]
        in_season = sum(counter[m] for m in season)
        assert in_season > 0.75 * sum(counter.values()), (prefix, counter)
    before = sum(1 for o in orders if 8 <= (TET[2026] - o.created_at.date()).days <= 35)
    after = sum(1 for o in orders if 8 <= (o.created_at.date() - TET[2026]).days <= 35)
    assert before > 1.3 * after  # gifts before Tết
    year_ago = sum(1 for o in orders if o.created_at.date() < weeks[52])
    assert year_ago < len(orders) - year_ago  # the hub grew
    searches = list(plan_searches(offers=offers, today=today, weeks=weeks))
    durian = Counter(s.created_at.month for s in searches if s.query == "sầu riêng")
    assert sum(durian[m] for m in (5, 6, 7, 8)) > 0.85 * sum(durian.values())  # its season; none in winter
    assert not durian[12] and not durian[1]


def test_history_rows_are_consistent_and_marked(loaded):
    history = ShopOrder.objects.filter(order__idempotency_scope=SCOPE)
    assert history.count() > 500
    assert not history.exclude(total=F("items_total") + F("shipping_fee")).exists()
    assert not history.exclude(shipping_fee__gte=F("shipping_cod_fee")).exists()
    assert set(history.values_list("status", flat=True)) <= {
        Status.DELIVERED,
        Status.COMPLETED,
        Status.CANCELLED,
        Status.RETURNED,
    }
    lines = OrderLine.objects.filter(shop_order__in=history)
    assert not lines.exclude(line_total=F("unit_price") * F("quantity")).exists()
    for so in history.annotate(lines_total=Sum("lines__line_total"))[:300]:
        assert so.lines_total == so.items_total
        assert so.lines.exclude(shop_id=so.shop_id).count() == 0
    orders = Order.objects.filter(idempotency_scope=SCOPE)
    assert not orders.exclude(contact_name__startswith="Khách mẫu").exists()
    assert not orders.filter(buyer__isnull=False).exists()
    assert orders.filter(pickup_point__isnull=False).exists() and orders.filter(delivery_address__isnull=False)
    assert {"vietqr", "cod"} == set(orders.values_list("payment_method", flat=True))
    oldest = orders.order_by("created_at").first().created_at
    assert timezone.localdate() - datetime.timedelta(weeks=9) <= timezone.localdate(oldest)
    today = timezone.localdate()  # the history is the complete weeks before this one, in Vietnam's time
    assert timezone.localdate(orders.order_by("-created_at").first().created_at) < today - datetime.timedelta(
        days=today.weekday()
    )
    assert configured_weeks() == 8
    delivered = AuditEntry.objects.filter(action="shop_order.delivered", detail__source=SCOPE)
    assert delivered.count() == history.exclude(status=Status.CANCELLED).count()
    for entry in delivered[:200]:
        placed = history.get(pk=int(entry.target_id)).created_at
        assert placed < entry.created_at < placed + datetime.timedelta(days=12)


def test_searches_include_what_the_hub_does_not_sell(loaded):
    logged = SearchQueryLog.objects.all()
    assert logged.filter(query="nuoc mam", result_count=0).exists()
    assert logged.filter(query="che", result_count__gte=20).exists()
    assert not logged.filter(query__regex=r"[^a-z0-9 ]").exists()  # folded, as the search logs them
    assert "Lịch sử mẫu" in loaded["summary"]


def test_searches_carry_province_visit_and_whether_the_visit_ordered(loaded):
    logged = SearchQueryLog.objects.all()
    assert not logged.exclude(visit__regex=r"^[0-9a-f]{32}$").exists()
    ordering = logged.filter(led_to_order=True)
    assert not ordering.filter(buyer_province__isnull=True).exists()  # an order's visit knows its address
    visits = ordering.values("visit").distinct().count()
    orders = Order.objects.filter(idempotency_scope=SCOPE).count()
    assert 0.3 * orders < visits <= orders  # one visit per order, most orders searched first
    assert logged.filter(led_to_order=False, buyer_province__isnull=True).exists()
    assert not logged.filter(query="nuoc mam", led_to_order=True).exists()  # nothing to buy, no order


def test_history_takes_no_stock_is_deterministic_and_loads_once(loaded):
    stock = list(Variant.objects.order_by("pk").values_list("pk", "quantity", "allocated", "harvest_allocated"))
    first = _history_rows()
    sold = dict(Product.objects.values_list("pk", "sold_count"))
    delivered = Counter(
        dict(
            OrderLine.objects.filter(
                shop_order__order__idempotency_scope=SCOPE, shop_order__status__in=(Status.DELIVERED, Status.COMPLETED)
            )
            .values_list("variant__product_id")
            .annotate(units=Sum("quantity"))
        )
    )
    load_demo_data()  # loaded already: nothing changes
    assert _history_rows() == first
    # Without the history, the same day plans the same orders, and only "Đã bán" moves.
    # (with the tax withheld on last month's sales, demo/tax.py, and their ledger entries)
    TaxWithholding.objects.filter(shop_order__order__idempotency_scope=SCOPE).delete()
    LedgerEntry.objects.filter(shop_order__order__idempotency_scope=SCOPE).delete()
    Order.objects.filter(idempotency_scope=SCOPE).delete()
    Product.objects.update(sold_count=0)
    load_demo_data()
    assert _history_rows() == first
    after = dict(Product.objects.values_list("pk", "sold_count"))
    assert all(after[pk] == delivered.get(pk, 0) for pk in after)
    assert sum(sold.values()) >= sum(delivered.values())
    assert list(Variant.objects.order_by("pk").values_list("pk", "quantity", "allocated", "harvest_allocated")) == stock
