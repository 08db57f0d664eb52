"""The planner's prices from the active rate table: the split adds up for every zone and weight, the seeded table
plans exactly like the checkout-fee split, the remote surcharge rides on the last mile, a hand-computed example."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taybac.core.errors import DomainError
from taybac.logistics.consolidation import Parcel, ZoneSplitRates, plan_consolidation
from taybac.logistics.consolidation_rates import TableRates, active_rate_plan
from taybac.logistics.models import RateTable, RemoteCommune, Zone
from taybac.logistics.rates import Band, Table, shipping_fee
from taybac.regions.data import REGION_PROVINCES
from tests.logistics.test_rates import valid_tables

LAO_CAI, SON_LA, HA_NOI = 15, 14, 1
REGION = frozenset(REGION_PROVINCES)
ORIGINS = sorted(REGION)
DESTINATIONS = [*ORIGINS, 1, 31, 79, 92]  # the region plus Hà Nội, Hải Phòng, TP HCM, Cần Thơ
DAY = date(2026, 12, 7)


@settings(max_examples=150, deadline=None)
@given(
    table=valid_tables(),
    origin=st.sampled_from(ORIGINS),
    dest=st.sampled_from(DESTINATIONS),
    weight=st.integers(1, 100_000),
    remote=st.booleans(),
    surcharge=st.integers(0, 50_000),
)
def test_alone_is_line_haul_plus_last_mile_for_every_zone_and_weight(
    table: Table, origin: int, dest: int, weight: int, remote: bool, surcharge: int
) -> None:
    table = Table(bands=table.bands, remote_surcharge=surcharge)
    rates = TableRates(table=table, region=REGION, remote=frozenset({777}))
    commune = 777 if remote else 778
    alone = rates.price(origin_province=origin, dest_province=dest, dest_commune=commune, weight_g=weight)
    haul = rates.line_haul(origin_province=origin, hub_province=dest, weight_g=weight)
    mile = rates.last_mile(hub_province=dest, dest_province=dest, dest_commune=commune, weight_g=weight)
    zone = Zone.SAME_PROVINCE if origin == dest else Zone.REGION if dest in REGION else Zone.NATIONWIDE
    fee = shipping_fee(table, zone=zone, weight_g=weight)
    same = shipping_fee(table, zone=Zone.SAME_PROVINCE, weight_g=weight)
    extra = surcharge if remote else 0
    assert alone == fee + extra  # the table's own price for the zone and weight
    assert mile == same + extra
    if fee >= same:
        assert alone == haul + mile
    else:  # a table charging a farther zone less: no line haul, and pooling can never beat sending alone
        assert haul == 0 and mile > alone


@pytest.mark.django_db
def test_seeded_table_prices_and_plans_exactly_like_the_checkout_fee_split() -> None:
    row, rates = active_rate_plan()
    assert row.is_active and row.remote_surcharge == 0
    split = ZoneSplitRates()
    rng = random.Random(13)
    parcels = []
    for i in range(3_000):
        origin, dest = rng.choice(ORIGINS), rng.choice(DESTINATIONS)
        weight = rng.choice([1, 999, 1000, 1001, 2000, 2001, rng.randint(1, 100_000)])
        p = Parcel(f"p{i}", f"BD-{origin}-{i % 3}", origin, origin * 100, dest, dest * 100 + 1, weight, DAY)
        parcels.append(p)
        for plan in (rates, split):
            assert plan.price(
                origin_province=origin, dest_province=dest, dest_commune=p.dest_commune, weight_g=weight
            ) == split.price(origin_province=origin, dest_province=dest, dest_commune=p.dest_commune, weight_g=weight)
        assert rates.line_haul(origin_province=origin, hub_province=dest, weight_g=weight) == split.line_haul(
            origin_province=origin, hub_province=dest, weight_g=weight
        )
        assert rates.last_mile(
            hub_province=dest, dest_province=dest, dest_commune=p.dest_commune, weight_g=weight
        ) == split.last_mile(hub_province=dest, dest_province=dest, dest_commune=p.dest_commune, weight_g=weight)
    from_table = plan_consolidation(parcels=parcels, rates=rates)
    assert from_table == plan_consolidation(parcels=parcels, rates=split)
    assert from_table.totals().savings > 0


def _flat_table(*, surcharge: int = 0) -> Table:
    """Same province 20,000 up to 2 kg then +5,000 per started kg; region 30,000 then +8,000; nationwide 50,000
    then +12,000 (bands as an operator would type them; same commune as same province)."""
    bands = []
    for zone, base, step in (
        (Zone.SAME_COMMUNE, 20_000, 5_000),
        (Zone.SAME_PROVINCE, 20_000, 5_000),
        (Zone.REGION, 30_000, 8_000),
        (Zone.NATIONWIDE, 50_000, 12_000),
    ):
        bands += [Band(zone, 0, 2_000, base), Band(zone, 2_000, None, base, 1_000, step)]
    return Table(bands=tuple(bands), remote_surcharge=surcharge)


def test_hand_computed_consignment_with_a_remote_parcel() -> None:
    # Three parcels Lào Cai → Hà Nội (nationwide), 1 kg, 1.5 kg and 3 kg, the last to a remote commune (+7,000).
    # Alone: 50,000 + 50,000 + (50,000 + 12,000 + 7,000) = 169,000.
    # Pooled 5.5 kg: line haul = nationwide − same province at 5.5 kg = (50,000 + 4 × 12,000) − (20,000 + 4 × 5,000)
    # = 98,000 − 40,000 = 58,000; last mile 20,000 + 20,000 + (20,000 + 5,000 + 7,000) = 72,000; with = 130,000.
    rates = TableRates(table=_flat_table(surcharge=7_000), region=REGION, remote=frozenset({9003}))
    parcels = [
        Parcel("a", "BD-SAPA", LAO_CAI, 2650, HA_NOI, 9001, 1_000, DAY),
        Parcel("b", "BD-SAPA", LAO_CAI, 2650, HA_NOI, 9002, 1_500, DAY),
        Parcel("c", "BD-SAPA", LAO_CAI, 2650, HA_NOI, 9003, 3_000, DAY),
    ]
    (c,) = plan_consolidation(parcels=parcels, rates=rates).consignments
    assert (c.cost_without, c.line_haul, c.last_mile, c.cost_with, c.savings) == (
        169_000,
        58_000,
        72_000,
        130_000,
        39_000,
    )
    # The surcharge is paid on the last mile pooled or not: the same plan without it saves exactly as much.
    (plain,) = plan_consolidation(parcels=parcels, rates=TableRates(table=_flat_table(), region=REGION)).consignments
    assert plain.savings == c.savings and plain.cost_without == c.cost_without - 7_000


def test_a_parcel_for_the_post_offices_own_province_is_never_pooled() -> None:
    rates = TableRates(table=_flat_table(), region=REGION)
    parcels = [Parcel(str(i), "BD-SAPA", LAO_CAI, 2650, LAO_CAI, 2651, 1_000, DAY) for i in range(4)]
    plan = plan_consolidation(parcels=parcels, rates=rates)
    assert plan.consignments == () and plan.totals().cost_with == 4 * 20_000


def test_a_table_missing_a_band_is_a_clear_error() -> None:
    table = Table(bands=(Band(Zone.SAME_PROVINCE, 0, None, 20_000),))
    rates = TableRates(table=table, region=REGION)
    with pytest.raises(DomainError, match="thiếu khung"):
        rates.price(origin_province=LAO_CAI, dest_province=HA_NOI, dest_commune=1, weight_g=500)


@pytest.mark.django_db
def test_active_rate_plan_reads_the_table_the_operator_switched_to_and_its_remote_communes() -> None:
    new = RateTable.objects.create(name="Bảng giá 2027", remote_surcharge=9_000)
    for band in _flat_table().bands:
        new.bands.create(
            zone=band.zone,
            from_g=band.from_g,
            to_g=band.to_g,
            base_fee=band.base_fee,
            step_g=band.step_g,
            step_fee=band.step_fee,
        )
    RateTable.objects.filter(is_active=True).update(is_active=False)
    RateTable.objects.filter(pk=new.pk).update(is_active=True)
    remote = RemoteCommune.objects.order_by("commune_code").first()
    assert remote is not None  # seeded with ten border communes
    row, rates = active_rate_plan()
    assert row == new and SON_LA in rates.region and HA_NOI not in rates.region
    assert rates.price(origin_province=LAO_CAI, dest_province=HA_NOI, dest_commune=1, weight_g=500) == 50_000
    far = rates.price(origin_province=LAO_CAI, dest_province=HA_NOI, dest_commune=remote.commune_code, weight_g=500)
    assert far == 50_000 + 9_000
    RateTable.objects.all().update(is_active=False)
    with pytest.raises(DomainError, match="Chưa có bảng giá"):
        active_rate_plan()
