"""One "on sale" rule (catalog.models.VariantQuerySet and Variant.sale_problem): the same answer in SQL and
in Python, the guarded stock updates stay single-table UPDATEs, and a closed shop's variant cannot be bought.
Checkout takes a pickup point's code and resolves it itself."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taybac.catalog.models import Product, Shop, Variant
from taybac.orders.checkout import CheckoutError, Contact, LineRequest, UnknownPickupPoint, place_order
from taybac.orders.models import Order
from taybac.orders.quote import quote_cart
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LAN = Contact("Trần Thị Lan", "0912345678")


def _variant(
    name: str,
    *,
    quantity: int = 5,
    allocated: int = 0,
    quota: int = 0,
    preorder: bool = False,
    harvest: datetime.date | None = None,
    variant_active: bool = True,
    product_active: bool = True,
    shop_active: bool = True,
) -> Variant:
    shop = make_shop(name=f"Hộ {name}")
    product = make_product(shop=shop, name=name, quantity=quantity)
    Product.objects.filter(pk=product.pk).update(
        is_active=product_active, preorder_allowed=preorder, next_harvest=harvest
    )
    Shop.objects.filter(pk=shop.pk).update(is_active=shop_active)
    variant = product.variants.get()
    Variant.objects.filter(pk=variant.pk).update(allocated=allocated, harvest_quota=quota, is_active=variant_active)
    return variant


@pytest.fixture
def states() -> dict[str, Variant]:
    later, earlier = TODAY + datetime.timedelta(days=30), TODAY - datetime.timedelta(days=1)
    return {
        "in_stock": _variant("Mật ong"),
        "two_left": _variant("Chè", quantity=5, allocated=3),
        "sold_out": _variant("Gạo", quantity=2, allocated=2),
        "preorder": _variant("Mận", quantity=0, quota=4, preorder=True, harvest=later),
        "harvest_past": _variant("Lê", quantity=0, quota=4, preorder=True, harvest=earlier),
        "preorder_off": _variant("Đào", quantity=0, quota=4, preorder=False, harvest=later),
        "variant_off": _variant("Măng", variant_active=False),
        "product_off": _variant("Nấm", product_active=False),
        "shop_closed": _variant("Thảo quả", shop_active=False),
        "closed_preorder": _variant("Táo", quantity=0, quota=4, preorder=True, harvest=later, shop_active=False),
    }


@pytest.mark.parametrize("quantity", [1, 2, 3, 5])
def test_sql_and_python_say_the_same(states, quantity):
    loaded = list(Variant.objects.filter(pk__in=[v.pk for v in states.values()]).select_related("product", "shop"))
    sellable = {v.pk for v in loaded if v.sale_problem(quantity, TODAY) in (None, "preorder")}
    offered = {v.pk for v in loaded if v.sale_problem(quantity, TODAY) != "not_on_sale"}
    assert set(Variant.objects.on_sale(quantity, today=TODAY).values_list("pk", flat=True)) == sellable
    assert set(Variant.objects.offered().values_list("pk", flat=True)) == offered
    assert set(Variant.objects.offered().in_stock(quantity).values_list("pk", flat=True)) == {
        v.pk for v in loaded if v.sale_problem(quantity, TODAY) is None
    }


def test_the_rule_itself(states):
    problem = {
        name: Variant.objects.select_related("product", "shop").get(pk=v.pk).sale_problem(3, TODAY)
        for name, v in states.items()
    }
    assert problem == {
        "in_stock": None,
        "two_left": "out_of_stock",
        "sold_out": "out_of_stock",
        "preorder": "preorder",
        "harvest_past": "out_of_stock",
        "preorder_off": "out_of_stock",
        "variant_off": "not_on_sale",
        "product_off": "not_on_sale",
        "shop_closed": "not_on_sale",
        "closed_preorder": "not_on_sale",
    }


@pytest.fixture
def address():
    return create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")


@pytest.mark.parametrize("name", ["shop_closed", "closed_preorder", "product_off", "variant_off"])
def test_a_variant_not_on_sale_cannot_be_bought(states, address, name):
    variant = states[name]
    with pytest.raises(CheckoutError, match="không còn bán"):
        place_order(
            buyer=None, lines=[LineRequest(variant.pk, 1)], contact=LAN, payment_method="cod", delivery_address=address
        )
    variant.refresh_from_db()
    assert (variant.allocated, variant.harvest_allocated, Order.objects.count()) == (0, 0, 0)


def test_stock_guards_are_single_table_updates(states, address):
    """A joined UPDATE becomes `WHERE id IN (SELECT …)`, where PostgreSQL checks the guard against a stale
    snapshot; the guard must sit in the UPDATE's own WHERE, on the row it locks."""
    with CaptureQueriesContext(connection) as ctx:
        place_order(
            buyer=None,
            lines=[LineRequest(states["in_stock"].pk, 1), LineRequest(states["preorder"].pk, 2)],
            contact=LAN,
            payment_method="cod",
            delivery_address=address,
        )
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "catalog_variant"')]
    assert len(updates) == 3  # stock for the first; stock refused, then the harvest quota, for the second
    for sql in updates:
        where = sql.split(" WHERE ", 1)[1]
        assert "IN (SELECT" not in where and ('"allocated"' in where or '"harvest_allocated"' in where), sql
    preorder = Variant.objects.get(pk=states["preorder"].pk)
    assert (preorder.allocated, preorder.harvest_allocated) == (0, 2)


def _point(code: str, *, active: bool = True) -> PickupPoint:
    return PickupPoint.objects.create(
        code=code,
        name=f"Bưu điện {code}",
        is_active=active,
        address=create_address(province_code=1, commune_code=70, street="1 Hàng Bạc"),
    )


def test_checkout_resolves_the_pickup_point_code(states):
    point = _point("BD-70")
    order = place_order(
        buyer=None,
        lines=[LineRequest(states["in_stock"].pk, 1)],
        contact=LAN,
        payment_method="cod",
        pickup_point="BD-70",
    )
    assert order.pickup_point == point and order.delivery_address is None
    assert order.shop_orders.get().shipping_fee > 0  # priced to the post office's province


@pytest.mark.parametrize("code", ["BD-NONE", "BD-CLOSED"])
def test_an_unknown_or_closed_pickup_point_is_not_found(states, code):
    _point("BD-CLOSED", active=False)
    with pytest.raises(UnknownPickupPoint) as refused:
        place_order(
            buyer=None,
            lines=[LineRequest(states["in_stock"].pk, 1)],
            contact=LAN,
            payment_method="cod",
            pickup_point=code,
            idempotency_key="k",
        )
    assert refused.value.code == "not_found" and code in refused.value.message
    assert Variant.objects.get(pk=states["in_stock"].pk).allocated == 0 and not Order.objects.exists()


@pytest.mark.parametrize("code", ["w:\u00f0\u0000\u00c7il", "BD-" + "X" * 40, "", "BD\n1"])
def test_a_code_no_pickup_point_can_have_is_refused_before_any_query(states, code):
    """A NUL byte would make PostgreSQL fail the query (a 500); the code is not echoed back."""
    with pytest.raises(UnknownPickupPoint) as refused:
        quote_cart(lines=[LineRequest(states["in_stock"].pk, 1)], pickup_point=code)
    assert refused.value.field == "pickup_point"
    assert refused.value.message == "Mã điểm nhận hàng không hợp lệ. Vui lòng chọn điểm khác."
