"""Properties of the consolidation planner over random parcels and random (even perverse) rate plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from taybac.logistics.consolidation import Parcel, Plan, RatePlan, ZoneSplitRates, plan_consolidation, totals_by

OFFICES = {"BD-A": 15, "BD-B": 15, "BD-C": 8}
DESTS = [1, 8, 15, 79]


@st.composite
def parcel_lists(draw: st.DrawFn) -> list[Parcel]:
    n = draw(st.integers(min_value=0, max_value=40))
    out = []
    for i in range(n):
        office = draw(st.sampled_from(sorted(OFFICES)))
        dest = draw(st.sampled_from(DESTS))
        out.append(
            Parcel(
                parcel_id=f"p{i}",
                post_office=office,
                origin_province=OFFICES[office],
                origin_commune=1,
                dest_province=dest,
                dest_commune=dest * 10 + draw(st.integers(0, 3)),
                weight_g=draw(st.integers(min_value=1, max_value=30_000)),
                ready_on=date(2026, 12, 1) + timedelta(days=draw(st.integers(0, 2))),
            )
        )
    return out


@dataclass(frozen=True)
class RandomRates:
    """Arbitrary linear-with-step prices: line haul may be dearer than sending alone."""

    base: int
    per_kg: int
    haul_fixed: int
    haul_per_kg: int
    mile: int

    def price(self, *, origin_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int:
        return self.base + self.per_kg * (weight_g // 1000) + (dest_province % 7) * 100

    def line_haul(self, *, origin_province: int, hub_province: int, weight_g: int) -> int:
        return self.haul_fixed + self.haul_per_kg * (-(-weight_g // 1000))

    def last_mile(self, *, hub_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int:
        return self.mile + (dest_commune % 3) * 500


rate_plans = st.one_of(
    st.just(ZoneSplitRates()),
    st.builds(
        RandomRates,
        base=st.integers(0, 50_000),
        per_kg=st.integers(0, 10_000),
        haul_fixed=st.integers(0, 80_000),
        haul_per_kg=st.integers(0, 10_000),
        mile=st.integers(0, 40_000),
    ),
)
capacities = st.sampled_from([30_000, 60_000, 300_000])


def _check(parcels: list[Parcel], plan: Plan, rates: RatePlan) -> None:
    # every parcel exactly once, pooled or alone
    ids = [p.parcel_id for c in plan.consignments for p in c.parcels] + [u.parcel.parcel_id for u in plan.unpooled]
    assert sorted(ids) == sorted(p.parcel_id for p in parcels)
    for c in plan.consignments:
        assert len(c.parcels) >= 2 and c.savings > 0
        assert c.weight_g == sum(p.weight_g for p in c.parcels)
        assert {(p.ready_on, p.post_office, p.dest_province) for p in c.parcels} == {
            (c.ready_on, c.post_office, c.hub_province)
        }
        alone = sum(
            rates.price(
                origin_province=p.origin_province,
                dest_province=p.dest_province,
                dest_commune=p.dest_commune,
                weight_g=p.weight_g,
            )
            for p in c.parcels
        )
        assert c.cost_without == alone
    for u in plan.unpooled:
        p = u.parcel
        assert u.cost == rates.price(
            origin_province=p.origin_province,
            dest_province=p.dest_province,
            dest_commune=p.dest_commune,
            weight_g=p.weight_g,
        )
    totals = plan.totals()
    assert totals.parcels == len(parcels)
    assert totals.weight_g == sum(p.weight_g for p in parcels)
    assert totals.savings == sum(c.savings for c in plan.consignments) >= 0
    assert totals.cost_with == sum(c.cost_with for c in plan.consignments) + sum(u.cost for u in plan.unpooled)
    # grouped totals add up to the plan's totals
    for key in (lambda d, o, p: d, lambda d, o, p: o, lambda d, o, p: p):
        parts = totals_by(plan=plan, key=key).values()
        assert sum(t.cost_without for t in parts) == totals.cost_without
        assert sum(t.savings for t in parts) == totals.savings
        assert sum(t.parcels for t in parts) == totals.parcels


@settings(max_examples=200, deadline=None)
@given(parcels=parcel_lists(), rates=rate_plans, capacity=capacities)
def test_plan_invariants(parcels: list[Parcel], rates: RatePlan, capacity: int) -> None:
    plan = plan_consolidation(parcels=parcels, rates=rates, max_consignment_g=capacity)
    _check(parcels, plan, rates)
    for c in plan.consignments:
        assert c.weight_g <= capacity


@settings(max_examples=100, deadline=None)
@given(parcels=parcel_lists(), rates=rate_plans, data=st.data())
def test_plan_is_deterministic_whatever_the_input_order(
    parcels: list[Parcel], rates: RatePlan, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(parcels))
    assert plan_consolidation(parcels=parcels, rates=rates) == plan_consolidation(parcels=shuffled, rates=rates)


@settings(max_examples=100, deadline=None)
@given(parcels=parcel_lists())
def test_default_rates_never_cost_more_than_checkout_fees(parcels: list[Parcel]) -> None:
    # The default split prices a parcel alone exactly as the checkout fee, so a plan is never dearer.
    rates = ZoneSplitRates()
    for p in parcels:
        lone = rates.line_haul(origin_province=p.origin_province, hub_province=p.dest_province, weight_g=p.weight_g)
        lone += rates.last_mile(
            hub_province=p.dest_province,
            dest_province=p.dest_province,
            dest_commune=p.dest_commune,
            weight_g=p.weight_g,
        )
        assert lone == rates.price(
            origin_province=p.origin_province,
            dest_province=p.dest_province,
            dest_commune=p.dest_commune,
            weight_g=p.weight_g,
        )
    plan = plan_consolidation(parcels=parcels, rates=rates)
    assert plan.totals().cost_with <= plan.totals().cost_without


@settings(max_examples=100, deadline=None)
@given(parcels=parcel_lists())
def test_default_rates_pool_every_group_whole(parcels: list[Parcel]) -> None:
    # Each added parcel saves the zone's fixed line-haul part minus at most one started kilogram's premium
    # (17,000 − 5,000 nationwide, 7,000 − 2,000 in the region), so a group bound elsewhere goes as one consignment.
    plan = plan_consolidation(parcels=parcels, rates=ZoneSplitRates(), max_consignment_g=10_000_000)
    groups: dict[tuple[date, str, int], int] = {}
    for p in parcels:
        key = (p.ready_on, p.post_office, p.dest_province)
        groups[key] = groups.get(key, 0) + 1
    expected = sorted(n for (_, office, dest), n in groups.items() if n >= 2 and dest != OFFICES[office])
    assert sorted(len(c.parcels) for c in plan.consignments) == expected
