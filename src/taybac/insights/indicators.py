"""Indicators of the province dashboard and the public summary (docs/insights.md, "Indicator dashboard").

Reads only. Each indicator is one aggregate query (GROUP BY in the database, never a loop over rows), scoped to
the shops of one province or to the whole hub, so the page's query count does not grow with orders. Who sees
which scope is decided here (`dashboard_scope`), so the page, its CSV and any later API read the same figures.
An order counts once it is confirmed (paid, or cash on delivery accepted) and until it is cancelled or
returned; sales are the goods' value (items_total), shipping is what buyers paid for delivery.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from taybac.accounts.models import Producer, Role, User
from taybac.accounts.selectors import NotAllowed
from taybac.catalog.models import Product, Shop
from taybac.core.models import AuditEntry
from taybac.core.text import place_sort_key
from taybac.orders.models import PaymentMethod, ShopOrder, Status
from taybac.regions.models import Commune, Province

COUNTED = (Status.CONFIRMED, Status.PACKED, Status.SHIPPED, Status.DELIVERED, Status.COMPLETED)
DELIVERED_AUDIT_ACTION = "shop_order.delivered"  # written by orders.lifecycle.advance for every delivery
# Upper bounds (days, inclusive) of the delivery-time buckets; the last bucket is everything longer.
DELIVERY_BUCKETS = ((2, "Trong 2 ngày"), (4, "3–4 ngày"), (7, "5–7 ngày"), (None, "Trên 7 ngày"))


@dataclass(frozen=True)
class Scope:
    """What the viewer may read: one province, or every province (`province` None) for operators."""

    province: Province | None
    may_choose: bool


def dashboard_scope(*, user: User) -> Scope:
    """Operators and staff: any province (they choose); an officer: their own; anyone else: `NotAllowed`."""
    if user.is_authenticated and (user.is_staff or user.role == Role.OPERATOR):
        return Scope(province=None, may_choose=True)
    if user.is_authenticated and user.role == Role.OFFICER and user.officer_province_id is not None:
        return Scope(province=Province.objects.get(pk=user.officer_province_id), may_choose=False)
    raise NotAllowed("Bảng số liệu tỉnh dành cho cán bộ Sở Công Thương và bộ phận vận hành sàn.")


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def month_start(*, today: datetime.date, months: int) -> datetime.date:
    """First day of the month `months - 1` months before `today`'s: the start of a `months`-month window."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def window_start(*, today: datetime.date, months: int) -> datetime.datetime:
    """The window's first instant, local midnight (Asia/Ho_Chi_Minh) of its first day."""
    return datetime.datetime.combine(month_start(today=today, months=months), datetime.time.min, tzinfo=local_zone())


def months_of(*, today: datetime.date, months: int) -> list[datetime.date]:
    """Every month's first day in the window, oldest first (so empty months still show as 0)."""
    first = month_start(today=today, months=months)
    index = first.year * 12 + first.month - 1
    return [datetime.date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(months)]


def counted_orders(*, province: int | None) -> QuerySet[ShopOrder]:
    """Shop orders that count as sales, of shops in `province` (all when None)."""
    orders = ShopOrder.objects.filter(status__in=COUNTED).order_by()
    return orders.filter(shop__province_id=province) if province is not None else orders


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    producers: int
    live_shop: int
    selling: int


def producers_by_kind(*, province: int | None, since: datetime.datetime) -> list[KindRow]:
    """Producers (active accounts) per kind, those with a live shop (open, at least one active product), and those
    with a counted order since `since`. Every kind is listed, with zeros."""
    live = Product.objects.filter(shop__producer=OuterRef("pk"), shop__is_active=True, is_active=True)
    selling = ShopOrder.objects.filter(shop__producer=OuterRef("pk"), status__in=COUNTED, created_at__gte=since)
    producers = Producer.objects.filter(owner__is_active=True)
    if province is not None:
        producers = producers.filter(province_id=province)
    rows = {
        row["kind"]: row
        for row in producers.order_by()
        .values("kind")
        .annotate(
            n=Count("id"),
            live=Count("id", filter=Q(Exists(live))),
            selling=Count("id", filter=Q(Exists(selling))),
        )
    }
    return [
        KindRow(kind, str(label), rows.get(kind, {}).get("n", 0), rows.get(kind, {}).get("live", 0),
                rows.get(kind, {}).get("selling", 0))
        for kind, label in Producer.Kind.choices
    ]  # fmt: skip


@dataclass(frozen=True)
class CategoryRow:
    name: str
    products: int
    ocop: int


def products_by_category(*, province: int | None, today: datetime.date) -> list[CategoryRow]:
    """Active products of open shops per category, and how many hold an OCOP certificate valid `today`."""
    products = Product.objects.filter(is_active=True, shop__is_active=True)
    if province is not None:
        products = products.filter(shop__province_id=province)
    rows = (
        products.order_by()
        .values("category__name", "category__position")
        .annotate(n=Count("id"), ocop_n=Count("id", filter=Q(ocop__expires_on__gte=today)))
        .order_by("category__position", "category__name")
    )
    return [CategoryRow(r["category__name"], r["n"], r["ocop_n"]) for r in rows]


