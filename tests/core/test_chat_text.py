"""The chat text layer: normalising, chat spellings, numbers in words, units, phone numbers."""

import re
from decimal import Decimal

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from taybac.core.chat_text import (
    MAX_TEXT_LENGTH,
    expand_chat,
    find_phones,
    normalise,
    number_to_words,
    parse_number_words,
    read_number,
    tokens,
    unit_for,
    untelex,
)
from taybac.core.text import fold


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chốt ĐƠN nhaaa", "chot don nha"),
        ("Mật   ong\tbạc hà", "mat ong bac ha"),
        ("Hoà Bình", "hoa binh"),
        ("Hòa Bình", "hoa binh"),
        ("ngonnnn quáaaa", "ngon qua"),
        ("xoong", "xoong"),  # two equal letters are Vietnamese spelling, not emphasis
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_normalise_composes_decomposed_input_first():
    decomposed = "Me\u0300o Va\u0323c"  # as some phone keyboards send it
    assert normalise(decomposed) == "meo vac" == normalise("Mèo Vạc")


VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ" + "bcghklmnpqrstvx"


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " \t\n", max_size=200))
def test_normalise_is_search_folding_with_spaces_collapsed(text):
    folded = fold(text)
    assume(not re.search(r"([a-z])\1\1", folded))
    assert normalise(text) == " ".join(folded.split())
    assert normalise(normalise(text)) == normalise(text)


def test_tokens_split_numbers_from_units():
    assert tokens("lấy 2kg, 1,5 cân!") == ["lay", "2", "kg", "1,5", "can"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sdt e ko dc", "so dien thoai em khong duoc"),
        ("a/e/c ib nha", "anh em chi inbox nha"),
        ("a/c ship hn bn", "anh chi giao ha noi bao nhieu"),
        ("hàng có k shop", "hang co khong shop"),
        ("đc ko ạ", "duoc khong a"),
        ("mik chuyển ck r nhé", "minh chuyen chuyen khoan roi nha"),
    ],
)
def test_chat_spellings_are_written_out(text, expected):
    assert " ".join(expand_chat(text)) == expected


@pytest.mark.parametrize(
    "n, words",
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (321, "ba trăm hai mươi mốt"),
        (999, "chín trăm chín mươi chín"),
    ],
)
def test_number_to_words_known_strings(n, words):
    assert number_to_words(n) == words


def test_number_to_words_bounds():
    for bad in (-1, 1000):
        with pytest.raises(ValueError):
            number_to_words(bad)


@given(st.integers(min_value=0, max_value=999))
def test_numbers_in_words_round_trip(n):
    words = number_to_words(n)
    assert parse_number_words(normalise(words).split()) == (Decimal(n), len(words.split()))


@pytest.mark.parametrize(
    "text, value",
    [
        ("ba", 3),
        ("hai mốt", 21),  # spoken short form
        ("ba lăm", 35),
        ("mười tư", 14),
        ("trăm", 100),
        ("hai trăm rưỡi", 250),
        ("1 chục", 10),
        ("hai chục", 20),
        ("chục rưỡi", 15),
        ("tá", 12),
        ("nửa", "0.5"),
        ("hai rưỡi", "2.5"),
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        ("1.000", 1000),
        ("12", 12),
    ],
)
def test_read_number(text, value):
    words = normalise(text).replace("1.000", "1.000").split()
    assert read_number(words) == (Decimal(value), len(words))


def test_read_number_is_none_for_words_that_are_no_number():
    assert read_number(["hang"]) is None
    assert read_number([]) is None
    assert read_number(["1.2.3"]) is None  # a date or a version
    assert read_number([""]) is None


def test_hundreds_need_explicit_tens():
    # "hai trăm năm" is 250 in speech but more often "200 years": only "hai trăm" is read
    assert parse_number_words(["hai", "tram", "nam"]) == (Decimal(200), 2)


@pytest.mark.parametrize(
    "word, name, kg",
    [
        ("hu", "hũ", None),
        ("lo", "hũ", None),
        ("can", "kg", "1"),
        ("ki", "kg", "1"),
        ("kg", "kg", "1"),
        ("lang", "lạng", "0.1"),
        ("gram", "g", "0.001"),
        ("goi", "gói", None),
        ("hop", "hộp", None),
        ("chai", "chai", None),
    ],
)
def test_units_and_their_weight(word, name, kg):
    unit = unit_for(word)
    assert unit is not None and unit.name == name
    assert unit.kg == (Decimal(kg) if kg else None)


def test_unit_for_other_words_is_none():
    assert unit_for("dep") is None


# --- phone numbers -------------------------------------------------------------------------------------------------

MOBILE_PREFIXES = ["32", "33", "34", "35", "36", "37", "38", "39", "56", "58", "70", "76", "77", "78", "79"]
MOBILE_PREFIXES += ["81", "82", "83", "84", "85", "86", "88", "89", "90", "91", "93", "94", "96", "97", "98"]


@st.composite
def written_mobile(draw):
    """A valid VN mobile number and one way a buyer may write it."""
    national = draw(st.sampled_from(MOBILE_PREFIXES)) + draw(st.text("0123456789", min_size=7, max_size=7))
    number = phonenumbers.parse("0" + national, "VN")
    assume(phonenumbers.is_valid_number(number))
    head = draw(st.sampled_from(["0", "+84", "84", "(+84)", "+84 ", "84 ", "(+84) "]))
    sep = draw(st.sampled_from(["", " ", ".", "-"]))
    cuts = sorted(draw(st.sets(st.integers(1, len(national) - 1), max_size=3)))
    groups = [national[a:b] for a, b in zip([0, *cuts], [*cuts, len(national)])]
    before = draw(st.sampled_from(["", "sdt ", "sđt: ", "chốt A2 x3 ", "đt:", "sdt"]))
    after = draw(st.sampled_from(["", " nhé", ".", " ạ", ", giao giờ hành chính"]))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), before + head + sep.join(
        groups
    ) + after


@settings(max_examples=300, deadline=None)
@given(written_mobile())
def test_any_writing_of_a_mobile_number_reads_back_to_its_e164(case):
    e164, text = case
    assert [m.e164 for m in find_phones(text)] == [e164]


@pytest.mark.parametrize(
    "text",
    ["chốt A2 x3", "giá 150000 đ", "0912345", "1234567890123", "ngày 12/12/2026", "A20912345678"],
)
def test_no_phone_where_there_is_none(text):
    assert find_phones(text) == []


def test_phone_spans_point_at_the_number():
    text = "chot a2 ba hu 0912.345.678 nha"
    (match,) = find_phones(text)
    assert text[match.start : match.end] == "0912.345.678"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=MAX_TEXT_LENGTH + 100))
def test_layer_never_raises(text):
    find_phones(text)
    expand_chat(text)
    read_number(tokens(text))


@pytest.mark.parametrize(
    "word, plain",
    [("choots", "chot"), ("hux", "hu"), ("dduwowcj", "duoc"), ("huyr", "huy"), ("chot", "chot"), ("ship", "ship")],
)
def test_untelex_reads_telex_keys_left_in_words(word, plain):
    assert untelex(word) == plain
