"""Carriers' own area codes: matching a carrier's master data (a small GHN/VNPost subset in their shapes) to the GSO
old units, the sync command, and addresses built for a carrier, including an ambiguous commune."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from taybac.core.errors import DomainError
from taybac.logistics import addressing
from taybac.logistics.areas import (
    CarrierUnit,
    carrier_codes,
    fetch_master,
    match_units,
    name_keys,
    sync_area_codes,
    sync_from,
    units_from,
)
from taybac.logistics.carriers.ghn import GHN
from taybac.logistics.carriers.hub import HubNetwork
from taybac.logistics.models import CarrierAreaCode
from taybac.logistics.options import CarrierOptions
from taybac.logistics.senders import save_sender_address
from taybac.orders.shipping import Destination, ShopParcel
from taybac.regions.models import Commune
from tests.logistics.fixtures.transport import FakeTransport, fixture, ok
from tests.logistics.sender_world import shop_in

DONG_VAN, Y_TY = 721, 2701  # xã Đồng Văn spans huyện Đồng Văn 026 and huyện Mèo Vạc 027; xã Y Tý is in Bát Xát 082


def ghn_master() -> dict[str, list]:
    data = {
        name: json.loads(fixture("ghn", f"master_{name}.json"))["data"]
        for name in ("province", "district_268", "district_269", "ward_2004", "ward_2005", "ward_1923")
    }
    return {
        "provinces": data["province"],
        "districts": data["district_268"] + data["district_269"],
        "wards": data["ward_2004"] + data["ward_2005"] + data["ward_1923"],
    }


def vnpost_master() -> dict[str, list]:
    return {
        "provinces": json.loads(fixture("vnpost", "provinces.json")),
        "districts": json.loads(fixture("vnpost", "districts.json")),
        "wards": json.loads(fixture("vnpost", "communes.json")),
    }


def write(tmp_path: Path, master: object) -> Path:
    path = tmp_path / "master.json"
    path.write_text(json.dumps(master, ensure_ascii=False), encoding="utf-8")
    return path


def test_names_are_compared_without_accents_unit_types_or_leading_zeros() -> None:
    assert name_keys("Tỉnh Lào Cai")[1] == name_keys("Lào Cai")[0] == "lao cai"
    assert name_keys("Phường 01") == name_keys("Phường 1")
    assert name_keys("Thị Trấn Đồng Văn") == name_keys("Thị trấn Đồng Văn")
    assert name_keys("Chân Mây – Lăng Cô") == name_keys("Chân Mây-Lăng Cô")


@pytest.mark.django_db
def test_ghn_sync_matches_within_each_district_and_reports_the_rest(tmp_path: Path) -> None:
    report = sync_from(carrier="ghn", path=write(tmp_path, ghn_master()))
    assert (report.districts, report.wards) == (3, 8)
    assert report.unmatched == ["Xã Lũng Phìn Mới (mã 50499)"]
    assert "Xã Lũng Cú (00715)" in report.missing  # in GSO's huyện Đồng Văn, not in this subset
    # the same name in two districts goes to each district's own ward
    assert carrier_codes("ghn", "026", "00742").carrier_ward == "50304"
    assert carrier_codes("ghn", "027", "00796").carrier_ward == "50402"
    district = carrier_codes("ghn", "082", "")
    assert (district.carrier_province, district.carrier_district) == ("269", "1923")


@pytest.mark.django_db
def test_a_second_sync_replaces_the_first(tmp_path: Path) -> None:
    sync_from(carrier="ghn", path=write(tmp_path, ghn_master()))
    smaller = ghn_master()
    smaller["wards"] = [w for w in smaller["wards"] if w["WardName"] != "Xã Y Tý"]
    sync_from(carrier="ghn", path=write(tmp_path, smaller))
    assert carrier_codes("ghn", "082", "02701") is None
    assert CarrierAreaCode.objects.filter(carrier="ghn", legacy_ward_code="02692").count() == 1


@pytest.mark.django_db
def test_two_carrier_units_with_one_name_in_a_district_are_not_guessed() -> None:
    units = units_from(carrier="vnpost", master=vnpost_master())
    rows, report = match_units(carrier="vnpost", **units)
    assert not [r for r in rows if r.legacy_ward_code == "02701"]
    assert sorted(n for n in report.unmatched if "Y Tý" in n) == ["Xã Y Tý (mã 311012)", "Xã Y Tý (mã 311099)"]
    codes = {
        (r.legacy_district_code, r.legacy_ward_code): (r.carrier_province, r.carrier_district, r.carrier_ward)
        for r in rows
    }
    assert codes[("027", "00775")] == ("20", "2012", "201201")


@pytest.mark.django_db
def test_addresses_for_a_carrier_use_its_codes_and_the_senders_district_choice(tmp_path: Path) -> None:
    sync_from(carrier="ghn", path=write(tmp_path, ghn_master()))
    dong_van = Commune.objects.select_related("province").get(pk=DONG_VAN)
    default = addressing.for_carrier(addressing.address(commune=dong_van), "ghn")
    assert (default.legacy_district_code, default.legacy_ward_code) == ("2004", "50301")  # thị trấn Đồng Văn
    chosen = addressing.address(commune=dong_van, legacy_district_code="027")
    assert chosen.district_name == "Huyện Mèo Vạc"
    ghn_address = addressing.for_carrier(chosen, "ghn")
    assert (ghn_address.legacy_province_code, ghn_address.legacy_district_code, ghn_address.legacy_ward_code) == (
        "268",
        "2005",
        "50401",
    )
    assert (ghn_address.commune_code, ghn_address.ward_name) == (DONG_VAN, "Xã Pải Lủng")  # the record is kept
    assert addressing.for_carrier(chosen, "ghtk") == chosen  # GHTK routes by the GSO names


@pytest.mark.django_db
def test_an_unsynced_ward_is_a_clear_refusal() -> None:
    y_ty = addressing.address(commune=Commune.objects.select_related("province").get(pk=Y_TY))
    with pytest.raises(DomainError) as refused:
        addressing.for_carrier(y_ty, "vnpost")
    assert refused.value.code == "carrier_area_unmapped"
    assert refused.value.message.startswith("Chưa có mã địa bàn của VNPost cho Xã A Lù, Huyện Bát Xát, Tỉnh Lào Cai")


@pytest.mark.django_db
def test_ghn_sync_through_its_api() -> None:
    transport = (
        FakeTransport()
        .answer("/master-data/province", ok(fixture("ghn", "master_province.json")))
        .answer(
            "/master-data/district",
            ok(fixture("ghn", "master_district_268.json")),
            ok(fixture("ghn", "master_district_269.json")),
        )
        .answer(
            "/master-data/ward",
            ok(fixture("ghn", "master_ward_2004.json")),
            ok(fixture("ghn", "master_ward_2005.json")),
            ok(fixture("ghn", "master_ward_1923.json")),
        )
    )
    client = GHN(token="t", shop_id=1, transport=transport, sleep=lambda s: None)
    units = units_from(carrier="ghn", master=fetch_master(carrier="ghn", client=client))
    report = sync_area_codes(carrier="ghn", **units)
    assert (report.districts, report.wards) == (3, 8)
    queries = [s.query for s in transport.sent]
    assert queries == [
        "",
        "province_id=268",
        "province_id=269",
        "district_id=2004",
        "district_id=2005",
        "district_id=1923",
    ]


@pytest.mark.django_db
def test_the_command_reports_and_refuses_bad_files(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "logistics", "sync-areas", "--carrier", "vnpost", "--file", str(write(tmp_path, vnpost_master())), stdout=out
    )
    assert out.getvalue().startswith("vnpost: 3 districts, 4 wards matched")
    assert "unmatched" in out.getvalue()
    with pytest.raises(CommandError) as bad:
        call_command("logistics", "sync-areas", "--carrier", "ghn", "--file", str(write(tmp_path, {"provinces": []})))
    assert "provinces, districts, wards" in str(bad.value)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("logistics", "sync-areas", "--carrier", "ghn", "--file", str(broken))
    with pytest.raises(CommandError) as unconfigured:
        call_command("logistics", "sync-areas", "--carrier", "ghn")
    assert "chưa được cấu hình" in str(unconfigured.value)


def test_rows_missing_a_field_are_refused() -> None:
    with pytest.raises(DomainError) as bad:
        units_from(carrier="ghn", master={"provinces": [{"ProvinceName": "Lào Cai"}], "districts": [], "wards": []})
    assert "ProvinceID" in bad.value.message
    assert CarrierUnit("1", "", ("a",)).names == ("a",)


@pytest.mark.django_db
def test_checkout_quotes_a_carrier_with_its_own_codes_and_the_senders_district(tmp_path: Path) -> None:
    """The sender in xã Đồng Văn chose huyện Mèo Vạc: GHN is asked from its district 2005 to Bát Xát's 1923."""
    sync_from(carrier="ghn", path=write(tmp_path, ghn_master()))
    shop = shop_in(DONG_VAN)
    save_sender_address(
        actor=shop.producer.owner, shop=shop, street="Thôn 1", legacy_district_code="027", latitude=None, longitude=None
    )
    transport = (
        FakeTransport()
        .answer("/available-services", ok(fixture("ghn", "available_services.json")))
        .answer("/shipping-order/fee", ok(fixture("ghn", "fee.json")))
        .answer("/leadtime", ok(fixture("ghn", "leadtime.json")))
    )
    ghn = GHN(token="t", shop_id=885, transport=transport, sleep=lambda s: None)
    options = CarrierOptions(carriers=lambda: {"hub": HubNetwork(), "ghn": ghn}).options(
        parcels=[ShopParcel(shop=shop, weight_grams=1200, items_total=300_000, cash_on_delivery=False)],
        destination=Destination(commune=Commune.objects.select_related("province").get(pk=Y_TY)),
    )
    assert {o.carrier for o in options[shop.pk]} == {"hub", "ghn"}
    fee_call = next(s for s in transport.sent if s.path.endswith("/shipping-order/fee"))
    assert (fee_call.payload["from_district_id"], fee_call.payload["from_ward_code"]) == (2005, "50401")
    assert (fee_call.payload["to_district_id"], fee_call.payload["to_ward_code"]) == (1923, "80212")  # xã A Lù
