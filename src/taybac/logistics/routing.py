"""Pickup-run routing: capacitated vehicle routes with time windows and a maximum duration, solved by PyVRP.

Why PyVRP: on CVRPLIB it lands within fractions of a percent of the best-known cost in seconds on one core, where
OR-Tools' guided local search stays several percent over (docs/performance.md). PyVRP works on integers, so
distances are scaled: metres for latitude/longitude (great-circle), thousandths of the file's unit for planar
coordinates; durations are seconds. Totals are reported back in km (geographic) or the file's unit (planar).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from taybac.core.errors import DomainError

Geometry = Literal["geo", "planar"]

MAX_STOPS = 2000  # two full int64 matrices of 2,001² take 64 MB: what a small server can spare for one plan
MAX_VEHICLES = 1000
MAX_TIME_LIMIT = 600.0  # seconds of search; a page or a CLI run should not hold a core longer
EARTH_RADIUS_M = 6_371_000.0
# Mountain roads: a documented average, not a measurement; used only to turn distance into travel time.
AVERAGE_SPEED_KMH = 30.0
SERVICE_SECONDS = 5 * 60  # time spent at each producer's stop (loading, paperwork)
PLANAR_SCALE = 1000  # planar distances are kept in thousandths of the file's unit
UNBOUNDED = 2**63 - 1  # PyVRP's own default for "no time window / no shift limit"
GRAMS_PER_KG = 1000  # demands and capacity in grams, so 0.5 kg is not rounded away


class RoutingError(DomainError):
    """A routing request that cannot be planned: bad input or an infeasible fleet. Message in Vietnamese."""

    code = "routing_invalid"


@dataclass(frozen=True)
class Stop:
    """One place to visit. For `geo`, x is the longitude and y the latitude; for `planar`, plain coordinates.
    `open`/`close` are seconds after midnight (a time window), or None for no window."""

    stop_id: str
    x: float
    y: float
    demand_kg: float = 0.0
    open: int | None = None
    close: int | None = None


@dataclass(frozen=True)
class PlannedRoute:
    """One vehicle's run: stop ids in visiting order (the depot is implied at both ends)."""

    vehicle: int
    stop_ids: tuple[str, ...]
    distance: float
    load_kg: float
    duration_seconds: int | None
    # Service start at each stop, seconds after midnight (timed plans only): the run sheet's estimated times.
    arrivals: tuple[int, ...] | None = None


@dataclass(frozen=True)
class RoutePlan:
    """Every stop on exactly one route; `total_distance` in `unit` (km, or the planar file's unit)."""

    routes: tuple[PlannedRoute, ...]
    total_distance: float
    unit: str


def _distance_matrix(points: Sequence[Stop], geometry: Geometry) -> np.ndarray:
    """Integer distance matrix: great-circle metres (haversine) or planar distance × PLANAR_SCALE."""
    x = np.array([p.x for p in points], dtype=float)
    y = np.array([p.y for p in points], dtype=float)
    if geometry == "geo":
        lon, lat = np.radians(x), np.radians(y)
        h = (
            np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
            + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2
        )
        metres = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    else:
        metres = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) * PLANAR_SCALE
    return np.rint(metres).astype(np.int64)


def _travel_seconds(metres: np.ndarray) -> np.ndarray:
    return np.rint(metres / (AVERAGE_SPEED_KMH * 1000 / 3600)).astype(np.int64)


def _grams(kg: float) -> int:
    return round(kg * GRAMS_PER_KG)


def _validate(
    *,
    depot: Stop,
    stops: Sequence[Stop],
    vehicles: int,
    capacity: float,
    time_limit: float,
    max_duration: float | None,
    geometry: Geometry,
) -> None:
    if not stops:
        raise RoutingError("Không có điểm lấy hàng nào ngoài điểm xuất phát (no stops besides the depot).")
    if len(stops) > MAX_STOPS:
        raise RoutingError(f"Quá nhiều điểm: {len(stops)}, tối đa {MAX_STOPS} (too many stops).")
    if not 1 <= vehicles <= MAX_VEHICLES:
        raise RoutingError(f"Số xe phải từ 1 đến {MAX_VEHICLES} (vehicles out of range).")
    if not (math.isfinite(capacity) and capacity > 0):
        raise RoutingError("Tải trọng xe phải lớn hơn 0 (capacity must be positive).")
    if not 0 < time_limit <= MAX_TIME_LIMIT:
        raise RoutingError(f"Thời gian tìm phải trong (0, {MAX_TIME_LIMIT:g}] giây (time limit out of range).")
    if max_duration is not None and not (math.isfinite(max_duration) and 0 < max_duration <= 24):
        raise RoutingError("Thời lượng tối đa của một chuyến phải trong (0, 24] giờ (max duration out of range).")
    has_windows = any(s.open is not None or s.close is not None for s in (depot, *stops))
    if geometry == "planar" and (has_windows or max_duration is not None):
        raise RoutingError(
            "Khung giờ và thời lượng tối đa cần toạ độ lat/lon (time windows and max duration need lat/lon)."
        )
    ids = [depot.stop_id, *(s.stop_id for s in stops)]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise RoutingError(f"Mã điểm bị trùng: {dup!r} (duplicate stop_id).")
    for s in stops:
        if s.demand_kg < 0 or not math.isfinite(s.demand_kg):
            raise RoutingError(f"Điểm {s.stop_id!r}: khối lượng không hợp lệ (invalid demand_kg).")
        if _grams(s.demand_kg) > _grams(capacity):
            raise RoutingError(
                f"Điểm {s.stop_id!r} nặng {s.demand_kg:g} kg, hơn tải trọng một xe {capacity:g} kg "
                "(a stop is heavier than a vehicle)."
            )
    total = sum(_grams(s.demand_kg) for s in stops)
    if total > vehicles * _grams(capacity):
        raise RoutingError(
            f"Tổng khối lượng {total / GRAMS_PER_KG:g} kg vượt sức chở của {vehicles} xe × {capacity:g} kg "
            "(infeasible fleet: total demand exceeds vehicles × capacity)."
        )


