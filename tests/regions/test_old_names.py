"""Pre-2025 place names buyers still write, read into the 2025 provinces and communes they became."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taybac.regions.old_names import MAX_TEXT_LENGTH, read_old_places


def _levels(text):
    return [(m.level, m.old_name) for m in read_old_places(text)]


@pytest.mark.parametrize(
    "text, old, province_code",
    [
        ("Hà Giang", "Tỉnh Hà Giang", 8),  # merged into Tuyên Quang
        ("ha giang", "Tỉnh Hà Giang", 8),
        ("Yên Bái", "Tỉnh Yên Bái", 15),  # into Lào Cai
        ("bac kan", "Tỉnh Bắc Kạn", 19),  # into Thái Nguyên
        ("Hoà Bình", "Tỉnh Hòa Bình", 25),  # into Phú Thọ; its city of the same name is not read
        ("ship về Hà Nội nhé", "Thành phố Hà Nội", 1),
    ],
)
def test_old_provinces_become_their_2025_province(text, old, province_code):
    (match,) = read_old_places(text)
    assert (match.level, match.old_name) == ("province", old)
    assert [(c.province_code, c.commune_code) for c in match.candidates] == [(province_code, None)]


def test_an_old_district_gives_every_commune_that_took_in_its_wards():
    (match,) = read_old_places("huyện Mèo Vạc")
    assert (match.level, match.old_name) == ("district", "Huyện Mèo Vạc, Tỉnh Hà Giang")
    names = {c.commune_name for c in match.candidates}
    assert {"Xã Mèo Vạc", "Xã Khâu Vai", "Xã Sơn Vĩ"} <= names
    assert {c.province_code for c in match.candidates} == {8}
    assert all(isinstance(c.commune_code, int) for c in match.candidates)


def test_ward_district_and_province_together_most_precise_first():
    matches = read_old_places("xã Pải Lủng, huyện Mèo Vạc, tỉnh Hà Giang")
    assert [m.level for m in matches] == ["ward", "district", "province"]
    ward = matches[0]
    assert ward.old_name == "Xã Pải Lủng, Huyện Mèo Vạc, Tỉnh Hà Giang"
    assert len(ward.candidates) == 1 and ward.candidates[0] in matches[1].candidates


def test_a_named_province_narrows_districts_of_the_same_name():
    # "Bảo Lâm" was a district in both Cao Bằng and Lâm Đồng
    both = _levels("huyện Bảo Lâm")
    assert len([m for m in both if m[0] == "district"]) == 2
    narrowed = _levels("huyện Bảo Lâm, Cao Bằng")
    assert ("district", "Huyện Bảo Lâm, Tỉnh Cao Bằng") in narrowed
    assert not any("Lâm Đồng" in name for _, name in narrowed)


def test_short_names_need_their_kind():
    assert _levels("quận 1") == [("district", "Quận 1, Thành phố Hồ Chí Minh")]
    assert read_old_places("mua 1 hũ") == []


def test_nothing_old_and_bounded_input():
    assert read_old_places("") == []
    assert read_old_places("đẹp quá shop ơi") == []
    assert read_old_places("Hà Giang " * MAX_TEXT_LENGTH)[0].old_name == "Tỉnh Hà Giang"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_never_raises(text):
    for match in read_old_places(text):
        assert match.level in ("province", "district", "ward")
