"""Collecting at a pickup-run stop (fulfilment/shipments.collect_at_stop): on a post office's run the shop's
waiting hub parcels are taken in there and then (shipped, trace event, origin post office); a cooperative's run
only records the stop; a second tap changes nothing; strangers are refused and nothing moves."""

from __future__ import annotations

import pytest
from django.utils import timezone

from taybac.accounts.models import Producer
from taybac.accounts.selectors import NotAllowed
from taybac.fulfilment.shipments import collect_at_stop
from taybac.logistics.models_shipping import Shipment, ShipmentStatus
from taybac.logistics.pickup_runs import plan_pickup_run
from taybac.orders.models import ShopOrder, Status
from taybac.traceability.models import TraceEvent
from tests.factories import make_user
from tests.logistics.pickup_world import TA_VAN, post_office, shop_at, waiting_order


def _run(actor, **owner):
    return plan_pickup_run(
        actor=actor, day=timezone.localdate(), vehicles=1, capacity_kg=100, time_limit_s=0.3, **owner
    )


@pytest.fixture
def clerk(db):
    return make_user(full_name="Lò Thị Nga")


def test_a_post_office_run_takes_the_parcels_in_at_the_stop(clerk):
    point = post_office(staff=(clerk,))
    shop = shop_at("Hộ Tả Van", commune_code=TA_VAN)  # another commune than the post office's
    first, second = waiting_order(shop), waiting_order(shop, quantity=2)
    stop = _run(clerk, post_office=point).stops.get()

    collect_at_stop(actor=clerk, stop=stop)
    trace_events = TraceEvent.objects.count()
    collect_at_stop(actor=clerk, stop=stop)  # a second tap

    for order in (first, second):
        assert ShopOrder.objects.get(pk=order.pk).status == Status.SHIPPED
        shipment = Shipment.objects.get(shop_order=order)
        assert (shipment.status, shipment.origin_point_id, shipment.via) == (
            ShipmentStatus.PICKED_UP,
            point.pk,
            Shipment.Via.POST_OFFICE,
        )
        assert shipment.events.count() == 2  # created, picked up: once each
    assert TraceEvent.objects.count() == trace_events  # the second tap records nothing
    assert Shipment.objects.count() == 2


def test_a_cooperatives_run_records_the_stop_only(clerk):
    coop_owner = make_user()
    coop_shop = shop_at("HTX Chè", kind=Producer.Kind.COOPERATIVE, owner=coop_owner)
    order = waiting_order(coop_shop)
    stop = _run(coop_owner, cooperative=coop_shop.producer).stops.get()

    collected = collect_at_stop(actor=coop_owner, stop=stop)

    assert collected.collected_at is not None
    assert ShopOrder.objects.get(pk=order.pk).status == Status.CONFIRMED
    assert not Shipment.objects.exists()


def test_a_stranger_moves_nothing(clerk):
    point = post_office(staff=(clerk,))
    order = waiting_order(shop_at("Hộ Tả Van", commune_code=TA_VAN))
    stop = _run(clerk, post_office=point).stops.get()

    with pytest.raises(NotAllowed):
        collect_at_stop(actor=make_user(), stop=stop)

    assert ShopOrder.objects.get(pk=order.pk).status == Status.CONFIRMED
    assert not Shipment.objects.exists()
