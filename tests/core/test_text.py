import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.core.text import fold, fold_words, slugify_vi


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Mật ong", "mat ong"),
        ("Chè Shan tuyết", "che shan tuyet"),
        ("Đường phèn", "duong phen"),
        ("ĐIỆN BIÊN", "dien bien"),
        ("Thổ cẩm", "tho cam"),
        ("Hòa Bình", "hoa binh"),
        ("Hoà Bình", "hoa binh"),
    ],
)
def test_fold_removes_diacritics_and_folds_d(text, folded):
    assert fold(text) == folded


def test_fold_words_drops_punctuation():
    assert fold_words("Mật ong (bạc hà), 500g!") == ["mat", "ong", "bac", "ha", "500g"]


def test_slugify_vi():
    assert slugify_vi("Mật ong bạc hà Mèo Vạc") == "mat-ong-bac-ha-meo-vac"
    assert slugify_vi("!!!") == "sp"


@given(st.text())
def test_fold_output_is_ascii_for_vietnamese_letters_and_idempotent(text):
    once = fold(text)
    assert fold(once) == once
    assert "đ" not in once and "Đ" not in once
