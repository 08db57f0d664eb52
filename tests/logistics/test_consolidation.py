"""Consolidation planner: hand-computed arithmetic, when pooling is refused or split, validation, the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from taybac.core.errors import DomainError
from taybac.logistics.consolidation import (
    Parcel,
    ZoneSplitRates,
    plan_consolidation,
    report_csv,
    report_rows,
    savings_percent,
    totals_by,
)

LAO_CAI, TUYEN_QUANG, HA_NOI = 15, 8, 1
DAY = date(2026, 12, 7)
RATES = ZoneSplitRates()


def parcel(pid: str, *, dest: int = HA_NOI, weight: int = 1000, office: str = "BD-SAPA", day: date = DAY) -> Parcel:
    return Parcel(
        parcel_id=pid,
        post_office=office,
        origin_province=LAO_CAI,
        origin_commune=2650,
        dest_province=dest,
        dest_commune=dest * 1000 + 1,
        weight_g=weight,
        ready_on=day,
    )


def test_default_split_prices_a_lone_parcel_exactly_as_the_checkout_fee() -> None:
    # 1.5 kg Lào Cai -> Hà Nội: checkout fee 35,000 + 9,000 = 44,000; line haul (35-18) + (9-4) = 22,000;
    # last mile at the same-province tariff 18,000 + 4,000 = 22,000.
    assert RATES.price(origin_province=LAO_CAI, dest_province=HA_NOI, dest_commune=1, weight_g=1500) == 44_000
    assert RATES.line_haul(origin_province=LAO_CAI, hub_province=HA_NOI, weight_g=1500) == 22_000
    assert RATES.last_mile(hub_province=HA_NOI, dest_province=HA_NOI, dest_commune=1, weight_g=1500) == 22_000


def test_two_parcels_nationwide_hand_computed() -> None:
    plan = plan_consolidation(parcels=[parcel("a"), parcel("b")], rates=RATES)
    (c,) = plan.consignments
    # alone 2 x 35,000; pooled 2 kg: line haul 17,000 + 5,000 x 1 extra kg = 22,000; last mile 2 x 18,000.
    assert (c.weight_g, c.cost_without, c.line_haul, c.last_mile) == (2000, 70_000, 22_000, 36_000)
    assert (c.cost_with, c.savings) == (58_000, 12_000)
    assert [p.parcel_id for p in c.parcels] == ["a", "b"] and plan.unpooled == ()


def test_two_parcels_inside_the_region_hand_computed() -> None:
    plan = plan_consolidation(parcels=[parcel("a", dest=TUYEN_QUANG), parcel("b", dest=TUYEN_QUANG)], rates=RATES)
    (c,) = plan.consignments
    # alone 2 x 25,000; line haul (25-18) + (6-4) x 1 = 9,000; last mile 2 x 18,000 -> 45,000; saves 5,000.
    assert (c.cost_without, c.cost_with, c.savings) == (50_000, 45_000, 5_000)


def test_light_parcels_share_the_first_kilogram() -> None:
    plan = plan_consolidation(parcels=[parcel(str(i), weight=100) for i in range(10)], rates=RATES)
    (c,) = plan.consignments
    # 10 x 35,000 alone; pooled 1 kg pays 17,000 line haul once + 10 x 18,000 last mile.
    assert (c.cost_without, c.cost_with, c.savings) == (350_000, 197_000, 153_000)
    assert savings_percent(totals=plan.totals()) == "43.7"


def test_one_parcel_is_never_a_consignment() -> None:
    plan = plan_consolidation(parcels=[parcel("a")], rates=RATES)
    assert plan.consignments == ()
    assert [(u.parcel.parcel_id, u.cost) for u in plan.unpooled] == [("a", 35_000)]
    assert plan.totals().savings == 0


def test_same_province_parcels_save_nothing_so_are_not_pooled() -> None:
    plan = plan_consolidation(parcels=[parcel("a", dest=LAO_CAI), parcel("b", dest=LAO_CAI)], rates=RATES)
    assert plan.consignments == () and len(plan.unpooled) == 2


def test_empty_input() -> None:
    plan = plan_consolidation(parcels=[], rates=RATES)
    assert plan.consignments == () and plan.unpooled == ()
    assert plan.totals().cost_without == 0 and savings_percent(totals=plan.totals()) == "0.0"
    assert report_csv(rows=report_rows(plans=[plan])).count("\n") == 1  # header only


def test_groups_by_day_office_and_destination() -> None:
    other_day = date(2026, 12, 8)
    parcels = [
        parcel("a"),
        parcel("b", day=other_day),  # alone that day
        parcel("c", office="BD-BATXAT"),  # alone at its office
        parcel("d", dest=TUYEN_QUANG),  # alone for its destination
        parcel("e"),
    ]
    plan = plan_consolidation(parcels=parcels, rates=RATES)
    assert [[p.parcel_id for p in c.parcels] for c in plan.consignments] == [["a", "e"]]
    # parcels sent alone: by day, post office, id
    assert [u.parcel.parcel_id for u in plan.unpooled] == ["c", "d", "b"]


@dataclass(frozen=True)
class SteppedRates:
    """A line haul that jumps above 5 kg: pooling everything would cost more than pooling part."""

    def price(self, *, origin_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int:
        return 9_000

    def line_haul(self, *, origin_province: int, hub_province: int, weight_g: int) -> int:
        return 10_000 if weight_g <= 5_000 else 100_000

    def last_mile(self, *, hub_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int:
        return 1_000


def test_a_group_that_would_cost_more_is_split() -> None:
    plan = plan_consolidation(parcels=[parcel(str(i), weight=2000) for i in range(5)], rates=SteppedRates())
    # 5 x 2 kg together: 100,000 + 5,000 > 45,000 alone. Pairs: 10,000 + 2,000 < 18,000 -> two pairs + one alone.
    assert [len(c.parcels) for c in plan.consignments] == [2, 2]
    assert all(c.savings == 6_000 for c in plan.consignments)
    assert len(plan.unpooled) == 1 and plan.totals().savings == 12_000


class RemoteCommuneRates(SteppedRates):
    """A costly last mile to commune 8002 (remote): pooling saves little on parcels going there."""

    def line_haul(self, *, origin_province: int, hub_province: int, weight_g: int) -> int:
        return 5_000 if weight_g <= 2_000 else 50_000

    def last_mile(self, *, hub_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int:
        return 9_500 if dest_commune == 8002 else 1_000


def test_the_parcels_pooling_helps_most_ride_first() -> None:
    remote = Parcel("a", "BD-SAPA", LAO_CAI, 2650, TUYEN_QUANG, 8002, 1000, DAY)
    plan = plan_consolidation(
        parcels=[remote, parcel("b", dest=TUYEN_QUANG), parcel("c", dest=TUYEN_QUANG)], rates=RemoteCommuneRates()
    )
    # b + c: 18,000 alone, 5,000 + 2 x 1,000 pooled -> saves 11,000 (a + b would save only 2,500; all three 50,000+).
    (c,) = plan.consignments
    assert [p.parcel_id for p in c.parcels] == ["b", "c"] and c.savings == 11_000
    assert [u.parcel.parcel_id for u in plan.unpooled] == ["a"]


def test_a_group_that_never_saves_is_left_unpooled() -> None:
    class Dear(SteppedRates):
        def line_haul(self, *, origin_province: int, hub_province: int, weight_g: int) -> int:
            return 50_000

    plan = plan_consolidation(parcels=[parcel(str(i)) for i in range(6)], rates=Dear())
    assert plan.consignments == () and plan.totals().cost_with == 6 * 9_000


def test_vehicle_payload_splits_movements() -> None:
    plan = plan_consolidation(
        parcels=[parcel(str(i), weight=2000) for i in range(3)], rates=RATES, max_consignment_g=5000
    )
    assert [c.weight_g for c in plan.consignments] == [4000]
    assert len(plan.unpooled) == 1


def test_hub_of_maps_several_provinces_to_one_hub() -> None:
    # Both parcels go through Tuyên Quang's hub; the Hà Nội one pays a last mile Tuyên Quang -> Hà Nội.
    plan = plan_consolidation(
        parcels=[parcel("a", dest=TUYEN_QUANG), parcel("b", dest=HA_NOI, weight=100)],
        rates=RATES,
        hub_of=lambda province: TUYEN_QUANG,
    )
    # alone 25,000 + 35,000 = 60,000; via the hub: line haul 1.1 kg 7,000 + 2,000 = 9,000, last miles
    # 18,000 (Tuyên Quang) + 35,000 (Tuyên Quang -> Hà Nội) = 62,000: dearer, so not pooled.
    assert plan.consignments == ()
    assert (plan.totals().cost_without, plan.totals().cost_with) == (60_000, 60_000)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ([parcel("a", weight=0)], "weight_g"),
        ([parcel("a", weight=100_001)], "weight_g"),
        ([parcel("a"), parcel("a")], "parcel_id"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(bad: list[Parcel], field: str) -> None:
    with pytest.raises(DomainError) as caught:
        plan_consolidation(parcels=bad, rates=RATES)
    assert caught.value.field == field and "Bưu kiện" in caught.value.message


def test_one_office_cannot_have_two_origin_provinces() -> None:
    odd = Parcel("b", "BD-SAPA", HA_NOI, 1, HA_NOI, 1, 500, DAY)
    with pytest.raises(DomainError, match="hai tỉnh gửi"):
        plan_consolidation(parcels=[parcel("a"), odd], rates=RATES)


def test_totals_per_office_and_report_by_province_and_month() -> None:
    parcels = [parcel("a"), parcel("b"), parcel("c", office="BD-BATXAT"), parcel("d", day=date(2027, 1, 2))]
    plan = plan_consolidation(parcels=parcels, rates=RATES)
    per_office = totals_by(plan=plan, key=lambda _day, office, _province: office)
    assert per_office["BD-SAPA"].savings == 12_000 and per_office["BD-BATXAT"].savings == 0
    rows = report_rows(plans=[plan], province_names={LAO_CAI: "Lào Cai"})
    assert [(r.month, r.province_name, r.totals.parcels, r.totals.savings) for r in rows] == [
        ("2026-12", "Lào Cai", 3, 12_000),
        ("2027-01", "Lào Cai", 1, 0),
    ]
    lines = report_csv(rows=rows).splitlines()
    assert lines[0].startswith("thang,ma_tinh,tinh,so_buu_kien")
    assert lines[1] == "2026-12,15,Lào Cai,3,2,1,3000,105000,93000,12000,11.4"


def test_savings_percent_rounds_half_up() -> None:
    from taybac.logistics.consolidation import Totals

    assert savings_percent(totals=Totals(cost_without=1000, cost_with=999)) == "0.1"
    assert savings_percent(totals=Totals(cost_without=2000, cost_with=1999)) == "0.1"  # 0.05 -> 0.1
    assert savings_percent(totals=Totals(cost_without=3, cost_with=2)) == "33.3"
