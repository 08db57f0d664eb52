"""Carrier events move the order (fulfilment/tracking.py): each status change and trace event once, a repeated
webhook changes nothing, cash on delivery is recorded with the carrier's collected amount."""

from __future__ import annotations

import pytest

from taybac.core.errors import DomainError
from taybac.core.models import AuditEntry
from taybac.fulfilment.tracking import apply_shipment_events, carrier_urn
from taybac.logistics.models_shipping import ShipmentEvent
from taybac.orders.models import ShopOrder, Status
from taybac.payments.models import Payment
from taybac.traceability.epcis.build import gln_uri
from taybac.traceability.keys import pickup_location, shop_location
from taybac.traceability.order_lots import lots_of
from tests.fulfilment.parcels import make_point
from tests.fulfilment.tracking_world import booked, event, packed_order
from tests.orders.test_notifications import Outbox

pytestmark = pytest.mark.django_db
WEBHOOK = ShipmentEvent.Source.WEBHOOK


@pytest.fixture
def outbox(settings):
    Outbox.sent = []
    settings.TAYBAC_SMS_SENDER = "tests.orders.test_notifications.Outbox"
    return Outbox.sent


def trace_steps(shop_order: ShopOrder) -> list[tuple[str, str]]:
    [lot] = lots_of(shop_order).values()
    return list(lot.events.order_by("leaf_index").values_list("biz_step", "disposition"))


def docs(shop_order: ShopOrder, biz_step: str) -> list[dict]:
    [lot] = lots_of(shop_order).values()
    return [e.document for e in lot.events.filter(biz_step=biz_step)]


def apply(shipment, *events, source=WEBHOOK):
    with_events = apply_shipment_events(shipment=shipment, events=list(events), source=source)
    shipment.refresh_from_db()
    return with_events


def test_picked_up_ships_the_packed_order_with_one_shipping_event_seen_by_the_carrier(
    outbox, django_capture_on_commit_callbacks
):
    shop_order = packed_order()
    shipment = booked(shop_order)
    with django_capture_on_commit_callbacks(execute=True):
        apply(shipment, event("picked_up", 10))
    shop_order.refresh_from_db()
    assert shop_order.status == Status.SHIPPED and shipment.status == "picked_up"
    [doc] = docs(shop_order, "shipping")
    assert doc["readPoint"] == {"id": "urn:taybac:carrier:ghn"} == {"id": carrier_urn(shipment=shipment)}
    assert doc["bizLocation"]["id"] == gln_uri(shop_location(shop_order.shop).gln)  # the shop's place
    assert any("dang duoc giao" in text for _, text in outbox)  # the buyer's usual "shipped" SMS
    # in transit, then the same webhook twice: no second shipping event, no second status change
    with django_capture_on_commit_callbacks(execute=True):
        apply(shipment, event("in_transit", 60))
        apply(shipment, event("in_transit", 60), event("picked_up", 10))
    assert len(docs(shop_order, "shipping")) == 1
    assert AuditEntry.objects.filter(action="shop_order.shipped", target_id=str(shop_order.pk)).count() == 1
    assert sum("dang duoc giao" in text for _, text in outbox) == 1


def test_an_order_the_seller_already_shipped_gets_no_second_shipping_event():
    from taybac.fulfilment.services import ship_shop_order

    shop_order = packed_order()
    shipment = booked(shop_order)
    ship_shop_order(actor=shop_order.shop.producer.owner, shop_order=shop_order)
    apply(shipment, event("picked_up", 10))
    assert len(docs(shop_order, "shipping")) == 1


