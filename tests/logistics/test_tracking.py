"""Tracking events are stored once each and move a shipment's status forward only (logistics/tracking.py)."""

from __future__ import annotations

import datetime

import pytest

from taybac.logistics.carriers.base import TrackingEvent, TrackingStatus
from taybac.logistics.models_shipping import ShipmentEvent
from taybac.logistics.tracking import MAX_EVENTS, TrackingError, event_key, record_events
from tests.fulfilment.tracking_world import T0, booked, event, packed_order

pytestmark = pytest.mark.django_db
WEBHOOK = ShipmentEvent.Source.WEBHOOK


@pytest.fixture
def shipment():
    return booked(packed_order(with_lot=False))


def statuses(shipment):
    return list(shipment.events.values_list("status", flat=True))


def test_new_events_are_stored_in_time_order_and_move_the_status(shipment):
    update = record_events(shipment=shipment, events=[event("in_transit", 60), event("picked_up", 10)], source=WEBHOOK)
    assert [e.status for e in update.new] == ["picked_up", "in_transit"]
    assert (update.status_before, update.status_after, update.moved) == ("created", "in_transit", True)
    shipment.refresh_from_db()
    assert shipment.status == "in_transit" and statuses(shipment) == ["picked_up", "in_transit"]
    assert update.reached("picked_up") and not update.reached("delivered")


def test_a_repeated_event_is_stored_once_whatever_its_source(shipment):
    first = record_events(shipment=shipment, events=[event("picked_up", 10)], source=WEBHOOK)
    again = record_events(shipment=shipment, events=[event("picked_up", 10)], source=ShipmentEvent.Source.POLL)
    assert len(first.new) == 1 and again.new == [] and not again.moved
    assert shipment.events.count() == 1


def test_an_older_event_arriving_late_never_moves_the_status_back(shipment):
    record_events(shipment=shipment, events=[event("out_for_delivery", 120)], source=WEBHOOK)
    late = record_events(shipment=shipment, events=[event("in_transit", 60), event("picked_up", 10)], source=WEBHOOK)
    assert len(late.new) == 2 and late.status_after == "out_for_delivery"
    shipment.refresh_from_db()
    assert shipment.status == "out_for_delivery"
    assert statuses(shipment) == ["picked_up", "in_transit", "out_for_delivery"]  # the timeline is complete


def test_failed_and_out_for_delivery_alternate_by_time(shipment):
    record_events(shipment=shipment, events=[event("out_for_delivery", 10)], source=WEBHOOK)
    assert record_events(shipment=shipment, events=[event("failed", 20)], source=WEBHOOK).status_after == "failed"
    again = record_events(
        shipment=shipment, events=[event("out_for_delivery", 30, carrier_status="delivering")], source=WEBHOOK
    )
    assert again.status_after == "out_for_delivery"
    stale = record_events(shipment=shipment, events=[event("failed", 25, carrier_status="x")], source=WEBHOOK)
    assert stale.status_after == "out_for_delivery"  # an older failure does not override the newer attempt


@pytest.mark.parametrize("terminal", ["delivered", "returned", "cancelled"])
def test_terminal_statuses_stick(shipment, terminal):
    record_events(shipment=shipment, events=[event(terminal, 100)], source=WEBHOOK)
    later = record_events(
        shipment=shipment, events=[event("out_for_delivery", 200), event("failed", 300)], source=WEBHOOK
    )
    assert later.status_after == terminal and len(later.new) == 2


def test_same_stage_earlier_than_the_current_one_does_not_move():
    shipment = booked(packed_order(with_lot=False), code="A1")
    record_events(shipment=shipment, events=[event("failed", 50, code="A1")], source=WEBHOOK)
    older = record_events(shipment=shipment, events=[event("out_for_delivery", 40, code="A1")], source=WEBHOOK)
    assert older.status_after == "failed"


def test_keys_are_stable_and_bounded():
    one = event("picked_up", 0, carrier_status="picked")
    same_moment = TrackingEvent(
        tracking_code="LBK6PK",
        status=TrackingStatus.PICKED_UP,
        at=T0.astimezone(datetime.timezone(datetime.timedelta(hours=7))),
        carrier_status="picked",
    )
    assert event_key(event=one) == event_key(event=same_moment) == "LBK6PK|picked_up|picked|20251208T080000"
    long = event("failed", 0, code="X" * 40, carrier_status="y" * 60)
    assert event_key(event=long).startswith("sha256:") and len(event_key(event=long)) <= 120


def test_refuses_events_of_another_shipment_naive_times_too_many_and_bad_sources(shipment):
    with pytest.raises(TrackingError):
        record_events(shipment=shipment, events=[event("picked_up", code="OTHER")], source=WEBHOOK)
    naive = TrackingEvent(tracking_code="LBK6PK", status=TrackingStatus.PICKED_UP, at=datetime.datetime(2025, 1, 1))
    with pytest.raises(TrackingError):
        record_events(shipment=shipment, events=[naive], source=WEBHOOK)
    with pytest.raises(TrackingError):
        record_events(shipment=shipment, events=[event("in_transit", n) for n in range(MAX_EVENTS + 1)], source=WEBHOOK)
    with pytest.raises(TrackingError):
        record_events(shipment=shipment, events=[event("picked_up")], source="email")
    assert shipment.events.count() == 0


def test_long_carrier_texts_are_cut_to_the_columns(shipment):
    update = record_events(
        shipment=shipment,
        events=[event("failed", 5, carrier_status="s" * 90, text="lý do " * 100)],
        source=WEBHOOK,
    )
    [row] = update.new
    assert len(row.carrier_status) == 60 and len(row.description) == 300
