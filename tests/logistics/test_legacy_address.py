"""Pre-2025 addresses for carriers: each 2025 commune -> its old wards/districts, and its coordinates.

Examples are checked against the package's data and against public sources (see docs/logistics.md):
- Sa Pa: nguoiquansat.vn (7 May 2025) — the six phường of Sa Pa town become phường Sa Pa; Tả Phìn + Trung
  Chải -> xã Tả Phìn; Tả Van + Hoàng Liên + Mường Hoa -> xã Tả Van. Cầu Mây's old code 03028 (Wikipedia).
- Lai Châu: muigio.com — xã Phìn Hồ, Ma Quai and Hồng Thu (huyện Sìn Hồ) -> xã Hồng Thu.
- Hà Giang: huyện Mèo Vạc had code 027 (Wikipedia); Pải Lủng was in Mèo Vạc (xpavi.hagiang.gov.vn).
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vietnam_provinces import Ward

from taybac.core.errors import DomainError
from taybac.logistics import legacy_address as la
from taybac.regions.data import REGION_PROVINCES

ALL = sorted(int(w.code) for w in Ward.iter_all())
REGION = sorted(int(w.code) for w in Ward.iter_all() if int(w.province_code) in REGION_PROVINCES)
NAME = {int(w.code): w.name for w in Ward.iter_all()}


def _code(name: str, province: int) -> int:
    (code,) = [int(w.code) for w in Ward.iter_by_province(province) if w.name == name]
    return code


def _wards(commune: int) -> list[tuple[str | None, str | None]]:
    return [(u.ward_code, u.ward_name) for u in la.legacy_units_for(commune)]


def test_sa_pa_is_the_six_old_wards_of_sa_pa_town() -> None:
    units = la.legacy_units_for(_code("Phường Sa Pa", 15))
    assert [u.ward_name for u in units] == [
        "Phường Sa Pa",
        "Phường Sa Pả",
        "Phường Ô Quý Hồ",
        "Phường Phan Si Păng",
        "Phường Hàm Rồng",
        "Phường Cầu Mây",
    ]
    assert {(u.province_code, u.province_name, u.district_code, u.district_name) for u in units} == {
        ("10", "Tỉnh Lào Cai", "088", "Thị xã Sa Pa")
    }
    assert ("03028", "Phường Cầu Mây") in _wards(_code("Phường Sa Pa", 15))
    assert all(u.whole for u in units)
    assert not la.is_ambiguous(_code("Phường Sa Pa", 15))


def test_other_sa_pa_and_lai_chau_mergers_match_public_sources() -> None:
    names = lambda commune: sorted(u.ward_name or "" for u in la.legacy_units_for(commune))  # noqa: E731
    assert names(_code("Xã Tả Phìn", 15)) == ["Xã Trung Chải", "Xã Tả Phìn"]
    assert names(_code("Xã Tả Van", 15)) == ["Xã Hoàng Liên", "Xã Mường Hoa", "Xã Tả Van"]
    assert names(_code("Xã Hồng Thu", 12)) == ["Xã Hồng Thu", "Xã Ma Quai", "Xã Phìn Hồ"]
    assert {d.district_name for d in la.legacy_districts_for(_code("Xã Hồng Thu", 12))} == {"Huyện Sìn Hồ"}


def test_a_ha_giang_commune_now_in_tuyen_quang_keeps_its_old_province_and_district() -> None:
    meo_vac = _code("Xã Mèo Vạc", 8)  # Tuyên Quang since 1 July 2025
    assert la.legacy_districts_for(meo_vac) == [la.LegacyDistrict("02", "Tỉnh Hà Giang", "027", "Huyện Mèo Vạc")]
    assert ("00769", "Thị trấn Mèo Vạc") in _wards(meo_vac)


def test_dong_van_spans_two_old_districts_so_the_sender_is_asked() -> None:
    dong_van = _code("Xã Đồng Văn", 8)
    assert la.is_ambiguous(dong_van)
    assert [(d.district_code, d.district_name) for d in la.legacy_districts_for(dong_van)] == [
        ("026", "Huyện Đồng Văn"),
        ("027", "Huyện Mèo Vạc"),
    ]
    assert ("00775", "Xã Pải Lủng") in _wards(dong_van)  # the part that was in Mèo Vạc
    assert la.check_district_choice(dong_van, "027").district_name == "Huyện Mèo Vạc"
    with pytest.raises(DomainError) as caught:
        la.check_district_choice(dong_van, "024")
    assert caught.value.code == "invalid_legacy_district"


def test_a_split_old_ward_is_listed_as_a_part_in_each_commune() -> None:
    # Phường Quang Trung (Hà Giang city) was split between Hà Giang 1 and Hà Giang 2
    assert la.communes_for_legacy_ward("00688") == sorted(
        [_code("Phường Hà Giang 1", 8), _code("Phường Hà Giang 2", 8)]
    )
    part = [u for u in la.legacy_units_for(_code("Phường Hà Giang 1", 8)) if u.ward_code == "00688"]
    assert [u.whole for u in part] == [False]


def test_island_districts_without_wards_have_no_ward_code() -> None:
    con_dao = [c for c in ALL if NAME[c] == "Đặc khu Côn Đảo"]
    assert [(u.district_name, u.ward_code, u.ward_name) for u in la.legacy_units_for(con_dao[0])] == [
        ("Huyện Côn Đảo", None, None)
    ]


def test_how_many_communes_span_one_two_or_more_old_districts() -> None:
    spread = lambda codes: Counter(min(len(la.legacy_districts_for(c)), 3) for c in codes)  # noqa: E731
    assert spread(ALL) == {1: 3004, 2: 283, 3: 34}
    assert spread(REGION) == {1: 684, 2: 57, 3: 1}
    assert sum(la.is_ambiguous(c) for c in ALL) == 317
    assert sum(la.is_ambiguous(c) for c in REGION) == 58


def test_every_commune_resolves_and_every_region_commune_has_old_units_and_coordinates() -> None:
    assert len(ALL) == 3321 and len(REGION) == 742
    assert la.unmapped_communes() == ()
    assert [c for c in REGION if not la.legacy_units_for(c) or la.commune_coordinates(c) is None] == []
    assert sum(len(la.legacy_units_for(c)) > 0 for c in ALL) == 3321


def test_the_two_packages_disagree_on_some_codes_and_names_settle_it() -> None:
    renumbered = la.renumbered_communes()
    assert len(renumbered) == 123
    region = {c: theirs for c, theirs in renumbered.items() if c in set(REGION)}
    assert len(region) == 24
    # Cao Bằng: three communes whose codes are rotated between the two packages
    assert {c: region[c] for c in (1537, 1558, 1561)} == {1558: 1537, 1561: 1558, 1537: 1561}
    assert [u.ward_name for u in la.legacy_units_for(_code("Xã Hạ Lang", 4))].count("Thị trấn Thanh Nhật") == 1


def test_coordinates_lie_in_vietnam_and_region_communes_in_the_north() -> None:
    for code in ALL:
        point = la.commune_coordinates(code)
        assert point is not None
        lat, lon = point
        assert 8.3 <= lat <= 23.4 and 102.1 <= lon <= 117.5, (code, point)  # Trường Sa reaches ~114.5° E
    for code in REGION:
        lat, lon = la.commune_coordinates(code) or (0.0, 0.0)
        assert 20.3 <= lat <= 23.4 and 102.1 <= lon <= 107.3, (code, lat, lon)
    assert la.commune_coordinates(_code("Phường Sa Pa", 15)) == pytest.approx((22.35, 103.84), abs=0.02)


def test_unknown_codes_are_refused_with_a_clear_error() -> None:
    for call in (la.legacy_units_for, la.legacy_districts_for, la.is_ambiguous, la.commune_coordinates):
        with pytest.raises(DomainError) as caught:
            call(999_999)
        assert caught.value.code == "unknown_commune"
    assert la.communes_for_legacy_ward("nope") == []


def test_tables_load_once_and_fast() -> None:
    la._tables.cache_clear()
    started = time.perf_counter()
    la._tables()
    assert time.perf_counter() - started < 2.0  # about 0.15 s on the dev machine
    assert la._tables() is la._tables()


ALL_OLD_WARDS = sorted({u.ward_code for c in ALL for u in la.legacy_units_for(c) if u.ward_code})


def test_all_10035_old_wards_are_covered() -> None:
    assert len(ALL_OLD_WARDS) == 10035  # 10,040 legacy rows, 5 of them ward-less island districts


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ALL_OLD_WARDS))
def test_every_old_ward_maps_back_to_the_commune_it_came_from(ward_code: str) -> None:
    communes = la.communes_for_legacy_ward(ward_code)
    assert communes
    for commune in communes:
        assert ward_code in [u.ward_code for u in la.legacy_units_for(commune)]
    whole = [c for c in communes if any(u.ward_code == ward_code and u.whole for u in la.legacy_units_for(c))]
    assert len(whole) == 1 or (not whole and len(communes) >= 2)  # whole in one commune, or split among several
