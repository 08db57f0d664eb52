"""Rate-table arithmetic of the hub's network: fees per zone and weight band, COD and insurance rounding, the
admin's refusal of unusable tables, and the seeded table equal to today's checkout fees (orders/shipping.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from taybac.accounts.models import Role, User
from taybac.logistics import selectors
from taybac.logistics.models import RateTable, RemoteCommune, Zone
from taybac.logistics.rates import Band, Table, band_problems, cod_fee, insurance_fee, shipping_fee, zone_for
from taybac.orders.shipping import ZoneWeightRates
from taybac.regions.models import Commune


@st.composite
def valid_tables(draw: st.DrawFn) -> Table:
    """Random tables the admin accepts: contiguous bands from 0 g, open last band, never cheaper when heavier."""
    bands: list[Band] = []
    for zone in Zone.values:
        cuts = sorted(draw(st.sets(st.integers(1, 40_000), max_size=4)))
        starts = [0, *cuts]
        ends: list[int | None] = [*cuts, None]
        floor = 0
        for start, end in zip(starts, ends, strict=True):
            step_g = draw(st.integers(1, 2_000))
            band = Band(zone, start, end, draw(st.integers(floor, floor + 50_000)), step_g, draw(st.integers(0, 9_000)))
            bands.append(band)
            floor = band.fee(end) if end is not None else 0
    table = Table(bands=tuple(bands))
    assert band_problems(table.bands) == []
    return table


@given(valid_tables(), st.sampled_from(Zone.values), st.integers(1, 49_999), st.integers(1, 1_000))
def test_fee_never_decreases_with_weight(table: Table, zone: str, weight: int, more: int) -> None:
    heavier = min(50_000, weight + more)
    assert shipping_fee(table, zone=zone, weight_g=heavier) >= shipping_fee(table, zone=zone, weight_g=weight)


@given(st.integers(0, 1_000_000_000), st.integers(0, 10_000), st.integers(0, 100_000))
def test_cod_fee_is_the_percentage_rounded_up_and_at_least_the_minimum(amount: int, bp: int, minimum: int) -> None:
    fee = cod_fee(Table(bands=(), cod_percent_bp=bp, cod_min_fee=minimum), cod_amount=amount)
    if amount == 0:
        assert fee == 0
        return
    assert fee >= minimum
    if fee > minimum:  # the exact percentage, rounded up to the đồng: never under, less than 1 đ over
        assert fee * 10_000 >= amount * bp > (fee - 1) * 10_000


def test_cod_and_insurance_examples() -> None:
    table = Table(
        bands=(), cod_percent_bp=80, cod_min_fee=10_000, insurance_free_value=1_000_000, insurance_percent_bp=50
    )
    assert cod_fee(table, cod_amount=500_000) == 10_000  # 0.8 % is 4,000: the minimum applies
    assert cod_fee(table, cod_amount=2_000_001) == 16_001  # 16,000.008 rounds up
    assert insurance_fee(table, value=1_000_000) == 0
    assert insurance_fee(table, value=1_000_001) == 5_001  # 0.5 % of the whole value, rounded up


def test_zones() -> None:
    assert zone_for(from_province=15, from_commune=1, to_province=15, to_commune=1, to_in_region=True) == "same_commune"
    assert (
        zone_for(from_province=15, from_commune=1, to_province=15, to_commune=2, to_in_region=True) == "same_province"
    )
    assert zone_for(from_province=15, from_commune=1, to_province=4, to_commune=9, to_in_region=True) == "region"
    assert zone_for(from_province=15, from_commune=1, to_province=1, to_commune=9, to_in_region=False) == "nationwide"


def _complete(*extra: Band) -> list[Band]:
    others = [Band(z, 0, None, 10_000) for z in Zone.values if z != Zone.SAME_PROVINCE]
    return [*others, *extra]


@pytest.mark.parametrize(
    ("bands", "problem"),
    [
        (_complete(Band("same_province", 0, 1000, 1), Band("same_province", 900, None, 2)), "chồng lên"),
        (_complete(Band("same_province", 0, 1000, 1), Band("same_province", 2000, None, 2)), "thiếu khung từ 1000"),
        (_complete(Band("same_province", 0, 1000, 1)), "khung cuối cùng"),
        (_complete(Band("same_province", 500, None, 1)), "bắt đầu từ 0"),
        (_complete(Band("same_province", 0, 1000, 20_000), Band("same_province", 1000, None, 15_000)), "rẻ hơn"),
        (_complete(Band("same_province", 0, 0, 1), Band("same_province", 0, None, 1)), "lớn hơn"),
        (_complete()[:-1], "Thiếu khung khối lượng"),
    ],
)
def test_unusable_bands_are_named(bands: list[Band], problem: str) -> None:
    assert any(problem in p for p in band_problems(bands)), band_problems(bands)


@pytest.mark.django_db
def test_seeded_table_charges_exactly_todays_checkout_fees() -> None:
    """Every zone and every weight up to 50 kg: switching checkout to the table changes no price."""
    table = selectors.active_table()
    today = ZoneWeightRates()
    cases = {  # zone -> today's inputs (same commune is priced as same province today)
        "same_commune": (15, 15, True),
        "same_province": (15, 15, True),
        "region": (15, 4, True),
        "nationwide": (15, 1, False),
    }
    assert band_problems(table.bands) == []
    for zone, (src, dst, in_region) in cases.items():
        for weight in range(1, 50_001, 7):
            expected = today.fee(from_province=src, to_province=dst, to_in_region=in_region, weight_grams=weight)
            assert shipping_fee(table, zone=zone, weight_g=weight) == expected, (zone, weight)
        for weight in (1000, 1001, 2000, 2001, 49_999, 50_000):
            expected = today.fee(from_province=src, to_province=dst, to_in_region=in_region, weight_grams=weight)
            assert shipping_fee(table, zone=zone, weight_g=weight) == expected, (zone, weight)
    assert (table.cod_percent_bp, table.cod_min_fee, table.insurance_percent_bp, table.remote_surcharge) == (0, 0, 0, 0)


@pytest.fixture
def operator(db) -> Client:
    user = User.objects.create(username="vanhanh", role=Role.OPERATOR, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def _form(table: RateTable, bands: list[tuple[str, int, int | None, int, int, int]], **fields: object) -> dict:
    data: dict[str, object] = {
        "name": table.name,
        "is_active": "on" if table.is_active else "",
        "cod_percent_bp": 0,
        "cod_min_fee": 0,
        "insurance_free_value": 0,
        "insurance_percent_bp": 0,
        "remote_surcharge": 0,
        "bands-TOTAL_FORMS": len(bands),
        "bands-INITIAL_FORMS": 0,
        "etas-TOTAL_FORMS": 0,
        "etas-INITIAL_FORMS": 0,
        **fields,
    }
    for i, (zone, from_g, to_g, base, step_g, step_fee) in enumerate(bands):
        data |= {
            f"bands-{i}-zone": zone,
            f"bands-{i}-from_g": from_g,
            f"bands-{i}-to_g": "" if to_g is None else to_g,
            f"bands-{i}-base_fee": base,
            f"bands-{i}-step_g": step_g,
            f"bands-{i}-step_fee": step_fee,
        }
    return data


def test_admin_refuses_overlapping_bands_and_negative_fees_and_accepts_a_good_table(operator: Client) -> None:
    draft = RateTable.objects.create(name="Bảng giá Tết")
    draft.bands.all().delete()
    url = f"/quan-tri/logistics/ratetable/{draft.pk}/change/"
    good = [(z, 0, None, 20_000, 500, 2_000) for z in Zone.values]

    overlapping = [*good[:-1], ("nationwide", 0, 2000, 30_000, 500, 0), ("nationwide", 1500, None, 40_000, 500, 0)]
    page = operator.post(url, _form(draft, overlapping))
    assert page.status_code == 200 and "chồng lên khung trước" in page.content.decode()

    page = operator.post(url, _form(draft, [*good[:-1], ("nationwide", 0, None, -5, 500, 0)]))
    assert page.status_code == 200 and not draft.bands.exists()

    page = operator.post(url, _form(draft, good, cod_percent_bp=20_000))
    assert page.status_code == 200 and not draft.bands.exists()

    assert operator.post(url, _form(draft, good, cod_percent_bp=80)).status_code == 302
    assert draft.bands.count() == 4 and RateTable.objects.get(is_active=True) != draft


def test_activating_a_table_retires_the_previous_one_which_cannot_be_switched_off_or_deleted(
    operator: Client,
) -> None:
    seeded = RateTable.objects.get(is_active=True)
    bands = [(z, 0, None, 20_000, 500, 2_000) for z in Zone.values]
    page = operator.post(f"/quan-tri/logistics/ratetable/{seeded.pk}/change/", _form(seeded, bands, is_active=""))
    assert page.status_code == 200 and "Không thể tắt bảng giá đang dùng" in page.content.decode()
    assert operator.post(f"/quan-tri/logistics/ratetable/{seeded.pk}/delete/", {"post": "yes"}).status_code == 403

    new = RateTable.objects.create(name="Bảng giá 2027")
    page = operator.post(f"/quan-tri/logistics/ratetable/{new.pk}/change/", _form(new, bands, is_active="on"))
    assert page.status_code == 302
    assert list(RateTable.objects.filter(is_active=True)) == [new]
    assert selectors.active_table().bands[0].base_fee == 20_000


def test_admin_adds_a_remote_commune_only_when_it_exists(operator: Client) -> None:
    url = "/quan-tri/logistics/remotecommune/add/"
    page = operator.post(url, {"commune_code": 99_999_999, "name": "Xã Không Có", "note": ""})
    assert page.status_code == 200 and "Không có xã/phường với mã này" in page.content.decode()
    seeded = operator.post(url, {"commune_code": 3451, "name": "Xã Mù Cả", "note": ""})
    assert seeded.status_code == 200 and RemoteCommune.objects.filter(commune_code=3451).count() == 1
    commune = Commune.objects.filter(province_id=4).exclude(pk__in=RemoteCommune.objects.values("pk")).first()
    assert commune is not None
    added = operator.post(url, {"commune_code": commune.pk, "name": commune.name, "note": "Đường đất, mùa mưa sạt lở"})
    assert added.status_code == 302 and RemoteCommune.objects.filter(commune_code=commune.pk).exists()
