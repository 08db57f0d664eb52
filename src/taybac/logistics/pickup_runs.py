"""Pickup runs: plan the day's collection route of a post office's or a cooperative's vehicles, and record each
producer collected (docs/logistics.md, "Pickup runs").

The search (PyVRP, `routing.plan_routes`) runs OUTSIDE the database transaction: on SQLite a write transaction
blocks every other writer, and a search holds its core for up to the time limit. The stored run is written
afterwards in one short transaction that locks its owner's row, so two people planning the same run at once
leave one run, not two. Stops are what was waiting when the search started.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from taybac.accounts.models import Producer, Role, User
from taybac.accounts.selectors import NotAllowed, can_manage
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.logistics.models_planning import PickupRun, PickupStop
from taybac.logistics.pickup_runs_selectors import PLANNED, Pickup, depot_of, pickups_for
from taybac.logistics.routing import RoutePlan, RoutingError, Stop, plan_routes
from taybac.regions.models import PickupPoint

MAX_VEHICLES = 20
MAX_CAPACITY_KG = 5000  # a 5-tonne truck: more than any commune's vehicle
MIN_DURATION_MIN, MAX_DURATION_MIN = 30, 12 * 60
DEFAULT_DURATION_MIN = 8 * 60  # without a maximum, the vehicles are back within a working day
MAX_STOPS = 300  # producers in one run; a page shows them all and PyVRP plans them well within the time limit
# The web waits for the search: 5 s is what a person on a phone will wait for a button, and PyVRP finds good
# routes for a few hundred stops in that time (docs/logistics.md). Small runs need much less.
WEB_TIME_LIMIT_S = 5.0
MAX_TIME_LIMIT_S = 60.0  # for a job or a script; never more
DAYS_BACK, DAYS_AHEAD = 1, 7
COLLECTED = "logistics.pickup_stop.collected"
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class PickupRunError(DomainError):
    """A run that cannot be planned or a stop that cannot be marked; the message says what to change."""

    code = "pickup_run_invalid"


def _is_operator(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.OPERATOR))


def may_plan(*, actor: User, post_office: PickupPoint | None = None, cooperative: Producer | None = None) -> bool:
    """Staff of that post office; the cooperative's owner or its delegated helpers; operators."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if _is_operator(actor):
        return True
    if post_office is not None:
        return post_office.staff.filter(pk=actor.pk).exists()
    return cooperative is not None and can_manage(actor, cooperative)


def _owner(post_office: PickupPoint | None, cooperative: Producer | None) -> None:
    if (post_office is None) == (cooperative is None):
        raise PickupRunError("Chọn một bưu điện hoặc một hợp tác xã cho chuyến lấy hàng.")
    if post_office is not None and post_office.kind != PickupPoint.Kind.POST_OFFICE:
        raise PickupRunError("Chỉ bưu điện xã mới lập chuyến lấy hàng.")
    if cooperative is not None and cooperative.kind != Producer.Kind.COOPERATIVE:
        raise PickupRunError("Chỉ hợp tác xã mới lập chuyến lấy hàng cho thành viên.")


def _minutes(start: str) -> int:
    match = _HHMM.match(start.strip()) if isinstance(start, str) else None
    if match is None:
        raise PickupRunError("Giờ xuất phát phải có dạng GIỜ:PHÚT, ví dụ 07:30.", field="start")
    return int(match[1]) * 60 + int(match[2])


def _check(*, day: datetime.date, vehicles: int, capacity_kg: int, start_min: int, max_duration_min: int | None) -> int:
    """The bounds of a request; returns the working day's length in minutes."""
    today = timezone.localdate()
    if not today - datetime.timedelta(days=DAYS_BACK) <= day <= today + datetime.timedelta(days=DAYS_AHEAD):
        raise PickupRunError(f"Chỉ lập chuyến từ hôm qua đến {DAYS_AHEAD} ngày tới.", field="day")
    if not 1 <= vehicles <= MAX_VEHICLES:
        raise PickupRunError(f"Số xe phải từ 1 đến {MAX_VEHICLES}.", field="vehicles")
    if not 1 <= capacity_kg <= MAX_CAPACITY_KG:
        raise PickupRunError(f"Tải trọng mỗi xe phải từ 1 đến {MAX_CAPACITY_KG} kg.", field="capacity_kg")
    if max_duration_min is not None and not MIN_DURATION_MIN <= max_duration_min <= MAX_DURATION_MIN:
        raise PickupRunError(
            f"Thời gian tối đa của chuyến phải từ {MIN_DURATION_MIN} phút đến {MAX_DURATION_MIN // 60} giờ.",
            field="max_duration_min",
        )
    length = max_duration_min or DEFAULT_DURATION_MIN
    if start_min + length > 24 * 60:
        raise PickupRunError("Chuyến phải xong trong ngày: xuất phát sớm hơn hoặc giảm số giờ.", field="start")
    return length


