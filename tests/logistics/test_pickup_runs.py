"""Pickup runs (logistics/pickup_runs.py): which shops become stops and where, routes that respect the vehicles'
capacity and visit every shop once, re-planning, marking a stop collected, and who may do either."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from taybac.accounts.models import Producer, Role
from taybac.accounts.selectors import NotAllowed
from taybac.accounts.services import grant_delegation, revoke_delegation
from taybac.core.errors import DomainError
from taybac.core.models import AuditEntry
from taybac.logistics.legacy_address import commune_coordinates
from taybac.logistics.models_planning import PickupRun, PickupStop
from taybac.logistics.models_shipping import Shipment, ShipmentStatus
from taybac.logistics.pickup_runs import PickupRunError, mark_collected, plan_pickup_run
from taybac.logistics.pickup_runs_selectors import AREA_RADIUS_KM, distance_km, run_start, waiting_orders
from taybac.orders.models import Status
from tests.factories import make_user
from tests.logistics.pickup_world import BAC_HA, LAO_CAI, SA_PA, TA_VAN, post_office, shop_at, waiting_order

FAST = 0.3  # seconds of search: these runs have a handful of stops


def _plan(actor, point=None, cooperative=None, **kwargs):
    options = {"vehicles": 2, "capacity_kg": 100, "time_limit_s": FAST} | kwargs
    return plan_pickup_run(actor=actor, day=timezone.localdate(), post_office=point, cooperative=cooperative, **options)


@pytest.fixture
def clerk(db):
    return make_user(full_name="Lò Thị Nga")


@pytest.fixture
def point(clerk):
    return post_office(staff=(clerk,))


def test_stops_use_the_pin_when_set_else_the_commune_point(clerk, point):
    pinned = shop_at("Hộ Giàng A Páo", commune_code=TA_VAN, pin=(22.3012, 103.8899))
    unpinned = shop_at("HTX Chè Tả Van", commune_code=TA_VAN)
    waiting_order(pinned, quantity=2, weight_grams=1500)
    waiting_order(unpinned)
    waiting_order(unpinned, weight_grams=250)

    run = _plan(clerk, point)

    stops = {s.shop_id: s for s in run.stops.all()}
    assert stops[pinned.pk].source == PickupStop.Source.PIN
    assert (float(stops[pinned.pk].latitude), float(stops[pinned.pk].longitude)) == (22.3012, 103.8899)
    assert stops[unpinned.pk].source == PickupStop.Source.COMMUNE
    lat, lon = commune_coordinates(TA_VAN)
    assert (float(stops[unpinned.pk].latitude), float(stops[unpinned.pk].longitude)) == (lat, lon)
    # weight = variant weight × quantity, summed over the shop's waiting orders
    assert (stops[pinned.pk].parcels, stops[pinned.pk].demand_g) == (1, 3000)
    assert (stops[unpinned.pk].parcels, stops[unpinned.pk].demand_g) == (2, 1250)
    assert (float(run.depot_latitude), float(run.depot_longitude)) == commune_coordinates(SA_PA)


def test_capacity_is_respected_and_every_shop_is_visited_once(clerk, point):
    pins = [(22.30, 103.88), (22.28, 103.90), (22.36, 103.80), (22.40, 103.85), (22.33, 103.75)]
    shops = [shop_at(f"Hộ số {i}", commune_code=TA_VAN, pin=pin) for i, pin in enumerate(pins)]
    for i, shop in enumerate(shops):
        waiting_order(shop, quantity=1, weight_grams=[30_000, 25_000, 20_000, 15_000, 10_000][i])

    run = _plan(clerk, point, vehicles=3, capacity_kg=50)

    stops = list(run.stops.all())
    assert sorted(s.shop_id for s in stops) == sorted(s.pk for s in shops)
    loads = Counter()
    for stop in stops:
        loads[stop.vehicle] += stop.demand_g
    assert len(loads) >= 2 and max(loads.values()) <= 50_000
    for vehicle in loads:
        route = [s for s in stops if s.vehicle == vehicle]
        assert [s.sequence for s in route] == list(range(1, len(route) + 1))
        arrivals = [s.arrival_min for s in route]
        assert arrivals == sorted(arrivals) and arrivals[0] > 0
    assert run.distance_m > 0 and run.vehicles == 3 and run.capacity_kg == 50


def test_refusals_say_what_to_change(clerk, point):
    with pytest.raises(PickupRunError, match="Không có hàng nào chờ lấy"):
        _plan(clerk, point)
    heavy = shop_at("HTX Gạo Séng Cù")
    for _ in range(3):
        waiting_order(heavy, weight_grams=50_000)  # checkout's largest parcel
    with pytest.raises(PickupRunError, match="HTX Gạo Séng Cù có 150,0 kg hàng, nặng hơn sức chở một xe"):
        _plan(clerk, point, capacity_kg=100)
    waiting_order(shop_at("Hộ Sa Pa"))
    with pytest.raises(PickupRunError, match="Tổng 151,0 kg hàng, hơn sức chở 1 xe × 150 kg"):
        _plan(clerk, point, vehicles=1, capacity_kg=150)
    far = shop_at("Hộ Bắc Hà", commune_code=TA_VAN, pin=(22.05, 103.95))  # ~35 km from Sa Pa: outside the area
    waiting_order(far)
    assert distance_km(a=commune_coordinates(SA_PA), b=(22.05, 103.95)) > AREA_RADIUS_KM
    tight = shop_at("Hộ Tả Van", commune_code=TA_VAN, pin=(22.16, 103.95))  # ~23 km out: 1.5 h there and back
    waiting_order(tight)
    with pytest.raises(PickupRunError, match="1 xe không kịp lấy hàng ở cả 3 điểm trong 1 giờ 00 phút"):
        _plan(clerk, point, vehicles=1, capacity_kg=200, max_duration_min=60)
    with pytest.raises(PickupRunError, match="Số xe phải từ 1 đến 20"):
        _plan(clerk, point, vehicles=0)
    with pytest.raises(PickupRunError, match="GIỜ:PHÚT"):
        _plan(clerk, point, start="7h30")
    with pytest.raises(PickupRunError, match="Chuyến phải xong trong ngày"):
        _plan(clerk, point, start="20:00", max_duration_min=300)
    with pytest.raises(PickupRunError, match="hôm qua"):
        plan_pickup_run(
            actor=clerk,
            day=timezone.localdate() + datetime.timedelta(days=30),
            post_office=point,
            vehicles=1,
            capacity_kg=10,
        )
    assert not PickupRun.objects.exists()


def test_a_post_office_collects_in_its_area_only(clerk, point):
    near = shop_at("Hộ gần", commune_code=TA_VAN)
    far_in_province = shop_at("Hộ xa", commune_code=BAC_HA)  # Bắc Hà: about 48 km from Sa Pa
    other_province = shop_at("Hộ Hà Nội", commune_code=4)
    for shop in (near, far_in_province, other_province):
        waiting_order(shop)
    assert distance_km(a=commune_coordinates(SA_PA), b=commune_coordinates(BAC_HA)) > AREA_RADIUS_KM

    run = _plan(clerk, point)

    assert [s.shop_id for s in run.stops.all()] == [near.pk]


def test_only_parcels_still_to_collect_are_planned(clerk, point):
    shop = shop_at("Hộ Giàng A Páo", commune_code=TA_VAN)
    kept = waiting_order(shop, weight_grams=1000)
    waiting_order(shop, weight_grams=2000, carrier="ghn")  # another carrier collects its own
    picked = waiting_order(shop, weight_grams=4000)
    Shipment.objects.create(
        shop_order=picked, carrier="hub", service="standard", tracking_code=picked.code, fee=1,
        status=ShipmentStatus.PICKED_UP, weight_g=4000, via=Shipment.Via.SELLER,
    )  # fmt: skip
    booked = waiting_order(shop, weight_grams=8000)
    Shipment.objects.create(
        shop_order=booked, carrier="hub", service="standard", tracking_code=booked.code, fee=1,
        status=ShipmentStatus.CREATED, weight_g=8000, via=Shipment.Via.SELLER,
    )  # fmt: skip
    cancelled = waiting_order(shop, weight_grams=16_000)
    cancelled.status = Status.CANCELLED
    cancelled.save(update_fields=["status"])

    run = _plan(clerk, point)

    assert [(s.parcels, s.demand_g) for s in run.stops.all()] == [(2, 9000)]  # kept + booked (not picked up yet)
    assert set(waiting_orders().values_list("pk", flat=True)) == {kept.pk, booked.pk}


def test_planning_again_replaces_the_run_until_a_stop_is_collected(clerk, point):
    first, second = shop_at("Hộ Một", commune_code=TA_VAN), shop_at("Hộ Hai")
    waiting_order(first)
    old = _plan(clerk, point, start="06:45")
    assert run_start(run=old) == "06:45"
    waiting_order(second)

    run = _plan(clerk, point, vehicles=1)

    assert list(PickupRun.objects.values_list("pk", flat=True)) == [run.pk]
    assert {s.shop_id for s in run.stops.all()} == {first.pk, second.pk}
    assert run_start(run=run) == "07:30"
    stop = run.stops.get(shop=first)
    mark_collected(actor=clerk, stop=stop)
    again = mark_collected(actor=clerk, stop=stop)  # a second tap changes nothing
    assert again.collected_at == PickupStop.objects.get(pk=stop.pk).collected_at is not None
    assert AuditEntry.objects.filter(action="logistics.pickup_stop.collected").count() == 1
    with pytest.raises(PickupRunError, match="đã có điểm lấy hàng xong"):
        _plan(clerk, point)
    # the collected shop's parcels are no longer waiting; the other shop's still are
    assert set(waiting_orders().values_list("shop_id", flat=True)) == {second.pk}


def test_only_that_post_offices_staff_or_operators_plan_and_mark(clerk, point):
    waiting_order(shop_at("Hộ Tả Van", commune_code=TA_VAN))
    elsewhere = make_user()
    post_office(commune_code=LAO_CAI, staff=(elsewhere,))
    for stranger in (elsewhere, make_user(), make_user(role=Role.HELPER)):
        with pytest.raises(NotAllowed):
            _plan(stranger, point)
    operator = make_user(role=Role.OPERATOR)
    run = _plan(operator, point)
    stop = run.stops.get()
    with pytest.raises(NotAllowed):
        mark_collected(actor=elsewhere, stop=stop)
    assert PickupStop.objects.get(pk=stop.pk).collected_at is None
    mark_collected(actor=clerk, stop=stop)
    assert PickupStop.objects.get(pk=stop.pk).collected_at is not None


def test_a_future_run_cannot_be_marked_collected(clerk, point):
    waiting_order(shop_at("Hộ Tả Van", commune_code=TA_VAN))
    run = plan_pickup_run(
        actor=clerk,
        day=timezone.localdate() + datetime.timedelta(days=1),
        post_office=point,
        vehicles=1,
        capacity_kg=10,
        time_limit_s=FAST,
    )
    with pytest.raises(PickupRunError, match="chưa thể ghi đã lấy hàng"):
        mark_collected(actor=clerk, stop=run.stops.get())


def test_a_cooperative_collects_from_its_own_and_its_members_shops_only(db):
    owner, helper = make_user(), make_user(role=Role.HELPER)
    coop_shop = shop_at("HTX Chè Tả Van", commune_code=TA_VAN, kind=Producer.Kind.COOPERATIVE, owner=owner)
    cooperative = coop_shop.producer
    grant_delegation(producer=cooperative, delegate=helper, granted_by=owner)
    member = shop_at("Hộ thành viên", commune_code=BAC_HA)  # members may be far away
    left = shop_at("Hộ đã rời HTX", commune_code=TA_VAN)
    stranger = shop_at("Hộ bên cạnh", commune_code=TA_VAN)
    grant_delegation(producer=member.producer, delegate=owner, granted_by=member.producer.owner)
    revoke_delegation(
        delegation=grant_delegation(producer=left.producer, delegate=owner, granted_by=left.producer.owner),
        revoked_by=left.producer.owner,
    )
    for shop in (coop_shop, member, left, stranger):
        waiting_order(shop)

    run = _plan(helper, cooperative=cooperative, vehicles=1)

    assert {s.shop_id for s in run.stops.all()} == {coop_shop.pk, member.pk}
    assert (float(run.depot_latitude), float(run.depot_longitude)) == commune_coordinates(TA_VAN)
    for outsider in (stranger.producer.owner, member.producer.owner, make_user()):
        with pytest.raises(NotAllowed):
            _plan(outsider, cooperative=cooperative)
    with pytest.raises(PickupRunError, match="Chỉ hợp tác xã"):
        _plan(stranger.producer.owner, cooperative=stranger.producer)
    mark_collected(actor=owner, stop=run.stops.get(shop=member))
    with pytest.raises(NotAllowed):
        mark_collected(actor=member.producer.owner, stop=run.stops.get(shop=coop_shop))


def test_the_reads_and_the_stops_are_bounded(clerk, point, monkeypatch):
    for name in ("Hộ Một", "Hộ Hai"):
        waiting_order(shop_at(name, commune_code=TA_VAN))
    monkeypatch.setattr("taybac.logistics.pickup_runs.MAX_STOPS", 1)
    with pytest.raises(PickupRunError, match="2 điểm lấy hàng, quá 1 điểm"):
        _plan(clerk, point)
    monkeypatch.setattr("taybac.logistics.pickup_runs_selectors.MAX_SHOPS", 1)
    with pytest.raises(DomainError, match="Hơn 1 gian hàng có đơn chờ lấy") as refused:
        _plan(clerk, point)
    assert refused.value.code == "too_many_shops"
    assert not PickupRun.objects.exists()
