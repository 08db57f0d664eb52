"""Booking and cancelling shipments (logistics/shipments.py): the hub network for real, GHTK through its documented
answers (fake transport only), carrier errors storing nothing, double submits booking one parcel."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from taybac.accounts.selectors import NotAllowed
from taybac.logistics.carriers.base import CarrierError
from taybac.logistics.carriers.ghtk import GHTK
from taybac.logistics.carriers.http import Response
from taybac.logistics.carriers.hub import HubNetwork
from taybac.logistics.models import Shipment, ShipmentEvent, ShipmentStatus
from taybac.logistics.shipments import (
    MAX_BOOKINGS,
    ShipmentError,
    book_shipment,
    cancel_shipment,
    live_shipment,
    parcel_for,
    request_for,
)
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from tests.factories import make_user
from tests.fulfilment.parcels import make_point, placed_order
from tests.logistics.fixtures.transport import FakeTransport, fixture, ok
from tests.logistics.sender_world import settle_sender

pytestmark = pytest.mark.django_db


def _ghtk(transport: FakeTransport) -> dict:
    return {"ghtk": GHTK(token="t", client_source="S1", webhook_token="w", transport=transport, sleep=lambda s: None)}


def _ghtk_order(**kw):
    shop_order = placed_order(None, payment_method="cod", **kw)
    settle_sender(shop_order.shop)
    shop_order.shipping_carrier, shop_order.shipping_service = "ghtk", "road"
    shop_order.save(update_fields=["shipping_carrier", "shipping_service"])
    return shop_order


def test_hub_booking_stores_the_shipment_and_its_first_event():
    shop_order = placed_order(None, payment_method="cod", quantity=3)  # 3 × 500 g, cash on delivery
    owner = shop_order.shop.producer.owner
    shipment = book_shipment(actor=owner, shop_order=shop_order)
    assert (shipment.carrier, shipment.service, shipment.tracking_code) == ("hub", "standard", shop_order.code)
    assert shipment.status == ShipmentStatus.CREATED and shipment.via == Shipment.Via.SELLER
    assert shipment.weight_g == 1500 and shipment.cod_amount == shop_order.total and shipment.fee > 0
    assert shipment.created_by == owner and shipment.origin_point is None
    (event,) = shipment.events.all()
    assert (event.status, event.key, event.source) == ("created", "created", ShipmentEvent.Source.SELLER)


def test_paid_order_collects_nothing_and_the_destination_is_the_pickup_point():
    point = make_point()
    shop_order = placed_order(point, payment_method="vietqr", name="Trần Thị Lan")
    parcel = parcel_for(shop_order=shop_order)
    assert parcel.cod_amount == 0 and parcel.value == shop_order.items_total
    request = request_for(shop_order=shop_order, service="standard")
    assert request.destination.commune_code == point.address.commune_id
    assert "Trần Thị Lan" in request.destination.name and point.name in request.destination.name
    assert request.origin.commune_code == shop_order.shop.commune_id and request.reference == shop_order.code


def test_a_repeated_submit_returns_the_same_shipment_and_another_carrier_is_refused():
    shop_order = placed_order(None)
    owner = shop_order.shop.producer.owner
    first = book_shipment(actor=owner, shop_order=shop_order)
    assert book_shipment(actor=owner, shop_order=shop_order) == first
    assert Shipment.objects.filter(shop_order=shop_order).count() == 1
    shop_order.shipping_carrier, shop_order.shipping_service = "ghtk", "road"
    with pytest.raises(ShipmentError, match="đã có vận đơn"):
        book_shipment(actor=owner, shop_order=shop_order, carriers=_ghtk(FakeTransport()))


def test_the_database_refuses_a_second_live_shipment():
    shop_order = placed_order(None)
    book_shipment(actor=shop_order.shop.producer.owner, shop_order=shop_order)
    with pytest.raises(IntegrityError):
        Shipment.objects.create(
            shop_order=shop_order, carrier="hub", service="standard", tracking_code="OTHER-1", status="created",
            fee=1, weight_g=1, via="seller",
        )  # fmt: skip


def test_who_may_book():
    shop_order = placed_order(None)
    for stranger in (make_user(), placed_order(None).shop.producer.owner):
        with pytest.raises(NotAllowed):
            book_shipment(actor=stranger, shop_order=shop_order)
    staff, point = make_user(), make_point()
    with pytest.raises(NotAllowed):  # post office staff, but not of this point
        book_shipment(actor=make_user(), shop_order=shop_order, via=Shipment.Via.POST_OFFICE, origin_point=point)
    point.staff.add(staff)
    shipment = book_shipment(actor=staff, shop_order=shop_order, via=Shipment.Via.POST_OFFICE, origin_point=point)
    assert shipment.origin_point == point and shipment.events.get().source == ShipmentEvent.Source.POST_OFFICE
    assert not Shipment.objects.exclude(pk=shipment.pk).exists()


def test_only_confirmed_or_packed_orders_are_booked():
    shop_order = placed_order(None, payment_method="vietqr")
    advance(shop_order=shop_order, to=Status.CANCELLED, actor=None)
    shop_order.refresh_from_db()
    with pytest.raises(ShipmentError, match="chỉ tạo vận đơn"):
        book_shipment(actor=shop_order.shop.producer.owner, shop_order=shop_order)
    assert not Shipment.objects.exists()


def test_ghtk_booking_sends_the_parcel_and_keeps_ghtk_s_label_and_fee():
    shop_order = _ghtk_order(quantity=2)
    transport = FakeTransport().answer("/services/shipment/order", ok(fixture("ghtk", "order.json")))
    shipment = book_shipment(actor=shop_order.shop.producer.owner, shop_order=shop_order, carriers=_ghtk(transport))
    assert (shipment.carrier, shipment.tracking_code, shipment.fee) == ("ghtk", "S1.A1.17373471", 37_000)
    sent = transport.sent[0].payload["order"]
    assert sent["id"] == shop_order.code and sent["pick_money"] == shop_order.total and sent["transport"] == "road"
    assert sent["province"] and sent["district"]  # pre-2025 names from the 2025 commune


@pytest.mark.parametrize(
    "outcome, code",
    [
        (TimeoutError(), "carrier_unavailable"),
        (Response(502, b"bad gateway"), "carrier_unavailable"),
        (Response(200, b"<html>not json</html>"), "carrier_bad_answer"),
    ],
)
def test_a_carrier_error_stores_nothing(outcome, code):
    shop_order = _ghtk_order()
    transport = FakeTransport().answer("/services/shipment/order", outcome)
    with pytest.raises(CarrierError) as error:
        book_shipment(actor=shop_order.shop.producer.owner, shop_order=shop_order, carriers=_ghtk(transport))
    assert error.value.code == code and error.value.message
    assert not Shipment.objects.exists() and not ShipmentEvent.objects.exists()


def test_a_carrier_refusal_is_shown_in_its_own_words():
    shop_order = _ghtk_order()
    transport = FakeTransport().answer("/services/shipment/order", ok(fixture("ghtk", "refused.json")))
    with pytest.raises(CarrierError) as error:
        book_shipment(actor=shop_order.shop.producer.owner, shop_order=shop_order, carriers=_ghtk(transport))
    assert error.value.code == "carrier_refused"
    assert not Shipment.objects.exists()


def test_an_unconfigured_carrier_is_a_clear_refusal():
    shop_order = _ghtk_order()
    with pytest.raises(ShipmentError, match="không dùng được"):
        book_shipment(actor=shop_order.shop.producer.owner, shop_order=shop_order, carriers={"hub": HubNetwork()})


def test_cancel_then_book_again_with_a_new_reference():
    shop_order = placed_order(None)
    owner = shop_order.shop.producer.owner
    first = book_shipment(actor=owner, shop_order=shop_order)
    cancelled = cancel_shipment(actor=owner, shipment=first)
    assert cancelled.status == ShipmentStatus.CANCELLED
    assert list(cancelled.events.values_list("status", flat=True)) == ["created", "cancelled"]
    assert cancel_shipment(actor=owner, shipment=cancelled).status == ShipmentStatus.CANCELLED  # again: no-op
    assert live_shipment(shop_order=shop_order) is None
    second = book_shipment(actor=owner, shop_order=shop_order)
    assert second.tracking_code == f"{shop_order.code}-2" and live_shipment(shop_order=shop_order) == second


def test_cancel_asks_the_carrier_first_and_keeps_the_shipment_when_it_refuses():
    shop_order = _ghtk_order()
    owner = shop_order.shop.producer.owner
    transport = (
        FakeTransport()
        .answer("/services/shipment/order", ok(fixture("ghtk", "order.json")))
        .answer("/services/shipment/cancel/S1.A1.17373471", ok(fixture("ghtk", "refused.json")))
    )
    carriers = _ghtk(transport)
    shipment = book_shipment(actor=owner, shop_order=shop_order, carriers=carriers)
    with pytest.raises(CarrierError):
        cancel_shipment(actor=owner, shipment=shipment, carriers=carriers)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CREATED and shipment.events.count() == 1
    transport.answer("/services/shipment/cancel/S1.A1.17373471", ok(fixture("ghtk", "success.json")))
    assert cancel_shipment(actor=owner, shipment=shipment, carriers=carriers).status == ShipmentStatus.CANCELLED
    assert transport.sent[-1].method == "POST"


def test_a_picked_up_shipment_cannot_be_cancelled_and_strangers_cannot_cancel():
    shop_order = placed_order(None)
    owner = shop_order.shop.producer.owner
    shipment = book_shipment(actor=owner, shop_order=shop_order)
    with pytest.raises(NotAllowed):
        cancel_shipment(actor=make_user(), shipment=shipment)
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.PICKED_UP)
    shipment.refresh_from_db()
    with pytest.raises(ShipmentError, match="không hủy được"):
        cancel_shipment(actor=owner, shipment=shipment)


class RacingTransport(FakeTransport):
    """GHTK's answers, and while GHTK books, another submit for the same order wins: its shipment is stored
    first (what a second request in another process does between our carrier call and our insert)."""

    def __init__(self, shop_order):
        super().__init__()
        self.shop_order = shop_order

    def __call__(self, *, method, url, headers, body, timeout):
        if url.split("?")[0].endswith("/services/shipment/order"):
            Shipment.objects.create(
                shop_order=self.shop_order, carrier="ghtk", service="road", tracking_code="S1.WINNER", status="created",
                fee=30_000, weight_g=1000, via="seller",
            )  # fmt: skip
        return super().__call__(method=method, url=url, headers=headers, body=body, timeout=timeout)


def test_a_racing_submit_books_one_parcel_and_cancels_the_loser_s_booking_at_the_carrier():
    shop_order = _ghtk_order()
    transport = RacingTransport(shop_order)
    transport.answer("/services/shipment/order", ok(fixture("ghtk", "order.json")))
    transport.answer("/services/shipment/cancel/S1.A1.17373471", ok(fixture("ghtk", "success.json")))
    shipment = book_shipment(actor=shop_order.shop.producer.owner, shop_order=shop_order, carriers=_ghtk(transport))
    assert shipment.tracking_code == "S1.WINNER" and Shipment.objects.count() == 1
    assert [s.path for s in transport.sent] == ["/services/shipment/order", "/services/shipment/cancel/S1.A1.17373471"]


def test_bookings_per_order_are_bounded():
    shop_order = placed_order(None)
    owner = shop_order.shop.producer.owner
    for _ in range(MAX_BOOKINGS):
        cancel_shipment(actor=owner, shipment=book_shipment(actor=owner, shop_order=shop_order))
    with pytest.raises(ShipmentError) as error:
        book_shipment(actor=owner, shop_order=shop_order)
    assert error.value.code == "too_many_bookings"
    assert Shipment.objects.filter(shop_order=shop_order).count() == MAX_BOOKINGS
