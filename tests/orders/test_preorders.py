"""Pre-orders for an upcoming harvest draw on the producer's harvest quota, not on current stock."""

import datetime

import pytest

from taybac.catalog.models import Variant
from taybac.catalog.services import CatalogError, set_harvest_quota
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from taybac.orders.stock import OutOfStock
from taybac.regions.services import create_address
from tests.factories import make_product


@pytest.fixture
def plums(db):
    product = make_product(
        name="Mận hậu Mộc Châu",
        category_slug="trai-cay",
        quantity=0,
        preorder_allowed=True,
        next_harvest=datetime.date.today() + datetime.timedelta(days=60),
    )
    variant = product.variants.get()
    return set_harvest_quota(actor=product.shop.producer.owner, variant=variant, quota=5)


def buy(variant, quantity, method="cod"):
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    return place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, quantity)],
        contact=Contact("Lan", "0912345678"),
        payment_method=method,
        delivery_address=address,
    ).shop_orders.get()


def test_preorder_draws_on_quota_and_never_beyond(plums):
    shop_order = buy(plums, 3)
    line = shop_order.lines.get()
    plums.refresh_from_db()
    assert line.preorder and (plums.harvest_allocated, plums.allocated) == (3, 0)
    with pytest.raises(OutOfStock):
        buy(plums, 3)
    buy(plums, 2)
    plums.refresh_from_db()
    assert plums.preorder_available == 0


def test_stock_is_used_first_and_cancel_returns_to_the_right_pool(plums):
    Variant.objects.filter(pk=plums.pk).update(quantity=1)
    from_stock = buy(plums, 1)
    preorder = buy(plums, 2)
    assert not from_stock.lines.get().preorder and preorder.lines.get().preorder
    advance(shop_order=preorder, to=Status.CANCELLED, actor=None)
    advance(shop_order=from_stock, to=Status.CANCELLED, actor=None)
    plums.refresh_from_db()
    assert (plums.allocated, plums.harvest_allocated) == (0, 0)


def test_shipping_a_preorder_consumes_the_quota_not_the_shelf(plums):
    shop_order = buy(plums, 2)
    for to in (Status.PACKED, Status.SHIPPED):
        advance(shop_order=shop_order, to=to, actor=None)
    plums.refresh_from_db()
    assert (plums.quantity, plums.harvest_quota, plums.harvest_allocated) == (0, 3, 0)


def test_no_preorders_once_the_harvest_date_has_passed(plums):
    plums.product.next_harvest = datetime.date.today()
    plums.product.save()
    with pytest.raises(OutOfStock):
        buy(plums, 1)


def test_quota_cannot_drop_below_what_was_sold(plums):
    buy(plums, 4)
    with pytest.raises(CatalogError, match="4"):
        set_harvest_quota(actor=plums.shop.producer.owner, variant=plums, quota=3)
