"""Shipments as business actions (fulfilment/shipments.py): the seller books (lots, packed, not yet shipped); the
shop's commune post office takes a parcel in ("Nhận gửi"), which ships it with its trace event."""

from __future__ import annotations

import pytest

from taybac.accounts.models import Role
from taybac.accounts.selectors import NotAllowed
from taybac.accounts.services import grant_delegation
from taybac.fulfilment.services import FulfilmentError
from taybac.fulfilment.shipments import (
    book_for_seller,
    cancel_for_seller,
    drop_candidates,
    drop_points,
    record_post_office_drop,
)
from taybac.logistics.models import Shipment, ShipmentStatus
from taybac.orders.models import ShopOrder, Status
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from taybac.traceability.models import OrderLineLot
from tests.factories import make_user
from tests.fulfilment.parcels import harvest_for, make_point, placed_order

pytestmark = pytest.mark.django_db


def _shop_point(shop_order: ShopOrder, *, staff=(), code: str = "BD-SHOP") -> PickupPoint:
    """The post office of the shop's own commune."""
    point = PickupPoint.objects.create(
        code=code,
        name="Bưu điện xã",
        address=create_address(
            province_code=shop_order.shop.province_id, commune_code=shop_order.shop.commune_id, street="Trung tâm xã"
        ),
    )
    point.staff.add(*staff)
    return point


def _events(lot, step: str) -> int:
    return lot.events.filter(biz_step=step).count()


def test_the_seller_books_a_confirmed_order_which_is_packed_with_its_lots_not_shipped():
    shop_order = placed_order(None)
    owner = shop_order.shop.producer.owner
    lot = harvest_for(shop_order)
    line = shop_order.lines.get()
    shipment = book_for_seller(actor=owner, shop_order=shop_order, lots={line.pk: lot.pk})
    shop_order.refresh_from_db()
    assert shop_order.status == Status.PACKED and shipment.status == ShipmentStatus.CREATED
    assert OrderLineLot.objects.get(line=line).lot == lot
    assert book_for_seller(actor=owner, shop_order=shop_order) == shipment  # a double submit
    assert Shipment.objects.count() == 1


def test_a_helper_with_a_delegation_may_book_strangers_may_not():
    shop_order = placed_order(None)
    helper = make_user(role=Role.HELPER)
    with pytest.raises(NotAllowed):
        book_for_seller(actor=helper, shop_order=shop_order)
    grant_delegation(producer=shop_order.shop.producer, delegate=helper, granted_by=shop_order.shop.producer.owner)
    assert book_for_seller(actor=helper, shop_order=shop_order).created_by == helper
    assert not Shipment.objects.exclude(created_by=helper).exists()


def test_booking_refuses_orders_already_on_their_way():
    shop_order = placed_order(None)
    owner = shop_order.shop.producer.owner
    from taybac.fulfilment.services import pack_shop_order, ship_shop_order

    pack_shop_order(actor=owner, shop_order=shop_order)
    ship_shop_order(actor=owner, shop_order=shop_order)
    shop_order.refresh_from_db()
    with pytest.raises(FulfilmentError, match="chỉ tạo vận đơn"):
        book_for_seller(actor=owner, shop_order=shop_order)


def test_cancel_keeps_the_order_packed():
    shop_order = placed_order(None)
    owner = shop_order.shop.producer.owner
    shipment = book_for_seller(actor=owner, shop_order=shop_order)
    with pytest.raises(NotAllowed):
        cancel_for_seller(actor=make_user(), shipment=shipment)
    assert cancel_for_seller(actor=owner, shipment=shipment).status == ShipmentStatus.CANCELLED
    shop_order.refresh_from_db()
    assert shop_order.status == Status.PACKED


def test_the_commune_post_office_takes_the_parcel_in_and_ships_it():
    shop_order = placed_order(None, payment_method="cod")
    staff = make_user()
    point = _shop_point(shop_order, staff=[staff])
    lot = harvest_for(shop_order)
    owner = shop_order.shop.producer.owner
    from taybac.traceability.order_lots import assign_lots

    assign_lots(actor=owner, shop_order=shop_order, lots={shop_order.lines.get().pk: lot.pk})
    assert list(drop_candidates(points=[point])) == [shop_order]
    shipment = record_post_office_drop(actor=staff, shop_order=shop_order, point=point)
    shop_order.refresh_from_db()
    assert shop_order.status == Status.SHIPPED
    assert (shipment.via, shipment.origin_point, shipment.status) == ("post_office", point, ShipmentStatus.PICKED_UP)
    assert list(shipment.events.values_list("status", flat=True)) == ["created", "picked_up"]
    assert _events(lot, "shipping") == 1  # the lots' shipping event, once
    again = record_post_office_drop(actor=staff, shop_order=shop_order, point=point)  # a double tap
    assert again == shipment and shipment.events.count() == 2 and _events(lot, "shipping") == 1
    assert list(drop_candidates(points=[point])) == []


def test_a_parcel_the_seller_booked_is_taken_in_on_that_booking():
    shop_order = placed_order(None)
    staff = make_user()
    point = _shop_point(shop_order, staff=[staff])
    booked = book_for_seller(actor=shop_order.shop.producer.owner, shop_order=shop_order)
    assert list(drop_candidates(points=[point])) == [shop_order]  # booked, not yet handed in
    shipment = record_post_office_drop(actor=staff, shop_order=shop_order, point=point)
    assert shipment.pk == booked.pk and shipment.origin_point == point and Shipment.objects.count() == 1
    shop_order.refresh_from_db()
    assert shop_order.status == Status.SHIPPED


def test_only_staff_of_the_shop_s_commune_post_office_take_parcels_in():
    shop_order = placed_order(None)
    elsewhere_staff = make_user()
    elsewhere = make_point(staff=[elsewhere_staff])  # Hà Nội, not the shop's commune
    assert drop_points(actor=elsewhere_staff, shop_order=shop_order) == []
    with pytest.raises(NotAllowed):
        record_post_office_drop(actor=elsewhere_staff, shop_order=shop_order, point=elsewhere)
    point = _shop_point(shop_order)
    with pytest.raises(NotAllowed):  # the right post office, but not its staff
        record_post_office_drop(actor=elsewhere_staff, shop_order=shop_order, point=point)
    assert not Shipment.objects.exists()
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED


def test_parcels_for_other_carriers_are_not_taken_in():
    shop_order = placed_order(None)
    shop_order.shipping_carrier, shop_order.shipping_service = "ghtk", "road"
    shop_order.save(update_fields=["shipping_carrier", "shipping_service"])
    staff = make_user()
    point = _shop_point(shop_order, staff=[staff])
    assert list(drop_candidates(points=[point])) == []
    with pytest.raises(FulfilmentError, match="GHTK"):
        record_post_office_drop(actor=staff, shop_order=shop_order, point=point)
    assert not Shipment.objects.exists()
