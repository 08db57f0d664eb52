"""The administrative units from vietnam-provinces: counts, the hub's region, lookups, addresses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taybac.core.text import fold
from taybac.regions.models import Address, Commune, Province, ProvinceAlias
from taybac.regions.selectors import commune_search, communes_of, province_by_code, province_by_name, province_list
from taybac.regions.services import AddressError, create_address, load_regions

REGION = {4: 56, 8: 124, 11: 45, 12: 38, 14: 75, 15: 99, 19: 92, 20: 65, 25: 148}  # code -> communes


def test_34_provinces_and_3321_communes(db):
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    types = dict(Commune.objects.values_list("division_type").annotate(n=Count("code")))
    assert types == {"xã": 2621, "phường": 687, "đặc khu": 13}
    assert Commune.objects.filter(province__isnull=True).count() == 0


def test_loading_again_is_idempotent(db):
    result = load_regions()
    assert (result.provinces, result.communes) == (34, 3321)
    assert Province.objects.count() == 34 and Commune.objects.count() == 3321
    aliases = dict(ProvinceAlias.objects.values_list("name_folded", "province_id"))
    assert aliases == {"ha giang": 8, "yen bai": 15, "bac kan": 19, "bac can": 19, "hoa binh": 25, "vinh phuc": 25}


def test_the_nine_region_provinces(db):
    region = province_list(in_region=True)
    assert {p.code: p.communes.count() for p in region} == REGION
    assert {p.codename for p in region} == {
        "cao_bang",
        "tuyen_quang",
        "dien_bien",
        "lai_chau",
        "son_la",
        "lao_cai",
        "thai_nguyen",
        "lang_son",
        "phu_tho",
    }
    assert province_list(in_region=False).count() == 25
    assert province_list().count() == 34


@pytest.mark.parametrize(
    ("old_name", "code"),
    [
        ("Hà Giang", 8),
        ("ha giang", 8),
        ("Tỉnh Hà Giang", 8),
        ("Yên Bái", 15),
        ("YEN BAI", 15),
        ("Bắc Kạn", 19),
        ("bac can", 19),
        ("Hòa Bình", 25),
        ("Hoà Bình", 25),
        ("hoa binh", 25),
        ("Vĩnh Phúc", 25),
        ("vinh phuc", 25),
    ],
)
def test_pre_2025_names_find_the_merged_province(db, old_name, code):
    assert province_by_name(old_name).code == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Lào Cai", 15),
        ("lao cai", 15),
        ("LAO CAI", 15),
        ("Tỉnh Lào Cai", 15),
        ("  son la ", 14),
        ("dien bien", 11),
        ("Điện Biên", 11),
        ("Thành phố Hà Nội", 1),
        ("tp ha noi", 1),
        ("ha noi", 1),
        ("ho chi minh", 79),
        ("Thái Nguyên", 19),
        ("Tuyên Quang", 8),
        ("Phú Thọ", 25),
    ],
)
def test_lookup_by_name_without_diacritics(db, typed, code):
    assert province_by_name(typed).code == code


@pytest.mark.parametrize("typed", ["", "   ", "tinh ", "Atlantis", "Hà Tây tỉnh cũ"])
def test_unknown_names_find_nothing(db, typed):
    assert province_by_name(typed) is None


def test_lookup_by_code(db):
    assert "Lào Cai" in province_by_code(15).name
    assert "Tuyên Quang" in province_by_code(8).name
    assert province_by_code(10) is None  # Lào Cai's pre-2025 code is gone
    assert province_by_code(2) is None  # and so is Hà Giang's
    assert province_by_code(999) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, 33), upper=st.booleans(), folded=st.booleans())
def test_every_province_is_found_by_its_name_typed_any_way(db, index, upper, folded):
    """Read-only, so sharing the test's transaction across examples is safe."""
    province = list(Province.objects.order_by("code"))[index]
    typed = fold(province.name) if folded else province.name
    typed = typed.upper() if upper else typed
    assert province_by_name(typed) == province


def test_commune_search_without_diacritics(db):
    names = [c.name for c in commune_search(name="ta phin", province_code=15)]
    assert names == ["Xã Tả Phìn"]
    assert "Phường Mộc Châu" in [c.name for c in commune_search(name="moc chau", province_code=14)]
    assert "Xã Mèo Vạc" in [c.name for c in commune_search(name="MEO VAC")]
    assert commune_search(name="xa", limit=5).count() == 5
    assert commune_search(name="khong co xa nay").count() == 0
    assert communes_of(25).count() == 148


def test_create_address_checks_commune_and_street(db):
    commune = Commune.objects.get(province_id=8, name="Xã Mèo Vạc")
    address = create_address(province_code=8, commune_code=commune.code, street="  Thôn Pả Vi Hạ  ")
    assert address.street == "Thôn Pả Vi Hạ" and address.commune == commune and address.province_id == 8
    assert str(address) == f"Thôn Pả Vi Hạ, Xã Mèo Vạc, {commune.province.name}"


@pytest.mark.parametrize(
    ("province", "commune", "street", "message"),
    [
        (15, "meo-vac", "Thôn 1", "Xã/phường không thuộc tỉnh đã chọn."),
        (8, "meo-vac", "", "Vui lòng nhập số nhà, thôn/bản."),
        (8, "meo-vac", "   ", "Vui lòng nhập số nhà, thôn/bản."),
        (8, "meo-vac", "x" * 201, "Địa chỉ quá dài (tối đa 200 ký tự)."),
        (8, 99_999_999, "Thôn 1", "Không tìm thấy xã/phường."),
        (8, "abc", "Thôn 1", "Không tìm thấy xã/phường."),
        (8, None, "Thôn 1", "Không tìm thấy xã/phường."),
    ],
)
def test_create_address_refuses_bad_input(db, province, commune, street, message):
    if commune == "meo-vac":
        commune = Commune.objects.get(province_id=8, name="Xã Mèo Vạc").code
    with pytest.raises(AddressError) as error:
        create_address(province_code=province, commune_code=commune, street=street)
    assert error.value.message == message
    assert Address.objects.count() == 0


def test_address_model_validation_refuses_a_commune_of_another_province(db):
    commune = Commune.objects.get(province_id=8, name="Xã Mèo Vạc")
    with pytest.raises(ValidationError):
        Address(province_id=15, commune=commune, street="Thôn 1").full_clean()