def ocop_by_stars(*, province: int | None, today: datetime.date) -> dict[int, int]:
    """Active products with a valid OCOP certificate, per number of stars (3, 4, 5)."""
    products = Product.objects.filter(is_active=True, shop__is_active=True, ocop__expires_on__gte=today)
    if province is not None:
        products = products.filter(shop__province_id=province)
    counted = dict(products.order_by().values_list("ocop__stars").annotate(n=Count("id")))
    return {stars: counted.get(stars, 0) for stars in (3, 4, 5)}


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    orders: int
    sales: int
    shipping: int
    cod_orders: int
    cod_sales: int

    @property
    def cashless_orders(self) -> int:
        return self.orders - self.cod_orders


def monthly_orders(*, province: int | None, today: datetime.date, months: int) -> list[MonthRow]:
    """Counted shop orders per local month of placing: orders, sales, shipping paid, and the cash-on-delivery
    part; the last `months` months up to `today`'s, empty months as zeros.

    The month is found by comparing with each month's first instant (a CASE the database evaluates natively),
    not with TruncMonth: on SQLite, Django truncates dates by calling Python once per row (1.8 s on 200,000
    orders, bench/dashboard_bench.py)."""
    firsts = months_of(today=today, months=months)
    starts = [datetime.datetime.combine(m, datetime.time.min, tzinfo=local_zone()) for m in firsts]
    month = Case(
        *[When(created_at__gte=start, then=Value(i)) for i, start in reversed(list(enumerate(starts)))],
        output_field=IntegerField(),
    )
    cod = Q(order__payment_method=PaymentMethod.COD)
    rows = (
        counted_orders(province=province)
        .filter(created_at__gte=starts[0])
        .annotate(month=month)
        .values("month")
        .annotate(
            n=Count("id"),
            sales=Sum("items_total"),
            shipping=Sum("shipping_fee"),
            cod_n=Count("id", filter=cod),
            cod_sales=Coalesce(Sum("items_total", filter=cod), 0),
        )
        .order_by("month")
    )
    found = {r["month"]: r for r in rows}
    return [
        MonthRow(first, r["n"], r["sales"], r["shipping"], r["cod_n"], r["cod_sales"])
        if (r := found.get(i))
        else MonthRow(first, 0, 0, 0, 0, 0)
        for i, first in enumerate(firsts)
    ]


@dataclass(frozen=True)
class PlaceRow:
    code: int | None
    name: str
    orders: int
    sales: int


def buyer_provinces(*, province: int | None, since: datetime.datetime) -> list[PlaceRow]:
    """Where the counted orders went: the delivery address's province, or the pickup point's; most orders (then
    sales) first."""
    rows = (
        counted_orders(province=province)
        .filter(created_at__gte=since)
        .annotate(
            dest=Coalesce("order__delivery_address__province_id", "order__pickup_point__address__province_id"),
            dest_name=Coalesce(
                "order__delivery_address__province__name", "order__pickup_point__address__province__name"
            ),
        )
        .values("dest", "dest_name")
        .annotate(n=Count("id"), sales=Sum("items_total"))
        .order_by("-n", "-sales", "dest_name")
    )  # fmt: skip
    return [PlaceRow(r["dest"], r["dest_name"] or "", r["n"], r["sales"]) for r in rows]


class Days(Func):
    """A timestamp as a (fractional) number of days, computed by the database itself: SQLite's julianday(),
    PostgreSQL's epoch / 86400. Django's own datetime subtraction on SQLite calls Python once per row (7 s for
    the delivery times of 200,000 orders, bench/dashboard_bench.py)."""

    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="julianday(%(expressions)s)", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(EXTRACT(EPOCH FROM %(expressions)s)::double precision / 86400.0)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _delivered(*, province: int | None, since: datetime.datetime) -> QuerySet[AuditEntry]:
    """The delivery audit entries of shop orders placed since `since`, with `took_days` (placed → delivered) and
    the shop's `province`. Read from the audit side: the entries are found by action and time, and each shop
    order by its primary key, rather than one audit look-up per shop order."""
    orders = ShopOrder.objects.filter(
        pk=OuterRef("shop_order_id"),
        created_at__gte=since,
        status__in=(Status.DELIVERED, Status.COMPLETED, Status.RETURNED),
    )
    if province is not None:
        orders = orders.filter(shop__province_id=province)
    return (
        AuditEntry.objects.filter(
            action=DELIVERED_AUDIT_ACTION, target_type="orders.shoporder", created_at__gte=since
        )  # written by audit.record(target=shop order): the target id is the shop order's primary key
        .order_by()
        .annotate(shop_order_id=Cast("target_id", BigIntegerField()))
        .annotate(
            placed_days=Days(Subquery(orders.values("created_at")[:1])),
            province=Subquery(orders.values("shop__province_id")[:1]),
        )
        .filter(placed_days__isnull=False)
        .annotate(took_days=Days("created_at") - F("placed_days"))
    )