def _kg(grams: int) -> str:
    return f"{grams / 1000:.1f}".replace(".", ",")


def _check_loads(pickups: list[Pickup], *, vehicles: int, capacity_kg: int) -> None:
    if not pickups:
        raise PickupRunError("Không có hàng nào chờ lấy: chưa có đơn giao qua mạng Tây Bắc Hub đã xác nhận.")
    if len(pickups) > MAX_STOPS:
        raise PickupRunError(f"{len(pickups)} điểm lấy hàng, quá {MAX_STOPS} điểm cho một chuyến.")
    for pickup in pickups:
        if pickup.grams > capacity_kg * 1000:
            raise PickupRunError(
                f"{pickup.shop.name} có {_kg(pickup.grams)} kg hàng, nặng hơn sức chở một xe ({capacity_kg} kg): "
                "tăng tải trọng xe hoặc lấy riêng gian hàng này.",
                field="capacity_kg",
            )
    total = sum(p.grams for p in pickups)
    if total > vehicles * capacity_kg * 1000:
        raise PickupRunError(
            f"Tổng {_kg(total)} kg hàng, hơn sức chở {vehicles} xe × {capacity_kg} kg: thêm xe hoặc tăng tải trọng.",
            field="vehicles",
        )


def _time_limit(stops: int, time_limit_s: float | None) -> float:
    if time_limit_s is None:
        return min(WEB_TIME_LIMIT_S, 0.5 + 0.015 * stops)
    if not 0 < time_limit_s <= MAX_TIME_LIMIT_S:
        raise PickupRunError(f"Thời gian tìm lộ trình phải trong (0, {MAX_TIME_LIMIT_S:g}] giây.")
    return time_limit_s


def _solve(
    pickups: list[Pickup],
    *,
    depot: tuple[float, float],
    vehicles: int,
    capacity_kg: int,
    start_min: int,
    length_min: int,
    time_limit: float,
) -> RoutePlan:
    """PyVRP over the shops: the depot's window is the working day (start → start + length); shops have no
    opening hours on record, so they take the whole day."""
    home = Stop("depot", x=depot[1], y=depot[0], open=start_min * 60, close=(start_min + length_min) * 60)
    stops = [Stop(str(p.shop.pk), x=p.longitude, y=p.latitude, demand_kg=p.grams / 1000) for p in pickups]
    try:
        return plan_routes(
            depot=home,
            stops=stops,
            vehicles=vehicles,
            capacity=float(capacity_kg),
            time_limit=time_limit,
            max_duration=length_min / 60,
        )
    except RoutingError:
        raise PickupRunError(
            f"{vehicles} xe không kịp lấy hàng ở cả {len(pickups)} điểm trong {length_min // 60} giờ "
            f"{length_min % 60:02d} phút: thêm xe hoặc tăng số giờ tối đa.",
            field="vehicles",
        ) from None


def _runs_of(day: datetime.date, post_office: PickupPoint | None, cooperative: Producer | None) -> QuerySet[PickupRun]:
    if post_office is not None:
        return PickupRun.objects.filter(day=day, post_office=post_office)
    return PickupRun.objects.filter(day=day, cooperative=cooperative)


def _refuse_if_collected(day: datetime.date, post_office: PickupPoint | None, cooperative: Producer | None) -> None:
    if PickupStop.objects.filter(run__in=_runs_of(day, post_office, cooperative), collected_at__isnull=False).exists():
        raise PickupRunError(
            "Chuyến ngày này đã có điểm lấy hàng xong nên không lập lại được; hàng còn lại sẽ vào chuyến sau."
        )


