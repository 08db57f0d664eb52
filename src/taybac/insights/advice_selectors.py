"""Reads behind production advice (docs/insights.md, "Production advice"): what a shop grows and when, the
province's planned supply of a category, the latest done forecast of its demand, prices and where its buyers are.

Supply is counted in the units buyers order (a variant's unit), as the forecasts are: a pre-order quota not yet
taken, plus the goods on hand: what is left of recently harvested lots recorded in the same unit as their
variant, or the stock not reserved, whichever is larger.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from taybac.catalog.models import Category, Product, Shop, Variant
from taybac.insights.indicators import COUNTED
from taybac.insights.models import DemandForecast, ForecastRun, ProductionWarning
from taybac.orders.models import OrderLine, Status
from taybac.traceability.models import Lot

# Lots harvested this long ago or less still count as goods to sell; older ones are assumed sold or spoilt.
LOT_FRESH_DAYS = 91
# Orders read for "where the buyers of a category are".
BUYERS_LOOKBACK_DAYS = 365
TOP_BUYER_PROVINCES = 3
# A province median price needs at least this many products to mean something.
MIN_PRICE_PEERS = 3


@dataclass(frozen=True)
class Supply:
    """One shop's planned supply of a category: quota left to pre-order and unsold units of fresh lots."""

    quota_left: int = 0
    lots_left: int = 0
    stock_left: int = 0

    @property
    def on_hand(self) -> int:
        """Goods to sell now: the unsold lots or the stock, whichever is larger (both count the same goods, so
        they are not added; a shop that records no lots still has its stock)."""
        return max(self.lots_left, self.stock_left)

    @property
    def total(self) -> int:
        return self.quota_left + self.on_hand


def seasonal_products(*, shop_ids: list[int] | None = None) -> QuerySet[Product]:
    """Active goods of active shops that have a harvest calendar (season months or a next harvest date)."""
    products = Product.objects.filter(is_active=True, kind=Product.Kind.GOODS, shop__is_active=True).filter(
        Q(season_mask__gt=0) | Q(next_harvest__isnull=False)
    )
    if shop_ids is not None:
        products = products.filter(shop_id__in=shop_ids)
    return products.select_related("category", "shop__province", "shop__producer__owner").order_by("shop_id", "id")


def planned_supply(
    *, province_id: int, category_id: int, today: datetime.date, until: datetime.date
) -> dict[int, Supply]:
    """Each shop of the province with supply of the category up to `until`, by shop id (three grouped queries).

    Quota counts when the product takes pre-orders and its next harvest is between today and `until`; lots when
    harvested in the last LOT_FRESH_DAYS and recorded in their variant's unit (a lot in kg of a jar variant is
    not comparable with jars ordered, so it is left out); stock is what is on hand and not reserved."""
    offered = Variant.objects.filter(
        is_active=True,
        shop__province_id=province_id,
        shop__is_active=True,
        product__category_id=category_id,
        product__is_active=True,
        product__kind=Product.Kind.GOODS,
    )
    stock = offered.values("shop_id").annotate(left=Sum(F("quantity") - F("allocated"))).order_by()
    stock_by_shop = {row["shop_id"]: max(int(row["left"] or 0), 0) for row in stock}
    quotas = (
        offered.filter(
            product__preorder_allowed=True,
            product__next_harvest__gte=today,
            product__next_harvest__lte=until,
        )
        .values("shop_id")
        .annotate(left=Sum(F("harvest_quota") - F("harvest_allocated")))
        .order_by()
    )
    quota_by_shop = {row["shop_id"]: int(row["left"] or 0) for row in quotas}
    not_sold = ~Q(order_line_links__line__shop_order__status__in=(Status.CANCELLED, Status.RETURNED))
    lots = (
        Lot.objects.filter(
            shop__province_id=province_id,
            shop__is_active=True,
            variant__product__category_id=category_id,
            harvested_on__gte=today - datetime.timedelta(days=LOT_FRESH_DAYS),
            harvested_on__lte=today,
        )
        .annotate(sold=Coalesce(Sum("order_line_links__line__quantity", filter=not_sold), 0))
        .values_list("shop_id", "quantity", "sold", "unit", "variant__unit")
        .order_by()
    )
    lots_by_shop: dict[int, int] = defaultdict(int)
    for shop_id, quantity, sold, unit, variant_unit in lots:
        if unit.strip().casefold() == variant_unit.strip().casefold():
            lots_by_shop[shop_id] += max(quantity - sold, 0)
    return {
        shop_id: Supply(
            quota_left=quota_by_shop.get(shop_id, 0),
            lots_left=lots_by_shop.get(shop_id, 0),
            stock_left=stock_by_shop.get(shop_id, 0),
        )
        for shop_id in quota_by_shop.keys() | lots_by_shop.keys() | stock_by_shop.keys()
    }