@dataclass(frozen=True)
class DeliveryTimes:
    delivered: int
    mean_days: float | None
    buckets: list[tuple[str, int]]


def delivery_times(*, province: int | None, since: datetime.datetime) -> DeliveryTimes:
    """Placed → delivered for shop orders placed since `since`: how many, the mean in days, and how many fell in
    each of DELIVERY_BUCKETS."""
    bounds: list[Q] = []
    lower: int | None = None
    for upper, _label in DELIVERY_BUCKETS:
        q = Q() if lower is None else Q(took_days__gt=lower)
        if upper is not None:
            q &= Q(took_days__lte=upper)
        bounds.append(q)
        lower = upper
    figures = _delivered(province=province, since=since).aggregate(
        n=Count("id"), mean=Avg("took_days"), **{f"b{i}": Count("id", filter=q) for i, q in enumerate(bounds)}
    )
    return DeliveryTimes(
        delivered=figures["n"],
        mean_days=figures["mean"],
        buckets=[(label, figures[f"b{i}"]) for i, (_upper, label) in enumerate(DELIVERY_BUCKETS)],
    )


@dataclass(frozen=True)
class ProvinceRow:
    code: int
    name: str
    producers: int
    live_shops: int
    products: int
    ocop_products: int
    selling_shops: int
    orders: int
    sales: int
    cod_orders: int
    shipping: int
    mean_delivery_days: float | None


def region_comparison(*, since: datetime.datetime, today: datetime.date) -> list[ProvinceRow]:
    """The region's provinces side by side (the gap between them): one grouped query per figure."""
    region = Q(province__in_region=True)
    named = Province.objects.filter(in_region=True).order_by().values_list("code", "name")
    provinces = sorted(named, key=lambda row: place_sort_key(row[1]))  # Đ after D, as everywhere on the hub
    producers = dict(
        Producer.objects.filter(region, owner__is_active=True)
        .order_by()
        .values_list("province_id")
        .annotate(Count("id"))
    )
    live = Product.objects.filter(shop=OuterRef("pk"), is_active=True)
    shops = dict(
        Shop.objects.filter(region, Exists(live), is_active=True)
        .order_by()
        .values_list("province_id")
        .annotate(Count("id"))
    )
    products = {
        r["shop__province_id"]: r
        for r in Product.objects.filter(is_active=True, shop__is_active=True, shop__province__in_region=True)
        .order_by()
        .values("shop__province_id")
        .annotate(n=Count("id"), ocop_n=Count("id", filter=Q(ocop__expires_on__gte=today)))
    }
    orders = {
        r["shop__province_id"]: r
        for r in counted_orders(province=None)
        .filter(created_at__gte=since, shop__province__in_region=True)
        .values("shop__province_id")
        .annotate(
            shops=Count("shop_id", distinct=True),
            n=Count("id"),
            sales=Sum("items_total"),
            shipping=Sum("shipping_fee"),
            cod=Count("id", filter=Q(order__payment_method=PaymentMethod.COD)),
        )
    }
    delivered = _delivered(province=None, since=since)
    delivery = dict(delivered.values_list("province").annotate(Avg("took_days")))  # type: ignore[misc]  # annotated
    rows = []
    for code, name in provinces:
        p, o = products.get(code, {}), orders.get(code, {})
        rows.append(
            ProvinceRow(
                code, name, producers.get(code, 0), shops.get(code, 0), p.get("n", 0), p.get("ocop_n", 0),
                o.get("shops", 0), o.get("n", 0), o.get("sales", 0), o.get("cod", 0), o.get("shipping", 0),
                delivery.get(code),
            )
        )  # fmt: skip
    return rows


def producer_communes(*, province: int | None) -> list[tuple[int, int]]:
    """(commune code, producers) for producers with an active account: the map's producer dots."""
    producers = Producer.objects.filter(owner__is_active=True)
    if province is not None:
        producers = producers.filter(province_id=province)
    return list(producers.order_by().values_list("commune_id").annotate(Count("id")).order_by("commune_id"))


def buyer_communes(*, province: int | None, since: datetime.datetime) -> list[tuple[int, int]]:
    """(commune code, counted orders) where orders were delivered to: the map's buyer dots (never who bought)."""
    dest = Coalesce("order__delivery_address__commune_id", "order__pickup_point__address__commune_id")
    rows = (
        counted_orders(province=province)
        .filter(created_at__gte=since)
        .annotate(dest=dest)
        .values_list("dest")
        .annotate(Count("id"))
        .order_by("dest")
    )
    return [(code, n) for code, n in rows if code is not None]


def map_frame(*, province: int | None) -> list[tuple[int, int, str]]:
    """(commune code, province code, province name) of the communes the map is drawn around: the province's, or
    the region's nine provinces'."""
    communes = (
        Commune.objects.filter(province_id=province)
        if province is not None
        else Commune.objects.filter(province__in_region=True)
    )
    return list(communes.order_by("code").values_list("code", "province_id", "province__name"))
