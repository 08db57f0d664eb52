import unicodedata

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


# --- Vietnamese collation ----------------------------------------------------------------------------------------

from taybac.core.text import (  # noqa: E402
    fold,
    mask_phone,
    place_sort_key,
    vietnamese_sort_key,
    without_unit_prefix,
)

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # ngang, huyền, hỏi, ngã, sắc, nặng
VOWELS = set("aăâeêioôơuưy")


def _vi_sorted(names: list[str]) -> list[str]:
    return sorted(names, key=vietnamese_sort_key)


def test_the_vietnamese_alphabet_order():
    letters = list(ALPHABET)
    assert _vi_sorted(letters[::-1]) == letters
    assert _vi_sorted(["Đà Bắc", "Dương Quỳ", "Điện Biên", "Duyên Hải", "Ea Súp"]) == [
        "Duyên Hải",
        "Dương Quỳ",
        "Đà Bắc",
        "Điện Biên",
        "Ea Súp",
    ]
    assert _vi_sorted(["Ân Thi", "Ăn Chè", "Anh Sơn"]) == ["Anh Sơn", "Ăn Chè", "Ân Thi"]
    assert _vi_sorted(["Ơn", "Ôn", "Ong"]) == ["Ong", "Ôn", "Ơn"]
    assert _vi_sorted(["Ưng Hoà", "Uông Bí"]) == ["Uông Bí", "Ưng Hoà"]
    assert _vi_sorted(["Ê Đê", "Eo Gió"]) == ["Eo Gió", "Ê Đê"]


def test_tones_are_secondary_in_dictionary_order():
    assert _vi_sorted(["má", "mạ", "mã", "mà", "ma", "mả"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    # a tone never outweighs a letter: "bạc" sorts before "ban" although ạ is the last tone
    assert _vi_sorted(["ban", "bạc", "bác"]) == ["bác", "bạc", "ban"]
    # letters first, word by word (a space before any letter), tones only between equal letters
    assert _vi_sorted(["Bắc Kạn", "Ba Vì", "Bà Rịa", "Bạch Long Vĩ", "Ba", "Bà"]) == [
        "Ba",
        "Bà",
        "Bà Rịa",
        "Ba Vì",
        "Bạch Long Vĩ",
        "Bắc Kạn",
    ]


def test_case_is_tertiary_and_composed_or_decomposed_text_is_the_same():
    assert _vi_sorted(["Lào Cai", "lào cai", "LÀO CAI"]) == ["lào cai", "Lào Cai", "LÀO CAI"]
    decomposed = unicodedata.normalize("NFD", "Hoà Bình")
    assert vietnamese_sort_key(decomposed)[:3] == vietnamese_sort_key("Hoà Bình")[:3]


def test_places_are_filed_under_their_name_not_their_kind():
    names = [
        "Thành phố Hà Nội",
        "Tỉnh Lào Cai",
        "Tỉnh Điện Biên",
        "Tỉnh Cao Bằng",
        "Thành phố Đà Nẵng",
        "Tỉnh Tuyên Quang",
    ]
    assert sorted(names, key=place_sort_key) == [
        "Tỉnh Cao Bằng",
        "Thành phố Đà Nẵng",
        "Tỉnh Điện Biên",
        "Thành phố Hà Nội",
        "Tỉnh Lào Cai",
        "Tỉnh Tuyên Quang",
    ]
    communes = [
        "Xã Tả Phìn",
        "Phường Sa Pa",
        "Xã Bản Hồ",
        "Xã Tà Xùa",
        "Đặc khu Phú Quốc",
        "Xã Mộc Châu",
        "Phường Mộc Châu",
    ]
    assert sorted(communes, key=place_sort_key) == [
        "Xã Bản Hồ",
        "Phường Mộc Châu",
        "Xã Mộc Châu",
        "Đặc khu Phú Quốc",
        "Phường Sa Pa",
        "Xã Tả Phìn",
        "Xã Tà Xùa",
    ]
    assert without_unit_prefix("Xã") == "Xã" and without_unit_prefix("Thành Phố Huế") == "Huế"


syllables = st.builds(
    lambda letters, tone: unicodedata.normalize("NFC", letters[0] + tone + letters[1:]),
    st.text(alphabet=ALPHABET, min_size=1, max_size=5),
    st.sampled_from(TONES),
)
phrases = st.lists(syllables, min_size=1, max_size=4).map(" ".join)


@given(st.lists(phrases, max_size=12), st.randoms())
def test_sorting_does_not_depend_on_the_input_order(names, rnd):
    shuffled = list(names)
    rnd.shuffle(shuffled)
    assert _vi_sorted(shuffled) == _vi_sorted(names)


@given(phrases, phrases)
def test_equal_keys_only_for_equal_text_and_order_is_antisymmetric(a, b):
    ka, kb = vietnamese_sort_key(a), vietnamese_sort_key(b)
    assert (ka == kb) == (unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b))
    assert not (ka < kb and kb < ka)


@given(phrases, phrases)
def test_every_d_word_comes_before_every_dd_word(a, b):
    assert vietnamese_sort_key("d" + a) < vietnamese_sort_key("đ" + b)
    assert vietnamese_sort_key("a" + a) < vietnamese_sort_key("ă" + b) < vietnamese_sort_key("â" + b)
    assert vietnamese_sort_key("o" + a) < vietnamese_sort_key("ô" + b) < vietnamese_sort_key("ơ" + b)


@given(phrases, phrases)
def test_primary_order_ignores_tones_unless_letters_tie(a, b):
    """Text differing only in tones and case ties on the letters; otherwise the letters alone decide."""
    strip_tones = "".join(
        ch for ch in unicodedata.normalize("NFD", a) if ch not in {"\u0300", "\u0309", "\u0303", "\u0301", "\u0323"}
    )
    assert vietnamese_sort_key(a)[0] == vietnamese_sort_key(unicodedata.normalize("NFC", strip_tones).upper())[0]
    if fold(a) != fold(b) and vietnamese_sort_key(a)[0] != vietnamese_sort_key(b)[0]:
        flipped = vietnamese_sort_key(a.upper())[0] < vietnamese_sort_key(b)[0]
        assert flipped == (vietnamese_sort_key(a) < vietnamese_sort_key(b))


@given(phrases, st.sampled_from(["Tỉnh ", "Thành phố ", "Xã ", "Phường "]))
def test_a_unit_prefix_never_decides_the_primary_order(name, prefix):
    assert place_sort_key(prefix + name)[0] == vietnamese_sort_key(name)


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("+84912345001", "+84 91* *** 001"),
        ("0912345001", "091* *** 001"),
        ("84 91 234 5001", "+84 91* *** 001"),
        ("+842031234567", "+84 2 0** *** 567"),
        ("12345", "***"),
        ("", "***"),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@given(st.text(alphabet="0123456789", min_size=9, max_size=12))
def test_a_masked_number_never_shows_its_middle(digits):
    masked = mask_phone("+84" + digits)
    assert masked.count("*") == len(digits) - 5 and masked.endswith(digits[-3:])
