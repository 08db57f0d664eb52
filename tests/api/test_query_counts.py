"""The number of SQL queries of every operation in /api/v1/openapi.json, pinned exactly (docs/api.md, *Testing*).

PINS maps each OpenAPI operation id to its count and a successful request; a test checks that PINS names every
operation of the document and no other, so a new endpoint cannot ship without a pin. Each operation is called
twice with fresh data (a new idempotency key, transaction id, event id, product name) and the second call is
measured: process-wide caches (content types, the province list) are then warm whatever order the tests run
in, and what is pinned is the cost of every later request. Writes count their savepoints (the test runs inside
a transaction, so each `atomic` block is a SAVEPOINT and a RELEASE). What runs after the commit is not counted
here but where it lives: the search index's catalogue hooks (tests/search/test_indexing.py) and the outbox's
delivery jobs (the job runner's own work). Today every count is the same on SQLite and PostgreSQL; one that
differs must say so with `+ (connection.vendor == "postgresql")` and why.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from taybac.traceability.epcis import build
from taybac.traceability.services import record_harvest
from tests.api import event_pins
from tests.api.conftest import Catalog
from tests.factories import make_product, make_shop
from tests.reviews import pins as review_pins
from tests.web.orders.test_query_counts import PER_SHOP_QUOTE


@pytest.fixture
def world(catalog: Catalog, make_capture_key, settings) -> SimpleNamespace:
    """The API conftest's catalogue, a harvested lot of honey, a seller session, a partner key, an order."""
    settings.TAYBAC_SEPAY_API_KEY = "s3cret"
    owner = catalog.honey_shop.producer.owner
    honey = catalog.honey.variants.order_by("id").first()
    lot = record_harvest(
        actor=owner, variant=honey, harvested_on=datetime.date.today(), quantity=40, unit="kg", code="250901-1"
    )
    seller = Client()
    seller.force_login(owner)
    world = SimpleNamespace(
        catalog=catalog,
        honey=honey,
        tea=catalog.tea.variants.get(),
        lot=lot,
        seller=seller,
        client=Client(),
        capture_key=make_capture_key(),
        orders=[],
    )
    for n in range(2):
        world.orders.append(checkout(world, n).json())
    return world


def post_json(client: Client, url: str, body: object, **headers: str) -> HttpResponse:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def cart(world: SimpleNamespace) -> list[dict[str, int]]:
    return [{"variant_id": world.honey.pk, "quantity": 1}, {"variant_id": world.tea.pk, "quantity": 1}]


def checkout(world: SimpleNamespace, n: int) -> HttpResponse:
    """A VietQR order from two shops, to a delivery address."""
    return post_json(
        world.client,
        "/api/v1/checkout",
        {
            "lines": cart(world),
            "contact": {"name": "Trần Thị Lan", "phone": "0912 345 678"},
            "delivery_address": {"province_code": 1, "commune_code": 70, "street": "12 Hàng Bạc"},
            "payment_method": "vietqr",
        },
        HTTP_IDEMPOTENCY_KEY=f"query-count-{n}",
    )


def notify(world: SimpleNamespace, n: int) -> HttpResponse:
    """SePay reports the exact transfer for one of the world's shop orders: it is confirmed and credited."""
    shop_order = world.orders[n]["shop_orders"][0]
    body = {
        "id": 9000 + n,
        "gateway": "MBBank",
        "transactionDate": "2026-11-24 14:02:37",
        "accountNumber": "0011001932418",
        "subAccount": None,
        "code": None,
        "content": f"{shop_order['code']} chuyen tien",
        "transferType": "in",
        "description": "BankAPINotify",
        "transferAmount": shop_order["total"],
        "referenceCode": f"MBVCB.{n}",
        "accumulated": 0,
    }
    return post_json(world.client, "/api/v1/payments/notifications/sepay", body, HTTP_AUTHORIZATION="Apikey s3cret")


def capture(world: SimpleNamespace, n: int) -> HttpResponse:
    """A partner's receiving event for the world's lot (linked to it, so the lot's trace page shows it)."""
    event = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:00000000-0000-4000-8000-00000000000{n}",
        "eventTime": "2025-09-01T07:30:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "disposition": "in_progress",
        "quantityList": [{"epcClass": build.lot_class(world.honey.gtin, world.lot.code), "quantity": 40, "uom": "KGM"}],
    }
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-09-01T08:00:00+07:00",
        "epcisBody": {"eventList": [event]},
    }
    return world.client.post(
        "/api/v1/epcis/capture",
        json.dumps(document),
        content_type="application/ld+json",
        headers={"Authorization": f"Bearer {world.capture_key}"},
    )


