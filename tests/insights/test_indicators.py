"""Every indicator's query on known data (tests/insights/dashboard_world.py), the scope rules, and the query count
of a whole dashboard (it must not grow with orders)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taybac.accounts.models import Role
from taybac.accounts.selectors import NotAllowed
from taybac.insights import indicators as ind
from taybac.insights.dashboard import province_dashboard
from tests.factories import make_user
from tests.insights.dashboard_world import HA_NOI, LAO_CAI, SON_LA, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def _since(world) -> datetime.datetime:
    return ind.window_start(today=world.today, months=12)


def test_scope_by_role() -> None:
    assert ind.dashboard_scope(user=make_user(role=Role.OPERATOR)) == ind.Scope(province=None, may_choose=True)
    officer = make_user(role=Role.OFFICER, officer_province_id=SON_LA)
    scope = ind.dashboard_scope(user=officer)
    assert scope.province.pk == SON_LA and not scope.may_choose
    for role in (Role.BUYER, Role.PRODUCER, Role.HELPER):
        with pytest.raises(NotAllowed):
            ind.dashboard_scope(user=make_user(role=role))


def test_window_months() -> None:
    today = datetime.date(2026, 3, 15)
    assert ind.month_start(today=today, months=12) == datetime.date(2025, 4, 1)
    assert ind.months_of(today=today, months=3) == [datetime.date(2026, m, 1) for m in (1, 2, 3)]
    assert ind.window_start(today=today, months=1).isoformat() == "2026-03-01T00:00:00+07:00"


def test_producers_by_kind(world) -> None:
    rows = {r.kind: r for r in ind.producers_by_kind(province=LAO_CAI, since=_since(world))}
    assert (rows["household"].producers, rows["household"].live_shop, rows["household"].selling) == (2, 1, 1)
    # The cooperative's only order was cancelled: a live shop, no sale.
    assert (rows["cooperative"].producers, rows["cooperative"].live_shop, rows["cooperative"].selling) == (1, 1, 0)
    assert (rows["enterprise"].producers, rows["enterprise"].live_shop) == (0, 0)
    everywhere = ind.producers_by_kind(province=None, since=_since(world))
    assert sum(r.producers for r in everywhere) == 4 and sum(r.selling for r in everywhere) == 2


def test_products_and_ocop(world) -> None:
    rows = {r.name: (r.products, r.ocop) for r in ind.products_by_category(province=LAO_CAI, today=world.today)}
    assert rows == {"Chè": (2, 0), "Mật ong": (1, 1)}  # the tea bags' certificate expired yesterday
    assert ind.ocop_by_stars(province=LAO_CAI, today=world.today) == {3: 0, 4: 1, 5: 0}
    assert ind.ocop_by_stars(province=SON_LA, today=world.today) == {3: 0, 4: 0, 5: 0}


def test_monthly_orders_sales_shipping_and_cod(world) -> None:
    rows = ind.monthly_orders(province=LAO_CAI, today=world.today, months=24)
    assert len(rows) == 24 and rows[-1].month == world.today.replace(day=1)
    this, last = rows[-1], rows[-2]
    assert (this.orders, this.sales, this.shipping, this.cod_orders, this.cod_sales) == (1, 700_000, 35_000, 1, 700_000)
    assert (last.orders, last.sales, last.shipping, last.cod_orders, last.cashless_orders) == (1, 350_000, 18_000, 0, 1)
    assert rows[-3].orders == 0  # the cancelled order
    assert (rows[-14].orders, rows[-14].sales) == (1, 350_000)
    assert sum(r.orders for r in rows) == 3
    hub = ind.monthly_orders(province=None, today=world.today, months=1)
    assert (hub[0].orders, hub[0].sales, hub[0].cod_orders) == (2, 1_200_000, 1)


def test_buyer_provinces(world) -> None:
    rows = ind.buyer_provinces(province=LAO_CAI, since=_since(world))
    assert [(r.code, r.orders, r.sales) for r in rows] == [(HA_NOI, 1, 700_000), (LAO_CAI, 1, 350_000)]
    assert rows[0].name == "Thành phố Hà Nội"
    assert [(r.code, r.orders) for r in ind.buyer_provinces(province=SON_LA, since=_since(world))] == [(SON_LA, 1)]


def test_delivery_times(world) -> None:
    times = ind.delivery_times(province=LAO_CAI, since=_since(world))
    assert times.delivered == 2 and times.mean_days == pytest.approx(2.0)
    assert times.buckets == [("Trong 2 ngày", 1), ("3–4 ngày", 1), ("5–7 ngày", 0), ("Trên 7 ngày", 0)]
    none = ind.delivery_times(province=SON_LA, since=_since(world))
    assert none.delivered == 0 and none.mean_days is None


def test_region_side_by_side(world) -> None:
    ordered = ind.region_comparison(since=_since(world), today=world.today)
    names = [r.name for r in ordered]
    assert names.index("Điện Biên") < names.index("Lai Châu")  # Đ sorts after D, not after Z
    rows = {r.code: r for r in ordered}
    assert len(rows) == 9 and HA_NOI not in rows
    lc, sl = rows[LAO_CAI], rows[SON_LA]
    assert (lc.producers, lc.live_shops, lc.products, lc.ocop_products) == (3, 2, 3, 1)
    assert (lc.selling_shops, lc.orders, lc.sales, lc.cod_orders, lc.shipping) == (1, 2, 1_050_000, 1, 53_000)
    assert lc.mean_delivery_days == pytest.approx(2.0)
    assert (sl.producers, sl.live_shops, sl.products, sl.orders, sl.sales, sl.cod_orders) == (1, 1, 1, 1, 500_000, 0)
    assert sl.mean_delivery_days is None
    others = [r for code, r in rows.items() if code not in (LAO_CAI, SON_LA)]
    assert all(r.producers == r.orders == r.sales == 0 for r in others)


def test_map_counts(world) -> None:
    assert ind.producer_communes(province=LAO_CAI) == [(world.lao_cai_commune, 3)]
    assert ind.buyer_communes(province=LAO_CAI, since=_since(world)) == sorted(
        [(world.ha_noi_commune, 1), (world.lao_cai_commune, 1)]
    )
    frame = ind.map_frame(province=SON_LA)
    assert frame and {prov for _c, prov, _n in frame} == {SON_LA}
    assert len({prov for _c, prov, _n in ind.map_frame(province=None)}) == 9


def test_dashboard_queries_do_not_grow_with_orders(world) -> None:
    """The whole province dashboard is a fixed number of aggregate queries, whatever the number of orders."""

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            province_dashboard(province=None, place="Toàn sàn", today=world.today)
        return len(ctx)

    before = count()
    build()  # as much data again
    assert count() == before <= 16