def plan_routes(
    *,
    depot: Stop,
    stops: Sequence[Stop],
    vehicles: int,
    capacity: float,
    time_limit: float,
    max_duration: float | None = None,
    seed: int = 0,
    geometry: Geometry = "geo",
) -> RoutePlan:
    """Plan routes from `depot` visiting every stop once with at most `vehicles` vehicles of `capacity` kg, each
    route within `max_duration` hours and every stop within its window; search for `time_limit` seconds.
    Raises RoutingError when the input is invalid or no feasible plan was found in the time given."""
    from pyvrp import Model, solve
    from pyvrp.exceptions import PenaltyBoundWarning
    from pyvrp.stop import MaxRuntime

    _validate(
        depot=depot,
        stops=stops,
        vehicles=vehicles,
        capacity=capacity,
        time_limit=time_limit,
        max_duration=max_duration,
        geometry=geometry,
    )
    timed = geometry == "geo" and (
        max_duration is not None or any(s.open is not None or s.close is not None for s in (depot, *stops))
    )
    points = [depot, *stops]
    model = Model()
    locations = [model.add_location(x=p.x, y=p.y, name=p.stop_id) for p in points]
    model.add_depot(locations[0])
    for point, location in zip(stops, locations[1:], strict=True):
        model.add_client(
            location,
            delivery=[_grams(point.demand_kg)],
            service_duration=SERVICE_SECONDS if timed else 0,
            tw_early=point.open if point.open is not None else 0,
            tw_late=point.close if point.close is not None else UNBOUNDED,
            name=point.stop_id,
        )
    model.add_vehicle_type(
        num_available=vehicles,
        capacity=[_grams(capacity)],
        tw_early=depot.open if depot.open is not None else 0,
        tw_late=depot.close if depot.close is not None else UNBOUNDED,
        shift_duration=round(max_duration * 3600) if max_duration is not None else UNBOUNDED,
    )
    distances = _distance_matrix(points, geometry)
    durations = _travel_seconds(distances) if timed else np.zeros_like(distances)
    # PyVRP's stubs type a matrix's shape as int, hence the ignore.
    data = model.data().replace(
        distance_matrices=[distances],  # type: ignore[list-item]
        duration_matrices=[durations],  # type: ignore[list-item]
    )
    with warnings.catch_warnings():
        # An infeasible request ends as a RoutingError below; PyVRP's penalty warning would only repeat it.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = solve(data, stop=MaxRuntime(time_limit), seed=seed, display=False)
    best = result.best
    if not best.is_feasible() or best.num_missing_clients() > 0:
        raise RoutingError(
            "Không tìm được lộ trình hợp lệ: thêm xe, nới khung giờ hoặc thời lượng tối đa, hay tìm lâu hơn "
            "(no feasible plan found: add vehicles, widen windows or max duration, or search longer)."
        )
    scale = 1000 if geometry == "geo" else PLANAR_SCALE  # metres → km; thousandths → file unit
    routes = []
    for number, route in enumerate(best.routes(), start=1):
        activities = [a for a in route if a.is_client()]
        visits = [stops[a.idx] for a in activities]
        routes.append(
            PlannedRoute(
                vehicle=number,
                stop_ids=tuple(s.stop_id for s in visits),
                distance=route.distance() / scale,
                load_kg=sum(_grams(s.demand_kg) for s in visits) / GRAMS_PER_KG,
                duration_seconds=route.duration() if timed else None,
                arrivals=tuple(a.start_time for a in activities) if timed else None,
            )
        )
    return RoutePlan(
        routes=tuple(routes), total_distance=best.distance() / scale, unit="km" if geometry == "geo" else ""
    )
