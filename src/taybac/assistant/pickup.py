"""Pickup points for ordering in the chat: the active points nearest the buyer's commune (or in their province),
offered as a numbered list to choose from, as the checkout page offers them.

Distance is the great-circle distance between commune reference points (logistics.legacy_address's coordinates,
logistics.pickup_runs_selectors.distance_km, the pickup-run routing's own measure); a point in the buyer's own
commune comes first. Only points in the buyer's province are offered: the cart quote refuses a point outside it.
"""

from __future__ import annotations

from taybac.core.errors import DomainError
from taybac.core.text import fold_words
from taybac.logistics.legacy_address import commune_coordinates
from taybac.logistics.pickup_runs_selectors import distance_km
from taybac.regions.models import PickupPoint

OFFERED = 3  # points listed in one chat bubble
SCANNED = 300  # active points of one province looked at (the checkout page shows at most as many)


def _distance(origin: tuple[float, float] | None, point: PickupPoint) -> float:
    if origin is None:
        return 0.0
    try:
        there = commune_coordinates(point.address.commune_id)
    except DomainError:
        there = None
    return distance_km(a=origin, b=there) if there else float("inf")


def nearest(*, province_code: int, commune_code: int | None) -> list[PickupPoint]:
    """Up to OFFERED active points of the province: the buyer's commune first, then by distance, then by name."""
    points = list(
        PickupPoint.objects.filter(is_active=True, address__province_id=province_code)
        .select_related("address__commune")
        .order_by("name")[:SCANNED]
    )
    origin = None
    if commune_code is not None:
        try:
            origin = commune_coordinates(commune_code)
        except DomainError:
            origin = None
    points.sort(key=lambda p: (p.address.commune_id != commune_code, _distance(origin, p)))
    return points[:OFFERED]


def by_codes(codes: list[str]) -> list[PickupPoint]:
    """The active points with these codes, in the order given (a point closed since it was listed drops out)."""
    found = {p.code: p for p in PickupPoint.objects.filter(code__in=codes, is_active=True).select_related("address")}
    return [found[c] for c in codes if c in found]


def named_in(text: str, points: list[PickupPoint]) -> PickupPoint | None:
    """The one point whose name the message holds ("bưu điện phường Sa Pa"), else None."""
    folded = f" {' '.join(fold_words(text))} "
    named = [p for p in points if f" {' '.join(fold_words(p.name))} " in folded]
    return named[0] if len(named) == 1 else None


def describe(point: PickupPoint) -> str:
    hours = f" (mở cửa {point.opening_hours})" if point.opening_hours else ""
    return f"{point.name}: {point.address.street}{hours}"
