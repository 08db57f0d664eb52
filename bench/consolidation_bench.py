"""Consolidation planner on 10,000 synthetic orders: planning time and the savings pooling finds.

    .venv/bin/python bench/consolidation_bench.py [--orders 10000] [--days 7] [--offices 20] [--seed 13]
                                                  [--repeat 5]

Synthetic but shaped like the hub's traffic: parcels are dropped at `--offices` commune post offices in each of
the 9 region provinces (real 2025 communes from the vietnam-provinces package, chosen by seed), over `--days`
days, bound for all 34 provinces (Hà Nội 25 %, Hồ Chí Minh City 15 %, the region's provinces 25 %, the other
23 provinces share the remaining 35 %) and a random commune there. Weights are log-normal (median ≈ 1.1 kg: tea,
honey, dried meat), clamped to 100 g–20 kg.

Prices come from the planner's default rate plan (ZoneSplitRates: the checkout's zone/weight fee, split into
line haul and last mile — see docs/logistics.md). Baseline in the same run: the naive pass that prices every
parcel alone with the same rate plan (what shipping costs today); the ratio says how many times longer planning
takes. No database is needed.
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from vietnam_provinces import Province as VpProvince
from vietnam_provinces import Ward as VpWard

from taybac.logistics.consolidation import (
    Parcel,
    ZoneSplitRates,
    plan_consolidation,
    savings_percent,
)
from taybac.regions.data import REGION_PROVINCES

HA_NOI, HO_CHI_MINH = 1, 79
FIRST_DAY = date(2026, 12, 1)
T = TypeVar("T")


def synthetic_parcels(*, orders: int, days: int, offices_per_province: int, seed: int) -> list[Parcel]:
    rng = random.Random(seed)
    communes: dict[int, list[int]] = defaultdict(list)
    for ward in VpWard.iter_all():
        communes[int(ward.province_code)].append(int(ward.code))
    provinces = sorted(int(p.code) for p in VpProvince.iter_all())
    offices = [
        (f"BD-{province}-{commune}", province, commune)
        for province in sorted(REGION_PROVINCES)
        for commune in rng.sample(sorted(communes[province]), min(offices_per_province, len(communes[province])))
    ]
    region = sorted(REGION_PROVINCES)
    others = [p for p in provinces if p not in REGION_PROVINCES and p not in (HA_NOI, HO_CHI_MINH)]
    weights = [25.0, 15.0] + [25.0 / len(region)] * len(region) + [35.0 / len(others)] * len(others)
    destinations = [HA_NOI, HO_CHI_MINH, *region, *others]
    parcels = []
    for i in range(orders):
        office, province, commune = rng.choice(offices)
        dest = rng.choices(destinations, weights)[0]
        weight = min(20_000, max(100, round(math.exp(rng.gauss(math.log(1100), 0.8)))))
        parcels.append(
            Parcel(
                parcel_id=f"P{i:06d}",
                post_office=office,
                origin_province=province,
                origin_commune=commune,
                dest_province=dest,
                dest_commune=rng.choice(communes[dest]),
                weight_g=weight,
                ready_on=FIRST_DAY + timedelta(days=rng.randrange(days)),
            )
        )
    return parcels


def naive_cost(parcels: list[Parcel], rates: ZoneSplitRates) -> int:
    """The baseline: every parcel priced alone."""
    return sum(
        rates.price(
            origin_province=p.origin_province,
            dest_province=p.dest_province,
            dest_commune=p.dest_commune,
            weight_g=p.weight_g,
        )
        for p in parcels
    )


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of `repeat` calls, and the last call's result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def zone(p: Parcel) -> str:
    if p.dest_province == p.origin_province:
        return "same province"
    return "region" if p.dest_province in REGION_PROVINCES else "nationwide"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--offices", type=int, default=20, help="post offices per region province")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    parcels = synthetic_parcels(orders=args.orders, days=args.days, offices_per_province=args.offices, seed=args.seed)
    rates = ZoneSplitRates()
    naive_s, naive = timed(lambda: naive_cost(parcels, rates), args.repeat)
    plan_s, plan = timed(lambda: plan_consolidation(parcels=parcels, rates=rates), args.repeat)
    totals = plan.totals()
    assert totals.cost_without == naive, "the plan's unpooled cost must equal the naive pass"
    offices = len({p.post_office for p in parcels})

    print(f"python {platform.python_version()} on {platform.machine()}, {args.repeat} runs, median times")
    print(f"orders {len(parcels):,} over {args.days} days at {offices} post offices in 9 provinces, 34 destinations")
    print(f"naive pricing (baseline)  {naive_s * 1000:8.1f} ms")
    print(f"consolidation plan        {plan_s * 1000:8.1f} ms   ratio {plan_s / naive_s:.1f}x baseline")
    print(f"consignments {totals.consignments:,}; parcels pooled {totals.pooled_parcels:,} of {totals.parcels:,}")
    print(f"cost without pooling {totals.cost_without:,} đ; with pooling {totals.cost_with:,} đ")
    print(f"savings {totals.savings:,} đ = {savings_percent(totals=totals)} %")
    by_zone: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c in plan.consignments:
        for p in c.parcels:
            by_zone[zone(p)][0] += 1
        by_zone[zone(c.parcels[0])][1] += c.cost_without
        by_zone[zone(c.parcels[0])][2] += c.savings
    for u in plan.unpooled:
        by_zone[zone(u.parcel)][1] += u.cost
    for name in ("same province", "region", "nationwide"):
        pooled, without, saved = by_zone[name]
        share = f"{saved * 100 / without:.1f}" if without else "0.0"
        print(f"  {name:13s} pooled parcels {pooled:6,}  cost without {without:12,} đ  saved {saved:11,} đ ({share} %)")


if __name__ == "__main__":
    main()