def latest_done_run() -> ForecastRun | None:
    return ForecastRun.objects.filter(status=ForecastRun.Status.DONE).order_by("-finished_at", "-id").first()


def category_forecast(*, run: ForecastRun, category_id: int, province_id: int) -> DemandForecast | None:
    """The run's forecast of a category in a province (not a product's), with its weeks."""
    return (
        DemandForecast.objects.filter(run=run, category_id=category_id, province_id=province_id, product__isnull=True)
        .prefetch_related("weeks")
        .first()
    )


@dataclass(frozen=True)
class PriceFigures:
    """The shop's lowest price of the category against the province's median, in the same unit."""

    shop_price: int
    unit: str
    median: int | None
    peers: int


def price_figures(*, shop_id: int, category_id: int, province_id: int) -> PriceFigures | None:
    """Each product's lowest active price; the median over the province's products sold in the shop's unit."""
    rows = (
        Variant.objects.filter(
            is_active=True,
            product__is_active=True,
            product__category_id=category_id,
            shop__province_id=province_id,
            shop__is_active=True,
        )
        .values_list("shop_id", "product_id", "unit", "price")
        .order_by("price", "id")
    )
    cheapest: dict[int, tuple[int, str, int]] = {}
    for shop, product, unit, price in rows:
        cheapest.setdefault(product, (shop, unit.strip().casefold(), price))
    own = [(unit, price) for shop, unit, price in cheapest.values() if shop == shop_id]
    if not own:
        return None
    unit, shop_price = min(own, key=lambda pair: pair[1])
    peers = [price for _, peer_unit, price in cheapest.values() if peer_unit == unit]
    median = int(statistics.median_low(peers)) if len(peers) >= MIN_PRICE_PEERS else None
    return PriceFigures(shop_price=shop_price, unit=unit, median=median, peers=len(peers))


@dataclass(frozen=True)
class BuyerPlace:
    province_id: int
    name: str
    orders: int
    share: float  # of all the category's orders in the period, 0–1


def buyer_provinces(*, category_id: int, exclude_province_id: int, since: datetime.date) -> list[BuyerPlace]:
    """Where the category's buyers are (destination of counted orders since `since`), other than one province;
    each with its share of all the category's orders, most first."""
    lines = OrderLine.objects.filter(
        variant__product__category_id=category_id,
        shop_order__status__in=COUNTED,
        shop_order__created_at__date__gte=since,
    )
    by_place = (
        lines.annotate(
            dest=Coalesce(
                "shop_order__order__delivery_address__province_id",
                "shop_order__order__pickup_point__address__province_id",
            ),
            dest_name=Coalesce(
                "shop_order__order__delivery_address__province__name",
                "shop_order__order__pickup_point__address__province__name",
            ),
        )
        .values("dest", "dest_name")
        .annotate(orders=Count("shop_order", distinct=True))
        .order_by("-orders", "dest")
    )
    places = [row for row in by_place if row["dest"] is not None]
    total = lines.aggregate(n=Count("shop_order", distinct=True))["n"] or 0
    if not total:
        return []
    return [
        BuyerPlace(province_id=row["dest"], name=row["dest_name"], orders=row["orders"], share=row["orders"] / total)
        for row in places
        if row["dest"] != exclude_province_id
    ][:TOP_BUYER_PROVINCES]


@dataclass(frozen=True)
class ShownWarning:
    """A stored warning with the last week its forecast covers, when that is before the season's last week (the
    figures then count only the weeks up to it: advice_rules.Assessor)."""

    warning: ProductionWarning
    forecast_until: datetime.date | None


def warnings_for_shop(*, shop: Shop) -> list[ShownWarning]:
    """The shop's stored warnings, soonest season first (the seller centre's page); three queries."""
    rows = (
        ProductionWarning.objects.filter(shop=shop, resolved_at__isnull=True)
        .select_related("category", "province", "forecast")
        .prefetch_related("forecast__weeks")
        .order_by("season_start", "category__position", "id")
    )
    shown = []
    for warning in rows:
        weeks = list(warning.forecast.weeks.all()) if warning.forecast is not None else []
        last = weeks[-1].week_start if weeks else None
        partial = last is not None and last + datetime.timedelta(days=6) < warning.season_end
        shown.append(ShownWarning(warning=warning, forecast_until=last if partial else None))
    return shown


def warning_count(*, shop: Shop) -> int:
    return ProductionWarning.objects.filter(shop=shop, resolved_at__isnull=True).count()


def category_names(*, ids: set[int]) -> dict[int, str]:
    return dict(Category.objects.filter(pk__in=ids).values_list("pk", "name"))
