"""Consolidation planner: pool the day's parcels at a commune post office into consignments to a regional hub.

Pure domain code (no models, no database): the scheduled job and the operator page feed it plain `Parcel`
records and store or show what it returns. A consignment is ONE carrier movement post office → regional hub
(line haul, priced on the consignment's total weight) followed by one last-mile leg per parcel from the hub.

Destination area: the destination province's regional hub. By default each province is its own hub area
(`hub_of` is the identity: the provincial sorting centre), so parcels are grouped per
(ready day, post office, destination province). A caller may pass `hub_of` to map several provinces to one hub;
the last-mile leg is then priced hub province → destination province.

Costs come from an injected `RatePlan`; `ZoneSplitRates` derives one from orders/shipping.py's zone/weight table
until the carriers' rate tables replace it. Every figure is integer đồng and computed, never a percentage.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TypeVar

from taybac.core.errors import DomainError
from taybac.orders.shipping import ZoneWeightRates
from taybac.regions.data import REGION_PROVINCES

MAX_PARCELS = 200_000  # one planning run; the daily job plans one day, far below this
MAX_PARCEL_G = 100_000  # 100 kg: heavier goods are freight, not parcels
DEFAULT_MAX_CONSIGNMENT_G = 300_000  # a small truck's payload per movement

K = TypeVar("K")


class RatePlan(Protocol):
    """Prices in integer đồng; the carriers' rate tables implement the same three calls."""

    def price(self, *, origin_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int: ...

    def line_haul(self, *, origin_province: int, hub_province: int, weight_g: int) -> int: ...

    def last_mile(self, *, hub_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int: ...


def _started_kg(weight_g: int) -> int:
    return -(-weight_g // 1000)


@dataclass(frozen=True)
class ZoneSplitRates:
    """orders/shipping.py's zone/weight fee split into a line-haul premium and a last-mile leg.

    A parcel priced alone pays `first + extra × extra_kg` for its zone. The same-province tariff is the last
    mile (hub → commune inside the destination province); what the zone charges above it is the line-haul
    premium: a fixed part `first_zone − first_same` per movement and `extra_zone − extra_same` per extra kg.
    So a parcel alone costs exactly `line_haul(its weight) + last_mile(its weight)`. A consignment pays the
    fixed part once and the per-kg part on its pooled weight's started kilograms beyond the first.
    """

    table: ZoneWeightRates = field(default_factory=ZoneWeightRates)
    region: frozenset[int] = frozenset(REGION_PROVINCES)

    def _zone(self, origin: int, dest: int) -> tuple[int, int]:
        if origin == dest:
            return self.table.same_province
        return self.table.same_region if dest in self.region else self.table.nationwide

    def price(self, *, origin_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int:
        """Checkout's fee; it has no remote-commune surcharge, so `dest_commune` changes nothing here."""
        return self.table.fee(
            from_province=origin_province,
            to_province=dest_province,
            to_in_region=dest_province in self.region,
            weight_grams=weight_g,
        )

    def line_haul(self, *, origin_province: int, hub_province: int, weight_g: int) -> int:
        first, extra = self._zone(origin_province, hub_province)
        same_first, same_extra = self.table.same_province
        extra_kg = max(0, _started_kg(weight_g) - 1)
        return (first - same_first) + (extra - same_extra) * extra_kg

    def last_mile(self, *, hub_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int:
        return self.price(
            origin_province=hub_province, dest_province=dest_province, dest_commune=dest_commune, weight_g=weight_g
        )


@dataclass(frozen=True)
class Parcel:
    """A parcel waiting at a post office (`post_office` is regions.PickupPoint.code)."""

    parcel_id: str
    post_office: str
    origin_province: int
    origin_commune: int
    dest_province: int
    dest_commune: int
    weight_g: int
    ready_on: date


@dataclass(frozen=True)
class Consignment:
    """One movement post office → hub carrying two or more parcels, cheaper than sending them alone."""

    ready_on: date
    post_office: str
    origin_province: int
    hub_province: int
    parcels: tuple[Parcel, ...]
    weight_g: int
    line_haul: int
    last_mile: int
    cost_without: int

    @property
    def cost_with(self) -> int:
        return self.line_haul + self.last_mile

    @property
    def savings(self) -> int:
        return self.cost_without - self.cost_with


@dataclass(frozen=True)
class Unpooled:
    """A parcel sent alone: no pooling would save money on it."""

    parcel: Parcel
    cost: int


@dataclass(frozen=True)
class Totals:
    parcels: int = 0
    pooled_parcels: int = 0
    consignments: int = 0
    weight_g: int = 0
    cost_without: int = 0
    cost_with: int = 0

    @property
    def savings(self) -> int:
        return self.cost_without - self.cost_with

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.parcels + other.parcels,
            self.pooled_parcels + other.pooled_parcels,
            self.consignments + other.consignments,
            self.weight_g + other.weight_g,
            self.cost_without + other.cost_without,
            self.cost_with + other.cost_with,
        )


@dataclass(frozen=True)
class Plan:
    consignments: tuple[Consignment, ...]
    unpooled: tuple[Unpooled, ...]

    def totals(self) -> Totals:
        """Every parcel counted once: pooled ones at their consignment's cost, the rest at their own price."""
        return sum((_consignment_totals(c) for c in self.consignments), Totals()) + sum(
            (_unpooled_totals(u) for u in self.unpooled), Totals()
        )


def _consignment_totals(c: Consignment) -> Totals:
    n = len(c.parcels)
    return Totals(n, n, 1, c.weight_g, c.cost_without, c.cost_with)


def _unpooled_totals(u: Unpooled) -> Totals:
    return Totals(1, 0, 0, u.parcel.weight_g, u.cost, u.cost)


def _validate(parcels: list[Parcel], max_consignment_g: int) -> None:
    if len(parcels) > MAX_PARCELS:
        raise DomainError(f"Quá nhiều bưu kiện cho một lần lập kế hoạch (tối đa {MAX_PARCELS:,}).", code="too_many")
    if max_consignment_g < 1:
        raise DomainError("Tải trọng tối đa của chuyến gom phải lớn hơn 0.", field="max_consignment_g")
    seen: set[str] = set()
    origin_of: dict[str, int] = {}
    for p in parcels:
        if p.parcel_id in seen:
            raise DomainError(f"Bưu kiện {p.parcel_id} xuất hiện hai lần.", field="parcel_id", code="duplicate")
        seen.add(p.parcel_id)
        if not 0 < p.weight_g <= min(MAX_PARCEL_G, max_consignment_g):
            raise DomainError(
                f"Bưu kiện {p.parcel_id}: khối lượng phải từ 1 g đến {min(MAX_PARCEL_G, max_consignment_g):,} g.",
                field="weight_g",
            )
        if origin_of.setdefault(p.post_office, p.origin_province) != p.origin_province:
            raise DomainError(
                f"Bưu cục {p.post_office} có bưu kiện ghi hai tỉnh gửi khác nhau.", field="origin_province"
            )


def _bins(parcels: list[Parcel], capacity_g: int) -> list[list[Parcel]]:
    """First-fit decreasing: keeps each movement within the vehicle's payload, deterministic by input order."""
    bins: list[list[Parcel]] = []
    loads: list[int] = []
    for p in parcels:
        for i, load in enumerate(loads):
            if load + p.weight_g <= capacity_g:
                bins[i].append(p)
                loads[i] += p.weight_g
                break
        else:
            bins.append([p])
            loads.append(p.weight_g)
    return bins


def _best_consignment(
    candidates: list[Parcel], alone: Mapping[str, int], legs: Mapping[str, int], hub: int, rates: RatePlan
) -> tuple[int, int] | None:
    """(k, line-haul) for the prefix of `candidates` with the largest positive saving, or None."""
    best: tuple[int, int, int] | None = None  # (saving, k, line_haul)
    weight = without = last = 0
    for k, p in enumerate(candidates, start=1):
        weight += p.weight_g
        without += alone[p.parcel_id]
        last += legs[p.parcel_id]
        if k < 2:
            continue
        haul = rates.line_haul(origin_province=p.origin_province, hub_province=hub, weight_g=weight)
        saving = without - haul - last
        if saving > 0 and (best is None or saving >= best[0]):
            best = (saving, k, haul)
    return None if best is None else (best[1], best[2])


def plan_consolidation(
    *,
    parcels: Iterable[Parcel],
    rates: RatePlan,
    hub_of: Callable[[int], int] | None = None,
    max_consignment_g: int = DEFAULT_MAX_CONSIGNMENT_G,
) -> Plan:
    """Group each day's parcels per post office and hub area into consignments that save money.

    Within a (day, post office, hub) group, parcels are packed into vehicle loads (heaviest first); in each
    load, parcels are ranked by what pooling can save on them (their own price minus their last-mile leg,
    highest first) and the prefix with the largest positive saving becomes a consignment; the rest are tried
    again, and whatever cannot save is sent alone. A consignment never has one parcel and never costs more.
    The output order is deterministic: by day, post office, hub, then the parcels' ranking.
    """
    items = list(parcels)
    _validate(items, max_consignment_g)
    hub_for = hub_of or (lambda province: province)
    groups: dict[tuple[date, str, int], list[Parcel]] = defaultdict(list)
    for p in items:
        groups[(p.ready_on, p.post_office, hub_for(p.dest_province))].append(p)

    consignments: list[Consignment] = []
    unpooled: list[Unpooled] = []
    for (day, office, hub), members in sorted(groups.items()):
        alone = {
            p.parcel_id: rates.price(
                origin_province=p.origin_province,
                dest_province=p.dest_province,
                dest_commune=p.dest_commune,
                weight_g=p.weight_g,
            )
            for p in members
        }
        legs = {
            p.parcel_id: rates.last_mile(
                hub_province=hub, dest_province=p.dest_province, dest_commune=p.dest_commune, weight_g=p.weight_g
            )
            for p in members
        }
        members.sort(key=lambda p: (-p.weight_g, p.parcel_id))
        for load in _bins(members, max_consignment_g):
            remaining = sorted(load, key=lambda p: (legs[p.parcel_id] - alone[p.parcel_id], p.parcel_id))
            while len(remaining) >= 2 and (found := _best_consignment(remaining, alone, legs, hub, rates)):
                k, haul = found
                chosen, remaining = tuple(remaining[:k]), remaining[k:]
                consignments.append(
                    Consignment(
                        ready_on=day,
                        post_office=office,
                        origin_province=chosen[0].origin_province,
                        hub_province=hub,
                        parcels=chosen,
                        weight_g=sum(p.weight_g for p in chosen),
                        line_haul=haul,
                        last_mile=sum(legs[p.parcel_id] for p in chosen),
                        cost_without=sum(alone[p.parcel_id] for p in chosen),
                    )
                )
            unpooled.extend(Unpooled(parcel=p, cost=alone[p.parcel_id]) for p in remaining)
    unpooled.sort(key=lambda u: (u.parcel.ready_on, u.parcel.post_office, u.parcel.parcel_id))
    return Plan(consignments=tuple(consignments), unpooled=tuple(unpooled))


def totals_by(*, plan: Plan, key: Callable[[date, str, int], K]) -> dict[K, Totals]:
    """Totals grouped by `key(day, post_office, origin_province)`, e.g. per post office, province or day.

    Keys come in plan order (consignments first, then parcels sent alone), which is deterministic.
    """
    out: dict[K, Totals] = defaultdict(Totals)
    for c in plan.consignments:
        k = key(c.ready_on, c.post_office, c.origin_province)
        out[k] = out[k] + _consignment_totals(c)
    for u in plan.unpooled:
        k = key(u.parcel.ready_on, u.parcel.post_office, u.parcel.origin_province)
        out[k] = out[k] + _unpooled_totals(u)
    return dict(out)


def savings_percent(*, totals: Totals) -> str:
    """Savings as a share of the unpooled cost, one decimal, rounded half up from integers ("31.4")."""
    if totals.cost_without <= 0:
        return "0.0"
    tenths = (totals.savings * 1000 * 2 + totals.cost_without) // (2 * totals.cost_without)
    return f"{tenths // 10}.{tenths % 10}"


@dataclass(frozen=True)
class ReportRow:
    """One line of the operator/officer report: an origin province in a month."""

    month: str  # "2026-12"
    province: int
    province_name: str
    totals: Totals


def report_rows(*, plans: Iterable[Plan], province_names: Mapping[int, str] | None = None) -> list[ReportRow]:
    """Rows by origin province (the post office's) and month, ordered by month then province code."""
    names = province_names or {}
    merged: dict[tuple[str, int], Totals] = defaultdict(Totals)
    for plan in plans:
        for k, t in totals_by(plan=plan, key=lambda day, _office, province: (f"{day:%Y-%m}", province)).items():
            merged[k] = merged[k] + t
    return [
        ReportRow(month=month, province=province, province_name=names.get(province, str(province)), totals=t)
        for (month, province), t in sorted(merged.items())
    ]


REPORT_HEADER = (
    "thang",
    "ma_tinh",
    "tinh",
    "so_buu_kien",
    "so_buu_kien_gom",
    "so_chuyen_gom",
    "khoi_luong_g",
    "cuoc_khong_gom_dong",
    "cuoc_co_gom_dong",
    "tiet_kiem_dong",
    "tiet_kiem_phan_tram",
)


def report_csv(*, rows: Iterable[ReportRow]) -> str:
    """The report as CSV text (UTF-8, comma-separated, header first): what the officer downloads."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REPORT_HEADER)
    for r in rows:
        t = r.totals
        writer.writerow(
            (
                r.month,
                r.province,
                r.province_name,
                t.parcels,
                t.pooled_parcels,
                t.consignments,
                t.weight_g,
                t.cost_without,
                t.cost_with,
                t.savings,
                savings_percent(totals=t),
            )
        )
    return buffer.getvalue()