def plan_pickup_run(
    *,
    actor: User,
    day: datetime.date,
    post_office: PickupPoint | None = None,
    cooperative: Producer | None = None,
    vehicles: int,
    capacity_kg: int,
    start: str = "07:30",
    max_duration_min: int | None = None,
    time_limit_s: float | None = None,
) -> PickupRun:
    """Plan and store the owner's run for `day`, replacing the one planned before (unless a stop of it was already
    collected). `time_limit_s` None: scaled to the number of stops, at most WEB_TIME_LIMIT_S."""
    _owner(post_office, cooperative)
    if not may_plan(actor=actor, post_office=post_office, cooperative=cooperative):
        raise NotAllowed("Bạn không có quyền lập chuyến lấy hàng cho nơi này.")
    start_min = _minutes(start)
    length = _check(
        day=day, vehicles=vehicles, capacity_kg=capacity_kg, start_min=start_min, max_duration_min=max_duration_min
    )
    _refuse_if_collected(day, post_office, cooperative)
    pickups = pickups_for(post_office=post_office, cooperative=cooperative)
    _check_loads(pickups, vehicles=vehicles, capacity_kg=capacity_kg)
    depot = depot_of(post_office=post_office, cooperative=cooperative)
    plan = _solve(
        pickups,
        depot=depot,
        vehicles=vehicles,
        capacity_kg=capacity_kg,
        start_min=start_min,
        length_min=length,
        time_limit=_time_limit(len(pickups), time_limit_s),
    )
    by_shop = {str(p.shop.pk): p for p in pickups}
    with transaction.atomic():
        if post_office is not None:  # one planner at a time per owner; the loser replaces the winner's run
            PickupPoint.objects.select_for_update().filter(pk=post_office.pk).first()
        else:
            Producer.objects.select_for_update().filter(pk=cooperative.pk).first()  # type: ignore[union-attr]
        _refuse_if_collected(day, post_office, cooperative)
        _runs_of(day, post_office, cooperative).delete()
        run = PickupRun.objects.create(
            day=day,
            post_office=post_office,
            cooperative=cooperative,
            depot_latitude=round(depot[0], 6),
            depot_longitude=round(depot[1], 6),
            vehicles=vehicles,
            capacity_kg=capacity_kg,
            start_min=start_min,
            max_duration_min=max_duration_min,
            distance_m=round(plan.total_distance * 1000),
            created_by=actor,
        )
        stops = []
        for route in plan.routes:
            for sequence, (shop_id, arrival) in enumerate(zip(route.stop_ids, route.arrivals or (), strict=True), 1):
                pickup = by_shop[shop_id]
                stops.append(
                    PickupStop(
                        run=run,
                        vehicle=route.vehicle,
                        sequence=sequence,
                        shop=pickup.shop,
                        parcels=pickup.parcels,
                        demand_g=pickup.grams,
                        latitude=round(pickup.latitude, 6),
                        longitude=round(pickup.longitude, 6),
                        source=pickup.source,
                        arrival_min=max(0, round(arrival / 60) - start_min),
                    )
                )
        PickupStop.objects.bulk_create(stops)
        audit.record(
            actor=actor,
            action=PLANNED,
            target=run,
            on_behalf_of=cooperative.owner if cooperative is not None else None,
            detail={
                "start": f"{start_min // 60:02d}:{start_min % 60:02d}",
                "stops": len(stops),
                "routes": len(plan.routes),
            },
        )
    return run


def mark_collected(*, actor: User, stop: PickupStop) -> PickupStop:
    """Record that the vehicle collected this producer's parcels. A second tap changes nothing."""
    with transaction.atomic():
        locked = PickupStop.objects.select_for_update().select_related("run").filter(pk=stop.pk).first()
        if locked is None:
            raise PickupRunError("Không tìm thấy điểm lấy hàng này (chuyến đã được lập lại?).")
        run = locked.run
        owner = run.cooperative if run.cooperative_id else None
        point = run.post_office if run.post_office_id else None
        if not may_plan(actor=actor, post_office=point, cooperative=owner):
            raise NotAllowed("Bạn không có quyền ghi nhận điểm lấy hàng này.")
        if run.day > timezone.localdate():
            raise PickupRunError(f"Chuyến này là của ngày {run.day:%d/%m}: chưa thể ghi đã lấy hàng.")
        if locked.collected_at is None:
            locked.collected_at = timezone.now()
            locked.save(update_fields=["collected_at"])
            audit.record(
                actor=actor,
                action=COLLECTED,
                target=locked,
                on_behalf_of=owner.owner if owner is not None else None,
                detail={"run": run.pk, "shop": locked.shop_id, "parcels": locked.parcels},
            )
    return locked
