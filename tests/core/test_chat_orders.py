"""parse_order_comment: "chốt đơn" comments of a live session become order lines; everything else is None."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taybac.core.chat_orders import (
    MAX_COMMENT_LENGTH,
    OrderComment,
    OrderLine,
    is_valid_code,
    parse_order_comment,
)

CODES = ["A1", "A2", "M1", "M2", "CHE1"]


def one(code: str, qty: str, unit: str | None = None, kg: str | None = None, phone: str | None = None) -> OrderComment:
    return OrderComment(lines=(OrderLine(code, Decimal(qty), unit, Decimal(kg) if kg else None),), phone=phone)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("chốt A2 x3 0912345678", one("A2", "3", phone="+84912345678")),
        ("chot a2 ba hu 0912.345.678", one("A2", "3", "hũ", phone="+84912345678")),
        ("lấy 2 hũ M1 nhé sdt 0987654321", one("M1", "2", "hũ", phone="+84987654321")),
        ("A2 5", one("A2", "5")),
        ("ck A2 2kg", one("A2", "2", "kg", "2")),
        ("c A2 sl 3", one("A2", "3")),
        ("Chốt che1 nửa cân", one("CHE1", "0.5", "kg", "0.5")),
        ("chot m1 1 can ruoi", one("M1", "1.5", "kg", "1.5")),
        ("em lấy hai mươi hũ A1 nhaaa", one("A1", "20", "hũ")),
        ("chốt A-2 x 2", one("A2", "2")),
        ("A2", one("A2", "1")),
        ("chốt A2 +84 912 345 678", one("A2", "1", phone="+84912345678")),
    ],
)
def test_orders_are_read(text, expected):
    assert parse_order_comment(text, CODES) == expected


@pytest.mark.parametrize(
    "text",
    [
        "đẹp quá",
        "ship Hà Nội bao lâu",
        "giá bao nhiêu",
        "A2 giá bao nhiêu",
        "A2 còn không shop",
        "A2 2 3",  # two quantities for one code
        "chốt Z9 2",  # a code this session does not sell
        "A2 0",
        "A2 1000",
        "huỷ A2",
        "A2 nửa hũ",  # half a jar
        "A2 đẹp quá",
        "",
    ],
)
def test_non_orders_and_ambiguous_comments_are_none(text):
    assert parse_order_comment(text, CODES) is None


def test_several_codes_in_one_comment_give_one_line_each_in_order():
    comment = parse_order_comment("chốt A1 2 hũ, M2 3 gói", CODES)
    assert comment == OrderComment(lines=(OrderLine("A1", Decimal(2), "hũ"), OrderLine("M2", Decimal(3), "gói")))
    assert parse_order_comment("2 A1 3 M2", CODES) == parse_order_comment("A1 2 M2 3", CODES)


def test_codes_must_be_letters_then_digits():
    assert is_valid_code("CHE1") and not is_valid_code("12") and not is_valid_code("A")
    with pytest.raises(ValueError):
        parse_order_comment("chốt 12", ["12"])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=MAX_COMMENT_LENGTH + 50))
def test_never_raises_on_any_text(text):
    result = parse_order_comment(text, CODES)
    assert result is None or all(0 < line.quantity <= 999 for line in result.lines)
