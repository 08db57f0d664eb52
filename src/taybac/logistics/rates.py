"""Rate-table arithmetic of the hub's own network, on plain values (no queries), so it is tested exhaustively.

Rounding: percentages are in basis points (1/100 of a percent) and every fee is rounded UP to the whole đồng
(integer ceiling division), so the hub never undercharges by a fraction; a COD fee is never below its minimum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from taybac.logistics.models import Zone


@dataclass(frozen=True)
class Band:
    zone: str
    from_g: int
    to_g: int | None
    base_fee: int
    step_g: int = 500
    step_fee: int = 0

    def fee(self, weight_g: int) -> int:
        steps = -(-(weight_g - self.from_g) // self.step_g) if self.step_fee else 0
        return self.base_fee + self.step_fee * max(0, steps)

    def covers(self, weight_g: int) -> bool:
        lower_ok = weight_g > self.from_g or self.from_g == 0
        return lower_ok and (self.to_g is None or weight_g <= self.to_g)


@dataclass(frozen=True)
class Table:
    bands: tuple[Band, ...]
    etas: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    cod_percent_bp: int = 0
    cod_min_fee: int = 0
    insurance_free_value: int = 0
    insurance_percent_bp: int = 0
    remote_surcharge: int = 0


@dataclass(frozen=True)
class Price:
    fee: int
    cod_fee: int
    insurance_fee: int
    surcharge: int
    eta_days_min: int
    eta_days_max: int

    @property
    def total(self) -> int:
        return self.fee + self.cod_fee + self.insurance_fee + self.surcharge


class NoRate(ValueError):
    """The table has no band for this zone and weight (an incomplete table the admin would have refused)."""


def zone_for(
    *, from_province: int, from_commune: int | None, to_province: int, to_commune: int | None, to_in_region: bool
) -> Zone:
    """Same commune, same province, the destination in the hub's region, else nationwide.

    As in orders/shipping.py, "region" looks at the destination only: every sender is in the region.
    """
    if from_commune is not None and from_commune == to_commune:
        return Zone.SAME_COMMUNE
    if from_province == to_province:
        return Zone.SAME_PROVINCE
    return Zone.REGION if to_in_region else Zone.NATIONWIDE


def _percent_up(amount: int, basis_points: int) -> int:
    return -(-amount * basis_points // 10_000)


def shipping_fee(table: Table, *, zone: str, weight_g: int) -> int:
    for band in table.bands:
        if band.zone == zone and band.covers(weight_g):
            return band.fee(weight_g)
    raise NoRate(f"no band for {zone} at {weight_g} g")


def cod_fee(table: Table, *, cod_amount: int) -> int:
    """Nothing when nothing is collected; else the percentage rounded up, at least the minimum."""
    if cod_amount <= 0:
        return 0
    return max(table.cod_min_fee, _percent_up(cod_amount, table.cod_percent_bp))


def insurance_fee(table: Table, *, value: int) -> int:
    """The percentage of the whole declared value once it is above the free threshold."""
    if value <= table.insurance_free_value:
        return 0
    return _percent_up(value, table.insurance_percent_bp)


def price(table: Table, *, zone: str, weight_g: int, value: int, cod_amount: int, remote: bool) -> Price:
    days_min, days_max = table.etas.get(zone, (1, 5))
    return Price(
        fee=shipping_fee(table, zone=zone, weight_g=weight_g),
        cod_fee=cod_fee(table, cod_amount=cod_amount),
        insurance_fee=insurance_fee(table, value=value),
        surcharge=table.remote_surcharge if remote else 0,
        eta_days_min=days_min,
        eta_days_max=days_max,
    )


def band_problems(bands: Iterable[Band]) -> list[str]:
    """Why a zone's bands are not a usable price list (Vietnamese, for the admin form); empty when fine.

    Per zone: starts at 0 g, no gap, no overlap, ends without an upper limit, and a heavier parcel never
    costs less (each band starts at or above the price the band before it ends on).
    """
    problems: list[str] = []
    by_zone: dict[str, list[Band]] = {}
    for band in bands:
        by_zone.setdefault(band.zone, []).append(band)
    labels = dict(Zone.choices)
    for zone, zone_bands in sorted(by_zone.items()):
        label = labels.get(zone, zone)
        zone_bands.sort(key=lambda b: b.from_g)
        for band in zone_bands:
            if band.to_g is not None and band.to_g <= band.from_g:
                problems.append(f"{label}: khung từ {band.from_g} g phải kết thúc ở khối lượng lớn hơn.")
            if band.step_g <= 0:
                problems.append(f"{label}: bước khối lượng phải lớn hơn 0 g.")
        if zone_bands[0].from_g != 0:
            problems.append(f"{label}: khung đầu tiên phải bắt đầu từ 0 g.")
        for before, after in pairwise(zone_bands):
            if before.to_g is None or before.to_g > after.from_g:
                problems.append(f"{label}: khung từ {after.from_g} g chồng lên khung trước.")
            elif before.to_g < after.from_g:
                problems.append(f"{label}: thiếu khung từ {before.to_g} g đến {after.from_g} g.")
            elif after.fee(after.from_g + 1) < before.fee(before.to_g):
                problems.append(
                    f"{label}: khung từ {after.from_g} g rẻ hơn khung trước (hàng nặng hơn phải không rẻ hơn)."
                )
        if zone_bands[-1].to_g is not None:
            problems.append(f"{label}: khung cuối cùng phải để trống 'đến (g)' (không giới hạn).")
    missing = [labels[z] for z in Zone.values if z not in by_zone]
    if missing:
        problems.append("Thiếu khung khối lượng cho: " + ", ".join(missing) + ".")
    return problems
