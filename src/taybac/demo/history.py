"""Two years of synthetic past orders and searches, so the insights dashboard and forecasts have data to show.

The plan (demo/history_plan.py, demo/history_demand.py) says what happened; this module writes it in bulk
(the services would take minutes for tens of thousands of orders, and are for orders happening now).
What is written, and what is deliberately not:

- Orders, shop orders and lines with their real past dates, final statuses and the hub network's shipping
  price; addresses for home deliveries. Marked as history: idempotency scope `demo-history`, buyer name
  "Khách mẫu – …", buyer phones +84919xxxxxx, no buyer account.
- No stock moves: past orders were fulfilled from past harvests, so `quantity`, `allocated` and the
  pre-order quotas of today's variants are untouched. Delivered units do count in each product's "Đã bán".
- One audit entry per delivered shop order (`shop_order.delivered` at its delivery moment: what delivery
  times are measured to), none for the other steps. No payments, ledger entries, shipments or lots: the
  money was settled before the hub's ledger, so payouts, refunds and reconciliation are unaffected.
- Search log rows with their result count as the real search gives it today, the buyer's province and a visit
  token; the searches of an order's product and week before it are its visit's, marked as leading to an order.

Loaded in one transaction, once: if any history order exists, nothing is written again.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min, Model
from django.utils import timezone

from taybac.catalog.kinds import SERVICE_CATEGORIES
from taybac.catalog.models import Product, Shop, Variant
from taybac.catalog.stats import record_sales
from taybac.core import audit
from taybac.core.models import AuditEntry
from taybac.demo.history_plan import (
    OrderVisit,
    Place,
    PlannedOrder,
    PlannedSearch,
    ProductOffer,
    VariantOffer,
    World,
    history_weeks,
    plan_orders,
    plan_searches,
)
from taybac.demo.plan import ProducerPlan
from taybac.logistics.carriers.hub import SERVICE, SERVICE_NAME, HubNetwork
from taybac.logistics.models import RemoteCommune
from taybac.logistics.selectors import active_table
from taybac.orders.models import Order, OrderLine, ShopOrder, Status
from taybac.regions.models import Address, Commune, PickupPoint, Province
from taybac.search.backends import get_backend, sql_backend
from taybac.search.backends.base import FilterSpec
from taybac.search.indexing import reindex_products
from taybac.search.models import SearchQueryLog
from taybac.search.query import plan_query, query_words
from taybac.search.synonyms import synonym_table

LOADED = "demo.history_loaded"  # the audit entry of a load, with its counts
SCOPE = "demo-history"  # Order.idempotency_scope of every history order: no real caller has it
DEFAULT_WEEKS = 106  # two years and two weeks; settings.TAYBAC_DEMO_HISTORY_WEEKS overrides it
MAX_WEEKS = 520
BATCH = 1000
SOLD = (Status.DELIVERED, Status.COMPLETED)
DELIVERED = f"shop_order.{Status.DELIVERED}"  # the audit entry delivery times are measured to
# The word a buyer uses for a whole category (fruit: the fruit's own first word instead).
GENERIC = {
    "che": "chè",
    "mat-ong": "mật ong",
    "gia-vi": "gia vị",
    "duoc-lieu": "dược liệu",
    "gao-ngu-coc": "gạo",
    "thu-cong-tho-cam": "thổ cẩm",
}
T = TypeVar("T")


def _chunks(items: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, BATCH)):
        yield chunk


def configured_weeks() -> int:
    """How many past weeks the demo loads (tests load a few; the setting is bounded to ten years)."""
    weeks = getattr(settings, "TAYBAC_DEMO_HISTORY_WEEKS", DEFAULT_WEEKS)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 0 <= weeks <= MAX_WEEKS:
        raise ValueError(f"TAYBAC_DEMO_HISTORY_WEEKS must be a whole number of weeks from 0 to {MAX_WEEKS}.")
    return weeks


def _search_texts(name: str, place: str, category: str) -> tuple[str, ...]:
    """What a buyer types for a product (folded, as the log keeps it), most common first: its kind without the
    place ("mat ong bac ha"), the generic word of its category ("mat ong", "xoai"), the full name."""
    kind = " ".join(query_words(name.replace(place, " "))) or " ".join(query_words(name))
    generic = GENERIC.get(category, "")
    if category == "trai-cay" and kind.split()[0] not in ("hat", "long"):  # "xoai", "cam", not "hat"
        generic = kind.split()[0]
    texts = (kind, " ".join(query_words(generic)), " ".join(query_words(name)))
    return tuple(dict.fromkeys(t for t in texts if t))


def _popularity(key: str, price: int) -> float:
    """Cheaper products sell more often; each product also has its own, fixed appeal."""
    appeal = random.Random(f"popularity:{key}").uniform(0.5, 1.5)
    return appeal * min(2.5, max(0.4, (150_000 / price) ** 0.4))


def offers_for(plans: Sequence[ProducerPlan]) -> list[ProductOffer]:
    """The demo's goods as the plan knows them (tours and homestays are not part of the history)."""
    shops = dict(Shop.objects.values_list("producer__owner__phone", "pk"))
    variants: dict[int, list[Variant]] = {}
    for variant in (
        Variant.objects.select_related("product", "shop")
        .filter(shop_id__in=shops.values(), is_active=True, product__kind=Product.Kind.GOODS)
        .order_by("pk")
    ):
        variants.setdefault(variant.product_id, []).append(variant)
    by_sku = {(v.shop_id, v.sku): v for vs in variants.values() for v in vs}
    offers = []
    for plan in plans:
        for product_plan in plan.products:
            first = by_sku.get((shops.get(plan.phone, 0), product_plan.variants[0].sku))
            if first is None or product_plan.category in SERVICE_CATEGORIES:
                continue
            product, shop = first.product, first.shop
            key = f"{plan.phone}/{first.sku}"
            offers.append(
                ProductOffer(
                    key=key,
                    product_id=product.pk,
                    shop_id=shop.pk,
                    name=product.name,
                    category=product_plan.category,
                    season_mask=product.season_mask,
                    origin_province=shop.province_id,
                    origin_commune=shop.commune_id,
                    popularity=_popularity(key, first.price),
                    variants=tuple(VariantOffer(v.pk, v.name, v.price, v.weight_grams) for v in variants[product.pk]),
                    searches=_search_texts(product.name, plan.source.place, product_plan.category),
                )
            )
    return offers