def create_product(world: SimpleNamespace, n: int) -> HttpResponse:
    return post_json(
        world.seller,
        f"/api/v1/seller/shops/{world.catalog.honey_shop.slug}/products",
        {
            "name": f"Mật ong hoa rừng {n}",
            "category": "mat-ong",
            "price": 300_000,
            "quantity": 5,
            "weight_grams": 500,
            "season_months": [4, 5],
        },
    )


def update_variant(world: SimpleNamespace, n: int) -> HttpResponse:
    return world.seller.patch(
        f"/api/v1/seller/variants/{world.honey.pk}",
        json.dumps({"quantity": 30 + n, "price": 360_000 + n}),
        content_type="application/json",
    )


@dataclass(frozen=True)
class Pin:
    queries: int
    call: Callable[[SimpleNamespace, int], HttpResponse]
    status: int = 200


PINS: dict[str, Pin] = {
    # --- public reads: a page costs the same whatever its size (a count, the page, one query per relation) ---
    "list_provinces": Pin(3, lambda w, n: w.client.get("/api/v1/regions/provinces", {"in_region": "true"})),
    "lookup_province": Pin(3, lambda w, n: w.client.get("/api/v1/regions/provinces/lookup", {"name": "yen bai"})),
    "get_province": Pin(2, lambda w, n: w.client.get("/api/v1/regions/provinces/8")),
    "list_communes": Pin(3, lambda w, n: w.client.get("/api/v1/regions/provinces/15/communes", {"q": "sa pa"})),
    "list_shops": Pin(2, lambda w, n: w.client.get("/api/v1/shops")),
    "get_shop": Pin(1, lambda w, n: w.client.get(f"/api/v1/shops/{w.catalog.honey_shop.slug}")),
    "list_products": Pin(4, lambda w, n: w.client.get("/api/v1/products")),
    "get_product": Pin(3, lambda w, n: w.client.get(f"/api/v1/products/{w.catalog.honey.pk}")),
    # the ranked ids, the cards (products, photos, variants), the query log row
    "search_products": Pin(5, lambda w, n: w.client.get("/api/v1/search", {"q": "mat ong"})),
    "suggest": Pin(1, lambda w, n: w.client.get("/api/v1/search/suggest", {"q": "mat o"})),
    # the order (by code and phone), its shop orders, their lines
    "get_order": Pin(3, lambda w, n: w.client.get(f"/api/v1/orders/{w.orders[n]['code']}", {"phone": "0912345678"})),
    "epcis_query_events": Pin(1, lambda w, n: w.client.get("/api/v1/epcis/events", {"EQ_bizStep": "commissioning"})),
    # the commune with its province, every variant of the cart at once, then each of the two shop orders priced
    # on the hub's network (PER_SHOP_QUOTE each: tests/web/orders/test_query_counts.py)
    "quote_cart": Pin(
        2 + 2 * PER_SHOP_QUOTE,
        lambda w, n: post_json(
            w.client, "/api/v1/cart/quote", {"lines": cart(w), "province_code": 1, "commune_code": 70}
        ),
    ),
    # --- writes: two shops, two lines ---
    # 23 before shipping options + the replay look-up made before asking any carrier + the destination commune
    # + two shop orders priced on the hub's network
    "checkout": Pin(23 + 2 + 2 * PER_SHOP_QUOTE, lambda w, n: checkout(w, 10 + n), status=201),
    # 16 + the household seller's tax withheld at the sale (payments.withholding): its producer, the once-check,
    # the lines with their kinds, the withholding row and the TAX ledger entry
    "payment_notification": Pin(16 + 5, notify),
    "epcis_capture": Pin(22, capture, status=201),
    # --- the seller's own shop, signed in (the session and the user come first) ---
    "seller_list_producers": Pin(3, lambda w, n: w.seller.get("/api/v1/seller/producers")),
    "seller_update_variant": Pin(11, update_variant),
    "seller_create_product": Pin(21, create_product, status=201),
    # --- reviews: the product, count, page, photos, star distribution; writing: session, user, the line with its
    # review, its delivery time, the review, the rating, the audit entry (+2 savepoint), the new review's photos ---
    "list_product_reviews": Pin(5, review_pins.list_reviews),
    "create_review": Pin(10, review_pins.create_review, status=201),
    # --- selling events: one window, one session with two products, one fair with one approved booth ---
    # closing expired windows (one UPDATE, run on every read), the count, the page with shop, variant and product
    "list_sales_windows": Pin(3, event_pins.list_sales_windows),
    # closing expired windows, the window with shop, variant and product
    "get_sales_window": Pin(2, event_pins.get_sales_window),
    # the count, the page with the shop, the products of all its sessions with variant, product and shop
    "list_live_sessions": Pin(3, event_pins.list_live_sessions),
    # the session with the shop, its products with variant, product and shop
    "get_live_session": Pin(2, event_pins.get_live_session),
    # the count, the page, then for all its fairs at once: their provinces, approved booths (with shop and
    # province) and those booths' products on sale (campaigns/fair_selectors.py, public_fairs_with_booths)
    "list_fairs": Pin(5, event_pins.list_fairs),
    # --- the buyer assistant: a product question continuing a conversation (the count depends on the text: a
    # name not found at once is searched again word run by word run, grounding.find_products) ---
    # savepoint; yesterday's rate rows deleted, the minute's and the day's messages of the client network; the
    # conversation; the rate row; the search (ranked ids, cards, their photos); the named product's detail
    # (product, variants, photos); the conversation saved, the buyer's and the reply's messages, the history
    # past what is kept (nothing to delete); release
    "assistant_message": Pin(17, event_pins.assistant_message),
}


