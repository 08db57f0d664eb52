"""What the pickup-run rows of the authorisation matrix need: a parcel waiting near post office Y, producer A as a
cooperative, and a planned run whose stop a request marks collected."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from taybac.accounts.models import Producer
from taybac.logistics.models_planning import PickupStop
from taybac.logistics.pickup_runs import plan_pickup_run
from taybac.regions.models import PickupPoint
from tests.logistics.pickup_world import shop_at, waiting_order
from tests.security.conftest import World

BA_DINH = 4  # Hà Nội, about 1.5 km from post office Y's commune (70)


def _point_y() -> PickupPoint:
    return PickupPoint.objects.get(code="BD-Y")


def run_form(w: World) -> dict[str, Any]:
    return {"ngay": timezone.localdate().isoformat(), "so_xe": 1, "tai_trong": 100, "gio_di": "07:30", "so_gio": 8}


def office_form(w: World) -> dict[str, Any]:
    return run_form(w) | {"diem": _point_y().pk}


def coop_form(w: World) -> dict[str, Any]:
    return run_form(w) | {"htx": w.shop.producer_id}


def parcel_near_y(client: Any, w: World) -> None:
    waiting_order(shop_at("Hộ Ba Đình", commune_code=BA_DINH))


def a_is_cooperative(client: Any, w: World) -> None:
    """Producer A runs a cooperative: its own confirmed hub-network order is waiting to be collected."""
    Producer.objects.filter(pk=w.shop.producer_id).update(kind=Producer.Kind.COOPERATIVE)


def office_run(client: Any, w: World) -> None:
    parcel_near_y(client, w)
    staff = w.users["post_office"]
    assert staff is not None
    plan_pickup_run(
        actor=staff, day=timezone.localdate(), post_office=_point_y(), vehicles=1, capacity_kg=100, time_limit_s=0.2
    )


def coop_run(client: Any, w: World) -> None:
    a_is_cooperative(client, w)
    owner = w.users["owner"]
    assert owner is not None
    plan_pickup_run(
        actor=owner,
        day=timezone.localdate(),
        cooperative=Producer.objects.get(pk=w.shop.producer_id),
        vehicles=1,
        capacity_kg=100,
        time_limit_s=0.2,
    )


def office_stop_url(w: World) -> str:
    stop = PickupStop.objects.filter(run__post_office__code="BD-Y").order_by("id").first()
    return f"/buu-dien/chuyen-lay-hang/diem/{stop.pk if stop else 0}/da-lay/"


def coop_stop_url(w: World) -> str:
    stop = PickupStop.objects.filter(run__cooperative_id=w.shop.producer_id, shop=w.shop).first()
    return f"/ban-hang/chuyen-lay-hang/diem/{stop.pk if stop else 0}/da-lay/"