def world_today(today: datetime.date) -> World:
    """Provinces with their communes and the hub's post offices, the active rate table, remote communes."""
    communes: dict[int, list[int]] = {}
    for province, code in Commune.objects.order_by("code").values_list("province_id", "code"):
        communes.setdefault(province, []).append(code)
    points: dict[int, list[tuple[int, int]]] = {}
    for pk, province, commune in (
        PickupPoint.objects.filter(is_active=True, kind=PickupPoint.Kind.POST_OFFICE)
        .order_by("pk")
        .values_list("pk", "address__province_id", "address__commune_id")
    ):
        points.setdefault(province, []).append((pk, commune))
    places = {
        p.code: Place(p.code, p.in_region, tuple(communes[p.code]), tuple(points.get(p.code, ())))
        for p in Province.objects.all()
        if communes.get(p.code)
    }
    remote = frozenset(RemoteCommune.objects.values_list("commune_code", flat=True))
    return World(today=today, places=places, table=active_table(), remote_communes=remote)


def _backdate(model: type[Model], rows: Sequence[Model], when: Iterable[datetime.datetime]) -> None:
    """auto_now_add stamped the rows with now: put their real moment back (one prepared UPDATE, many rows;
    bulk_update's CASE expressions took a minute for the full history)."""
    table = connection.ops.quote_name(model._meta.db_table)
    params = [
        (connection.ops.adapt_datetimefield_value(moment), row.pk) for row, moment in zip(rows, when, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET created_at = %s WHERE id = %s", params)


def _insert(rows: Sequence[Model]) -> None:
    """INSERT rows whose ids nobody needs, values as given (created_at included): a prepared statement run
    for every row, without bulk_create's per-value SQL compilation (half the load time of the history)."""
    if not rows:
        return
    meta = rows[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    params = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})", params
        )


