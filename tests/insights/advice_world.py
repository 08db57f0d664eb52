"""Known data for the production advice tests: honey and tea in Lào Cai, a forecast run, and figures the tests
expect written next to the rows that make them.

"Today" is Wednesday 10 June 2026. Honey and tea are harvested in June–August, so the season runs from Monday
1 June to Sunday 6 September 2026; the forecast starts on Monday 8 June, so the weeks compared are the 13 Mondays
8 June … 31 August."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from taybac.catalog.models import Category, Product, Shop, Variant
from taybac.insights.models import DemandForecast, ForecastRun, ForecastWeek
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import OrderLine
from taybac.regions.models import Commune
from taybac.regions.services import create_address
from taybac.traceability.models import OrderLineLot
from taybac.traceability.services import record_harvest
from tests.factories import make_producer, make_product

TODAY = datetime.date(2026, 6, 10)
SEASON_START = datetime.date(2026, 6, 1)
SEASON_END = datetime.date(2026, 9, 6)
WEEKS = 13  # Mondays 8 June … 31 August 2026
LAO_CAI, HA_NOI = 15, 1
SUMMER = [6, 7, 8]


@dataclass
class World:
    a: Shop  # household: honey 350,000 đ/hũ, quota 300 (20 taken), a lot of 50 hũ (5 sold), a lot in kg, 12 in stock
    # (stock 12 − 5 < the lot's 45 left: on hand is 45)
    b: Shop  # cooperative: honey 300,000 đ/hũ, quota 200
    c: Shop  # household: tea 120,000 đ/gói, quota 10
    honey: Category
    tea: Category
    run: ForecastRun


def _shop(name: str, **extra) -> Shop:
    from taybac.catalog.services import create_shop

    producer = make_producer(name=name, province_code=LAO_CAI, **extra)
    return create_shop(actor=producer.owner, producer=producer, name=name)


def _seasonal(
    shop: Shop, *, name: str, slug: str, price: int, unit: str, quota: int, taken: int = 0, stock: int = 0
) -> Variant:
    product = make_product(
        shop=shop,
        name=name,
        category_slug=slug,
        price=price,
        unit=unit,
        season_months=SUMMER,
        next_harvest=datetime.date(2026, 7, 1),
        preorder_allowed=True,
        quantity=stock,
    )
    variant = product.variants.get()
    Variant.objects.filter(pk=variant.pk).update(harvest_quota=quota, harvest_allocated=taken)
    return variant


def forecast(
    run: ForecastRun,
    category: Category,
    *,
    per_week: float,
    mase: float | None = 0.5,
    observations: int = 104,
    weeks: int = 26,
) -> DemandForecast:
    series = DemandForecast.objects.create(
        run=run,
        category=category,
        province_id=LAO_CAI,
        observations=observations,
        model="mstl",
        mase=mase,
        baseline="seasonal_naive",
        baseline_mase=1.0,
        beats_baseline=True,
        backtest_origins=3,
    )
    first = datetime.date(2026, 6, 8)
    ForecastWeek.objects.bulk_create(
        ForecastWeek(forecast=series, week_start=first + datetime.timedelta(weeks=i), quantity=per_week)
        for i in range(weeks)
    )
    return series


def done_run() -> ForecastRun:
    return ForecastRun.objects.create(
        status=ForecastRun.Status.DONE, history_end=datetime.date(2026, 6, 1), horizon_weeks=26, series_count=2
    )


def _sell_from_lot(variant: Variant, lot, quantity: int) -> None:
    """An order of `quantity` to Hà Nội, confirmed, its line shipped from `lot`."""
    commune = Commune.objects.filter(province_id=HA_NOI).order_by("code").first()
    assert commune is not None
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, quantity)],
        contact=Contact("Trần Thị Lan", "0912345678"),
        payment_method="cod",
        delivery_address=create_address(province_code=HA_NOI, commune_code=commune.pk, street="12 Hàng Bạc"),
    )
    shop_order = order.shop_orders.get()
    if shop_order.status != "confirmed":
        advance(shop_order=shop_order, to="confirmed", actor=None)
    OrderLineLot.objects.create(line=OrderLine.objects.get(shop_order=shop_order), lot=lot)


def build() -> World:
    from taybac.accounts.models import Producer

    a = _shop("Hộ Giàng A Páo")
    b = _shop("HTX Mật ong Bắc Hà", kind=Producer.Kind.COOPERATIVE)
    c = _shop("Hộ Lò Văn Chè")
    honey_a = _seasonal(
        a, name="Mật ong bạc hà", slug="mat-ong", price=350_000, unit="hũ", quota=300, taken=20, stock=12
    )
    _seasonal(b, name="Mật ong rừng", slug="mat-ong", price=300_000, unit="hũ", quota=200)
    _seasonal(c, name="Chè Shan tuyết", slug="che", price=120_000, unit="gói", quota=10)
    # A third honey in the province without a harvest calendar: a price peer only (median of 300k, 320k, 350k).
    make_product(shop=_shop("Hộ Vàng Thị Mai"), name="Mật ong hoa", category_slug="mat-ong", price=320_000, quantity=0)
    lot = record_harvest(
        actor=a.producer.owner, variant=honey_a, harvested_on=datetime.date(2026, 6, 2), quantity=50, unit="hũ"
    )
    # A lot weighed in kg: not comparable with jars ordered, left out of supply.
    record_harvest(
        actor=a.producer.owner, variant=honey_a, harvested_on=datetime.date(2026, 6, 3), quantity=80, unit="kg"
    )
    _sell_from_lot(honey_a, lot, 5)
    run = done_run()
    honey, tea = Category.objects.get(slug="mat-ong"), Category.objects.get(slug="che")
    forecast(run, honey, per_week=5)  # 13 weeks × 5 = 65 jars against 280 + 45 + 200 = 525: a glut
    forecast(run, tea, per_week=100)  # 1,300 packs against 10: a shortage
    return World(a=a, b=b, c=c, honey=honey, tea=tea, run=run)


def products_of(shop: Shop) -> list[Product]:
    return list(Product.objects.filter(shop=shop))