def test_the_whole_journey_logs_shipping_arriving_and_delivery_once_each(django_capture_on_commit_callbacks):
    shop_order = packed_order()
    shipment = booked(shop_order)
    journey = [event("picked_up", 10), event("in_transit", 60), event("out_for_delivery", 600)]
    journey += [event("failed", 700, text="Không liên lạc được")]
    journey += [event("out_for_delivery", 1500, carrier_status="delivering"), event("delivered", 1600)]
    for e in journey:
        apply(shipment, e)
    for e in journey:  # the carrier retries every webhook
        apply(shipment, e)
    shop_order.refresh_from_db()
    assert shop_order.status == Status.DELIVERED and shipment.status == "delivered"
    assert trace_steps(shop_order)[-3:] == [
        ("shipping", "in_transit"),
        ("arriving", "in_transit"),
        ("retail_selling", "retail_sold"),
    ]
    [arriving] = docs(shop_order, "arriving")
    assert arriving["readPoint"] == {"id": "urn:taybac:carrier:ghn"} and "bizLocation" not in arriving
    assert shipment.events.count() == len(journey)
    assert AuditEntry.objects.filter(action="shop_order.delivered", target_id=str(shop_order.pk)).count() == 1


def test_delivered_cash_on_delivery_records_what_the_carrier_collected_once():
    shop_order = packed_order(payment_method="cod")
    shipment = booked(shop_order, cod=shop_order.total)
    apply(shipment, event("picked_up", 10), event("delivered", 900))
    apply(shipment, event("delivered", 900))
    shop_order.refresh_from_db()
    assert shop_order.status == Status.DELIVERED
    [payment] = Payment.objects.filter(shop_order=shop_order)
    assert payment.method == Payment.Method.CASH and payment.amount == shop_order.total


def test_delivered_straight_from_packed_ships_first_then_delivers():
    shop_order = packed_order()
    shipment = booked(shop_order)
    apply(shipment, event("delivered", 900))
    shop_order.refresh_from_db()
    assert shop_order.status == Status.DELIVERED
    assert [s for s, _ in trace_steps(shop_order)][-2:] == ["shipping", "retail_selling"]


def test_returned_moves_the_order_to_returned_logs_the_parcel_back_and_tells_both(
    outbox, django_capture_on_commit_callbacks
):
    shop_order = packed_order()
    shipment = booked(shop_order)
    apply(shipment, event("picked_up", 10))
    with django_capture_on_commit_callbacks(execute=True):
        apply(shipment, event("failed", 100, carrier_status="waiting_to_return"), event("returned", 3000))
        apply(shipment, event("returned", 3000))
    shop_order.refresh_from_db()
    assert shop_order.status == Status.RETURNED
    assert trace_steps(shop_order)[-1] == ("receiving", "returned")
    texts = [text for _, text in outbox]
    assert sum("hoan ve gian hang" in t for t in texts) == 1  # the buyer, with the refund
    assert sum("Kiem tra lai hang" in t for t in texts) == 1  # the seller


def test_a_failed_attempt_keeps_the_order_shipped_with_a_note_and_messages(outbox, django_capture_on_commit_callbacks):
    shop_order = packed_order()
    shipment = booked(shop_order)
    apply(shipment, event("picked_up", 10))
    with django_capture_on_commit_callbacks(execute=True):
        apply(shipment, event("failed", 100, text="Khách hẹn giao lại"))
        apply(shipment, event("failed", 100, text="Khách hẹn giao lại"))
    shop_order.refresh_from_db()
    assert shop_order.status == Status.SHIPPED and shipment.status == "failed"
    [note] = AuditEntry.objects.filter(action="shop_order.delivery_failed", target_id=str(shop_order.pk))
    assert note.detail["reason"] == "Khách hẹn giao lại"
    assert sum("chua thanh cong" in text for _, text in outbox) == 1


def test_a_failed_pick_up_leaves_the_order_packed_and_tells_the_seller(outbox, django_capture_on_commit_callbacks):
    shop_order = packed_order()
    shipment = booked(shop_order, carrier="ghtk", code="S1.A1.1")
    with django_capture_on_commit_callbacks(execute=True):
        apply(shipment, event("failed", 5, code="S1.A1.1", carrier_status="7", text="Không lấy được hàng"))
    shop_order.refresh_from_db()
    assert shop_order.status == Status.PACKED
    assert AuditEntry.objects.filter(action="shop_order.pickup_failed").count() == 1
    assert [phone for phone, _ in outbox] == [shop_order.shop.producer.owner.phone]