def _addresses(batch: Sequence[PlannedOrder], known: dict[int, int]) -> None:
    """One address per buyer who had a parcel delivered home, created the first time it is needed."""
    new = {o.buyer.number: o.buyer for o in batch if o.pickup_point is None and o.buyer.number not in known}
    rows = Address.objects.bulk_create(
        Address(province_id=b.province, commune_id=b.commune, street=b.street) for b in new.values()
    )
    known.update(zip(new, (row.pk for row in rows), strict=True))


def _write_orders(batch: Sequence[PlannedOrder], addresses: dict[int, int], sold: Counter[int]) -> None:
    _addresses(batch, addresses)
    orders = Order.objects.bulk_create(
        Order(
            code=o.code,
            contact_name=o.buyer.name,
            contact_phone=o.buyer.phone,
            delivery_address_id=None if o.pickup_point else addresses[o.buyer.number],
            pickup_point_id=o.pickup_point,
            payment_method=o.payment_method,
            idempotency_scope=SCOPE,
            idempotency_key=o.key,
        )
        for o in batch
    )
    _backdate(Order, orders, (o.created_at for o in batch))
    shop_orders = ShopOrder.objects.bulk_create(
        ShopOrder(
            order=order,
            shop_id=o.shop_id,
            code=o.shop_code,
            status=o.status,
            items_total=o.items_total,
            shipping_fee=o.shipping.total,
            shipping_carrier=HubNetwork.code,
            shipping_service=SERVICE,
            shipping_service_name=SERVICE_NAME,
            shipping_cod_fee=o.shipping.cod_fee,
            shipping_eta_days_min=o.shipping.eta_days_min,
            shipping_eta_days_max=o.shipping.eta_days_max,
            total=o.items_total + o.shipping.total,
            arrived_at_pickup=o.arrived_at_pickup,
        )
        for order, o in zip(orders, batch, strict=True)
    )
    _backdate(ShopOrder, shop_orders, (o.created_at for o in batch))
    _insert(
        [
            OrderLine(
                shop_order=shop_order,
                shop_id=o.shop_id,
                variant_id=line.variant_id,
                product_name=line.product_name,
                variant_name=line.variant_name,
                unit_price=line.unit_price,
                quantity=line.quantity,
                line_total=line.unit_price * line.quantity,
            )
            for shop_order, o in zip(shop_orders, batch, strict=True)
            for line in o.lines
        ]
    )
    _insert(
        [
            AuditEntry(
                created_at=o.delivered_at,
                action=DELIVERED,
                target_type="orders.shoporder",
                target_id=str(shop_order.pk),
                detail={"from": Status.SHIPPED, "note": "", "source": SCOPE},
            )
            for shop_order, o in zip(shop_orders, batch, strict=True)
            if o.delivered_at is not None
        ]
    )
    for o in batch:
        if o.status in SOLD:
            for line in o.lines:
                sold[line.product_id] += line.quantity


def _fresh(orders: Iterator[PlannedOrder]) -> Iterator[PlannedOrder]:
    """Skip an order whose derived code some order already has (about one chance in ten million per order)."""
    taken = set(Order.objects.values_list("code", flat=True)) | set(ShopOrder.objects.values_list("code", flat=True))
    for order in orders:
        if order.code not in taken and order.shop_code not in taken:
            taken.update((order.code, order.shop_code))
            yield order


