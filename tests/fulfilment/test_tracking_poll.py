"""The polling job (fulfilment/tracking.py `poll_shipments`, every 30 min): stale live third-party shipments are
looked up at the carrier, oldest first and bounded, and their events applied like a webhook's."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from taybac.fulfilment.tasks import poll_carrier_tracking
from taybac.fulfilment.tracking import poll_shipments
from taybac.logistics.carriers import configured
from taybac.logistics.carriers.http import Response
from taybac.logistics.models_shipping import Shipment
from taybac.orders.models import Status
from tests.fulfilment.tracking_world import booked, packed_order
from tests.logistics.fixtures.transport import FakeTransport, fixture, ok

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ghn(settings):
    settings.TAYBAC_GHN_TOKEN, settings.TAYBAC_GHN_SHOP_ID = "ghn-api-token", "885"


def age(shipment: Shipment, hours: float) -> None:
    Shipment.objects.filter(pk=shipment.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=hours))


def test_a_stale_shipment_is_tracked_and_its_history_applied_once():
    shop_order = packed_order()
    shipment = booked(shop_order, code="LBK6PK")
    age(shipment, 7)
    transport = FakeTransport().answer("/shipping-order/detail", ok(fixture("ghn", "detail.json")))
    result = poll_shipments(carriers=configured(transport=transport))
    assert (result.asked, result.new_events, result.failed) == (1, 4, 0)
    shipment.refresh_from_db()
    shop_order.refresh_from_db()
    assert shipment.status == "out_for_delivery" and shop_order.status == Status.SHIPPED
    assert set(shipment.events.values_list("source", flat=True)) == {"poll"}
    # freshly updated: not asked again on the next run
    assert poll_shipments(carriers=configured(transport=transport)).asked == 0
    age(shipment, 7)
    again = poll_shipments(carriers=configured(transport=transport))
    assert (again.asked, again.new_events) == (1, 0)
    assert shipment.events.count() == 4


def test_fresh_finished_hub_and_unconfigured_shipments_are_not_asked():
    fresh = booked(packed_order(with_lot=False), code="FRESH")
    done = booked(packed_order(with_lot=False), code="DONE", status="delivered")
    hub = booked(packed_order(with_lot=False), carrier="hub", code="HUB1")
    other = booked(packed_order(with_lot=False), carrier="ghtk", code="S1.X")  # GHTK has no credentials here
    for shipment in (done, hub, other):
        age(shipment, 30)
    transport = FakeTransport()
    assert poll_shipments(carriers=configured(transport=transport)).asked == 0
    assert transport.sent == [] and fresh.events.count() == 0


def test_a_carrier_that_is_down_is_skipped_until_its_next_turn():
    shipment = booked(packed_order(with_lot=False), code="LBK6PK")
    age(shipment, 7)
    transport = FakeTransport().answer("/shipping-order/detail", Response(503, b"busy", {}))
    carriers = configured(transport=transport)
    carriers["ghn"].client.sleep = lambda seconds: None  # no real back-off waits in tests
    result = poll_shipments(carriers=carriers)
    assert (result.asked, result.failed) == (1, 1)
    shipment.refresh_from_db()
    assert shipment.status == "created" and timezone.now() - shipment.updated_at < datetime.timedelta(minutes=1)


def test_each_run_is_bounded_and_takes_the_least_recently_updated_first():
    shipments = [booked(packed_order(with_lot=False), code=f"C{i}") for i in range(3)]
    for hours, shipment in zip((9, 30, 20), shipments, strict=True):
        age(shipment, hours)
    transport = FakeTransport().answer(
        "/shipping-order/detail", ok(b'{"code": 200, "message": "", "data": {"log": []}}')
    )
    assert poll_shipments(carriers=configured(transport=transport), batch=2).asked == 2
    asked = [sent.payload["order_code"] for sent in transport.sent]
    assert asked == ["C1", "C2"]


def test_the_job_runs_every_30_minutes():
    at = datetime.datetime(2026, 12, 6, 8, 0)
    runs = [m for m in range(60) if poll_carrier_tracking.task_class().validate_datetime(at.replace(minute=m))]
    assert runs == [0, 30]
