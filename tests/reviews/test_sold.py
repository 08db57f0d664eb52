""" "Đã bán": units join the product's sold count when a shop order is delivered, by the seller or at the post
office, in the delivery's transaction; the migration counts orders delivered before."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from taybac.catalog.models import Product
from taybac.catalog.stats import change_rating, record_sales
from taybac.core.errors import DomainError
from taybac.fulfilment.pickup import hand_over_at_pickup_point, receive_at_pickup_point
from taybac.fulfilment.services import FulfilmentError, deliver_shop_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from tests.factories import make_product, make_user
from tests.fulfilment.parcels import make_point, shipped_order
from tests.reviews.purchases import deliver, placed


def sold(product_id: int) -> int:
    return Product.objects.get(pk=product_id).sold_count


def test_delivery_by_the_seller_adds_the_units(db):
    shop_order = placed(None, quantity=3)
    product_id = shop_order.lines.get().variant.product_id
    assert sold(product_id) == 0
    deliver(shop_order)
    assert sold(product_id) == 3


def test_hand_over_at_the_post_office_adds_the_units_once(db):
    clerk = make_user()
    point = make_point(staff=[clerk])
    shop_order = shipped_order(point, payment_method="cod", quantity=2)
    product_id = shop_order.lines.get().variant.product_id
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    hand_over_at_pickup_point(actor=clerk, shop_order=shop_order, cash_collected=shop_order.total)
    hand_over_at_pickup_point(actor=clerk, shop_order=shop_order, cash_collected=shop_order.total)  # no change
    assert sold(product_id) == 2


def test_a_refused_delivery_adds_nothing(db):
    shop_order = placed(None, quantity=2)
    owner = shop_order.shop.producer.owner
    advance(shop_order=shop_order, to=Status.PACKED, actor=None)
    advance(shop_order=shop_order, to=Status.SHIPPED, actor=None)
    with pytest.raises(FulfilmentError):
        deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=None)  # cash not entered
    assert sold(shop_order.lines.get().variant.product_id) == 0


def test_record_sales_sums_lines_of_one_product(db):
    product = make_product()
    record_sales(units=[(product.pk, 2), (product.pk, 3)])
    assert sold(product.pk) == 5


def test_change_rating_never_goes_below_zero(db):
    product = make_product()
    change_rating(product_id=product.pk, stars=4, published=False)
    assert (Product.objects.get(pk=product.pk).rating_count, Product.objects.get(pk=product.pk).rating_total) == (0, 0)
    with pytest.raises(DomainError):
        change_rating(product_id=product.pk, stars=6, published=True)


def test_the_backfill_counts_delivered_and_completed_orders_only(db):
    product = make_product(quantity=40)
    delivered, completed, returned, open_ = (placed(None, product=product, quantity=q) for q in (1, 2, 4, 8))
    deliver(delivered)
    deliver(completed)
    advance(shop_order=completed, to=Status.COMPLETED, actor=None)
    deliver(returned)
    advance(shop_order=returned, to=Status.RETURNED, actor=None)
    Product.objects.filter(pk=product.pk).update(sold_count=0)  # as before the hub kept the count
    migration = importlib.import_module("taybac.reviews.migrations.0002_backfill_sold_count")
    migration.backfill(apps, None)
    migration.backfill(apps, None)  # running twice changes nothing
    assert sold(product.pk) == 3
    assert open_.status == Status.CONFIRMED