def _order_visits(batch: Sequence[PlannedOrder], visits: dict[tuple[str, datetime.date], list[OrderVisit]]) -> None:
    """Each order's visit under its product and week (an order's key is "<product key>:<Monday>:<n>"), so the
    searches of that product and week can be the ones that led to it."""
    for o in batch:
        product, monday, _n = o.key.rsplit(":", 2)
        visits.setdefault((product, datetime.date.fromisoformat(monday)), []).append(
            OrderVisit(o.key, o.buyer.province, o.created_at)
        )


def _result_count(query: str) -> int:
    """How many products the search finds for the query today. Asked of the database's own engine: it is
    indexed as products are saved, while the tantivy index is rewritten later by the job runner."""
    plan = plan_query(query.split(), synonyms=synonym_table())
    return 0 if plan.impossible else sql_backend().ranked(plan, FilterSpec(), limit=1, offset=0)[1]


def _write_searches(searches: Iterator[PlannedSearch], product_ids: Iterable[int]) -> int:
    reindex_products(product_ids)  # a no-op when each product's save was indexed on commit, as in `taybac demo`
    backend = get_backend().name
    folded: dict[str, str] = {}
    counts: dict[str, int] = {}
    written = 0
    for batch in _chunks(searches):
        for search in batch:
            if search.query not in folded:  # the real search, once per distinct query
                folded[search.query] = query = " ".join(query_words(search.query))
                counts[query] = _result_count(query)
        _insert(
            [
                SearchQueryLog(
                    query=folded[s.query],
                    filters={} if s.sort == "relevance" else {"sort": s.sort},
                    result_count=counts[folded[s.query]],
                    page=1,
                    backend=backend,
                    duration_ms=s.duration_ms,
                    buyer_province_id=s.buyer_province,
                    visit=s.visit,
                    led_to_order=s.led_to_order,
                    created_at=s.created_at,
                )
                for s in batch
            ]
        )
        written += len(batch)
    return written


def ensure_demo_history(plans: Sequence[ProducerPlan], created: Counter, *, today: datetime.date | None = None) -> None:
    """Write the history once (nothing if any history order exists), in one transaction."""
    weeks = configured_weeks()
    if not weeks or Order.objects.filter(idempotency_scope=SCOPE).exists():
        return
    today = today or timezone.localdate()
    offers = offers_for(plans)
    world = world_today(today)
    mondays = history_weeks(today=today, weeks=weeks)
    sold: Counter[int] = Counter()
    addresses: dict[int, int] = {}
    orders = 0
    with transaction.atomic():
        visits: dict[tuple[str, datetime.date], list[OrderVisit]] = {}
        for batch in _chunks(_fresh(plan_orders(offers=offers, world=world, weeks=mondays))):
            _write_orders(batch, addresses, sold)
            _order_visits(batch, visits)
            orders += len(batch)
        searches = _write_searches(
            plan_searches(offers=offers, today=today, weeks=mondays, orders=visits, provinces=list(world.places)),
            (o.product_id for o in offers),
        )
        record_sales(units=sold.items())
        audit.record(
            actor=None,
            action=LOADED,
            detail={"weeks": weeks, "from": mondays[0].isoformat(), "orders": orders, "searches": searches},
        )
    created["history_orders"] += orders
    created["history_searches"] += searches


def history_lines() -> list[str]:
    """The summary's line about the synthetic history (empty when none is loaded)."""
    history = Order.objects.filter(idempotency_scope=SCOPE)
    span = history.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return []
    first, last = (timezone.localtime(span[k]).strftime("%d/%m/%Y") for k in ("first", "last"))
    loaded = AuditEntry.objects.filter(action=LOADED).order_by("-id").values_list("detail", flat=True).first()
    return [
        f"  Lịch sử mẫu (synthetic history): {history.count()} đơn hàng (orders) và "
        f"{(loaded or {}).get('searches', 0)} lượt tìm kiếm (searches) từ {first} đến {last} — "
        "khách mẫu, không phải người mua thật"
    ]