def test_every_operation_of_the_openapi_document_is_pinned(client):
    document = client.get("/api/v1/openapi.json").json()
    operations = {operation["operationId"] for path in document["paths"].values() for operation in path.values()}
    assert set(PINS) == operations


def listed(response: HttpResponse) -> list[object] | None:
    """The items of a list answer (EPCIS: the events), or None for an answer that is not a list."""
    body = response.json()
    if isinstance(body, list):
        return body
    if "items" in body:
        return body["items"]
    return body.get("epcisBody", {}).get("queryResults", {}).get("resultsBody", {}).get("eventList")


@pytest.mark.parametrize("operation_id", PINS)
def test_query_count(world, operation_id, django_assert_num_queries):
    pin = PINS[operation_id]
    warm = pin.call(world, 0)
    assert warm.status_code == pin.status, warm.content
    with django_assert_num_queries(pin.queries):
        response = pin.call(world, 1)
    assert response.status_code == pin.status, response.content
    assert listed(response) != [], "a list pinned empty would not count the queries of its items"


def test_checkout_and_quote_grow_only_by_their_rows_and_pricing(db):
    """More shops and lines cost checkout one guarded stock UPDATE per line and three inserts per shop order (the
    shop order, its lines in one bulk insert, its audit entry), and both the quote and checkout one pricing per
    shop order on the hub's network (PER_SHOP_QUOTE); everything else read is a fixed
    number of queries."""

    def cost(shops: int, per_shop: int, key: str) -> tuple[int, int]:
        lines = [
            {
                "variant_id": make_product(shop=shop, name=f"Mật ong {i}", price=100_000 + i).variants.get().pk,
                "quantity": 1,
            }
            for s in range(shops)
            for shop in [make_shop(name=f"Hộ số {s} {key}")]
            for i in range(per_shop)
        ]
        client = Client()
        with CaptureQueriesContext(connection) as quote:
            where = {"province_code": 1, "commune_code": 70}
            assert post_json(client, "/api/v1/cart/quote", {"lines": lines, **where}).status_code == 200
        body = {
            "lines": lines,
            "contact": {"name": "Lan", "phone": "0912345678"},
            "payment_method": "vietqr",
            "delivery_address": {"province_code": 1, "commune_code": 70, "street": "12 Hàng Bạc"},
        }
        with CaptureQueriesContext(connection) as placed:
            response = post_json(client, "/api/v1/checkout", body, HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 201, response.content
        return len(quote.captured_queries), len(placed.captured_queries)

    cost(1, 1, "warm-up")
    (quote_small, checkout_small), (quote_large, checkout_large) = cost(1, 1, "small"), cost(3, 3, "large")
    # pricing on the hub's network reads its rate table per shop order (logistics/carriers/hub.py)
    assert quote_large - quote_small == 2 * PER_SHOP_QUOTE
    assert checkout_large - checkout_small == 8 * 1 + 2 * 3 + 2 * PER_SHOP_QUOTE