def test_a_cancelled_shipment_leaves_the_order_packed_and_frees_it_for_a_new_booking(
    outbox, django_capture_on_commit_callbacks
):
    shop_order = packed_order()
    shipment = booked(shop_order)
    with django_capture_on_commit_callbacks(execute=True):
        apply(shipment, event("cancelled", 5))
    shop_order.refresh_from_db()
    assert shop_order.status == Status.PACKED and shipment.status == "cancelled"
    booked(shop_order, code="NEW1")  # the live-shipment constraint no longer holds the order
    assert any("da bi huy" in text for _, text in outbox)


def test_a_parcel_dropped_at_the_post_office_is_logged_there():
    point = make_point(code="BD-SP", name="Bưu điện Sa Pa")
    shop_order = packed_order()
    shipment = booked(shop_order, carrier="hub", code=shop_order.code, origin_point=point, via="post_office")
    apply(shipment, event("picked_up", 0, code=shop_order.code), source=ShipmentEvent.Source.POST_OFFICE)
    shop_order.refresh_from_db()
    assert shop_order.status == Status.SHIPPED
    [doc] = docs(shop_order, "shipping")
    assert "readPoint" not in doc and doc["bizLocation"]["id"] == gln_uri(pickup_location(point).gln)


def test_everything_rolls_back_when_a_step_refuses():
    shop_order = packed_order(payment_method="cod")
    shipment = booked(shop_order, cod=10**12)  # absurd collected amount: the payment refuses
    with pytest.raises(DomainError):  # the payments' MoneyError
        apply(shipment, event("picked_up", 10), event("delivered", 900))
    shop_order.refresh_from_db()
    assert shop_order.status == Status.PACKED and shipment.events.count() == 0 and shipment.status == "created"


def test_the_hub_networks_post_offices_put_their_steps_on_the_timeline():
    from taybac.fulfilment.pickup import hand_over_at_pickup_point, receive_at_pickup_point
    from tests.factories import make_user

    clerk = make_user(full_name="Lò Thị Nga")
    destination = make_point(staff=[clerk])
    origin = make_point(code="BD-SP", name="Bưu điện Sa Pa")
    shop_order = packed_order(destination, payment_method="cod")
    shipment = booked(shop_order, carrier="hub", code=shop_order.code, origin_point=origin, via="post_office")
    apply(shipment, event("picked_up", 0, code=shop_order.code), source=ShipmentEvent.Source.POST_OFFICE)
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)  # a second tap adds nothing
    hand_over_at_pickup_point(actor=clerk, shop_order=shop_order, cash_collected=shop_order.total)
    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    assert list(shipment.events.values_list("status", "source")) == [
        ("picked_up", "post_office"),
        ("at_post_office", "post_office"),
        ("delivered", "post_office"),
    ]
    assert shipment.events.get(status="at_post_office").description == f"Đã đến {destination.name}"
    assert [s for s, _ in trace_steps(shop_order)][-3:] == ["shipping", "receiving", "retail_selling"]


def test_post_office_steps_of_an_order_without_a_shipment_change_nothing_else():
    from taybac.fulfilment.pickup import receive_at_pickup_point
    from taybac.logistics.models_shipping import Shipment
    from tests.factories import make_user
    from tests.fulfilment.parcels import shipped_order

    clerk = make_user(full_name="Lò Thị Nga")
    shop_order = shipped_order(make_point(staff=[clerk]))
    assert receive_at_pickup_point(actor=clerk, shop_order=shop_order).arrived_at_pickup is not None
    assert not Shipment.objects.exists()


def test_late_events_of_a_cancelled_booking_move_nothing():
    shop_order = packed_order()
    old = booked(shop_order, code="OLD1")
    apply(old, event("cancelled", 5, code="OLD1"))
    booked(shop_order, code="NEW1")
    apply(old, event("picked_up", 10, code="OLD1"), event("delivered", 900, code="OLD1"))
    shop_order.refresh_from_db()
    assert shop_order.status == Status.PACKED and old.status == "cancelled" and old.events.count() == 3
    assert AuditEntry.objects.filter(action="shop_order.shipment_cancelled").count() == 1
