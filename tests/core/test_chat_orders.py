"""parse_order_comment: "chốt đơn" comments of a live session become order lines; everything else is None."""

import importlib.util
import sys
import time
from decimal import Decimal
from pathlib import Path

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


def _check(result):
    assert result is None or all(0 < line.quantity <= 999 for line in result.lines)
    if result is not None:
        assert len({line.code for line in result.lines}) == len(result.lines)
        assert all(line.code in CODES for line in result.lines)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=MAX_COMMENT_LENGTH + 50))
def test_never_raises_on_any_text(text):
    _check(parse_order_comment(text, CODES))


# Pieces of real comments, so that the generated text reaches the parser's rules (random Unicode rarely does).
PIECES = ["chốt", "chot", "c", "ck", "lấy", "x", "*", "sl", "số lượng", "A1", "a2", "M1", "che1", "Z9", "q1", "-"]
PIECES += ["2", "0", "999", "1000", "1,5", "1.000", "1.2.3", "12.34.56", "ba", "mười lăm", "hai mươi", "trăm"]
PIECES += ["rưỡi", "nửa", "chục", "hũ", "kg", "cân", "lạng", "gói", "2kg", "3h", "50k", "đ", ",", "+", "và", "\n"]
PIECES += ["0912345678", "+84 912 345 678", "0912.345.678", "09", "bao nhiêu", "?", "huỷ", "thôi", "không", "mỗi loại"]
PIECES += ["thì", "rồi", "hôm qua", "địa chỉ", "số", "ngõ", "😍", "nha", "shop", "đẹp", "đắt", "Huy", "choots"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from([" ", "", "  "]))
def test_never_raises_on_chat_like_text(pieces, glue):
    _check(parse_order_comment(glue.join(pieces), CODES))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lấy M1 M2 mỗi loại 2 hũ", (("M1", "2", "hũ"), ("M2", "2", "hũ"))),
        ("chốt CHE1 3 gói 100g", (("CHE1", "3", "gói"),)),  # 100 g is the pack's size
        ("chốt A1 2 hũ, A2 không lấy nữa", (("A1", "2", "hũ"),)),  # the cancellation takes back A2 only
        ("chốtA1 2 hũ", (("A1", "2", "hũ"),)),
        ("choots A2 2 hux", (("A2", "2", "hũ"),)),  # Telex left on: chốt, hũ
        ("chốt A1 2 hũ. SĐT: 0912345678. ĐC: 15 Lê Lợi, Sơn La", (("A1", "2", "hũ"),)),
        ("chốt A1 2 hũ, địa chỉ số 12 ngõ 5 Kim Mã", (("A1", "2", "hũ"),)),
        ("chốt A1 2 hũ giá 250 nghìn, giao trước 5h", (("A1", "2", "hũ"),)),
        ("A1 còn ko shop, chốt 2 hũ", (("A1", "2", "hũ"),)),  # a question, but a firm order with a quantity
        ("chốt G1 1 yến", (("G1", "1", "yến"),)),
        ("c A2 2h", (("A2", "2", "hũ"),)),  # h right after a code is hũ…
        ("chốt A1 2 hũ giao trước 5h", (("A1", "2", "hũ"),)),  # …elsewhere an hour
        ("A1 2 hũ A2 1 hũ giao cùng 1 đơn nhé", (("A1", "2", "hũ"), ("A2", "1", "hũ"))),
        ("A3 còn không shop? còn thì chốt em 1", (("A3", "1", None),)),  # a condition, then an order
        ("chốt A1 2 bó", (("A1", "2", "bó"),)),  # bó (a bunch) folds like bỏ (to drop)
        ("chốt A1 2 hũ, thời gian giao bao lâu", (("A1", "2", "hũ"),)),  # thời, not thôi
        ("chốt A1 2 hũ tên Huy 0912345678", (("A1", "2", "hũ"),)),  # a name, not huỷ
    ],
)
def test_harder_orders(text, expected):
    comment = parse_order_comment(text, [*CODES, "G1", "A3"])
    assert comment is not None
    assert [(line.code, line.quantity, line.unit) for line in comment.lines] == [
        (code, Decimal(qty), unit) for code, qty, unit in expected
    ]


@pytest.mark.parametrize(
    "text",
    [
        "A3 đẹp nhưng hơi đắt",  # đắt (dear) folds like đặt (to order)
        "A1 ngon lắm, năm ngoái em mua rồi",
        "đợi lương về em chốt A1",
        "A1 đặt trước được không",
        "ai chốt A1 chưa",
        "A2 cho xem gần",
        "chốt tc1 1 cái màu đỏ, 1 cái màu xanh",  # two variants: the producer asks
        "A1 2 A1 3",
        "chốt 1 hũ",  # no code
        "mình ở quận 1 nhé",
        "A1 1.2.3",  # no readable quantity
        "chốt A1 12.34.56 hũ",
        "A1 😍",
        "A1 lấy 2 hũ thì bớt bao nhiêu",  # a condition, then a question
        "em chốt A1 rồi nhưng muốn đổi sang A2",
        "A1 ngon thật, lần sau em mua tiếp",
        "Huy don A1",  # huỷ typed without marks, at the start
        "bỏ đơn A1 nhé",
        "A1 đẹp c ơi",  # c is chị here, not chốt
        "A1 có ship hỏa tốc không",  # a yes/no question ends with không
        "G1 có loại 5kg không",
        "chốt A2, bao giờ giao?",  # a question with no quantity or phone: asked, not ordered
    ],
)
def test_harder_non_orders(text):
    assert parse_order_comment(text, [*CODES, "TC1", "A3"]) is None


def test_weights_carry_kg():
    comment = parse_order_comment("chốt CHE1 5 lạng", CODES)
    assert comment is not None and comment.lines[0].kg == Decimal("0.5")


def test_long_comments_are_not_read_and_reading_is_fast():
    assert parse_order_comment("chốt A1 2 hũ " + "a" * MAX_COMMENT_LENGTH, CODES) is None
    worst = ("A1 2 hũ, " * 60)[: MAX_COMMENT_LENGTH - 1]
    started = time.perf_counter()
    for _ in range(20):
        parse_order_comment(worst, CODES)
        parse_order_comment("1 " * (MAX_COMMENT_LENGTH // 2 - 1), CODES)
    assert (time.perf_counter() - started) / 40 < 0.05  # well under a live chat's pace on a slow CI core


def _eval_module():
    path = Path(__file__).resolve().parents[2] / "bench" / "chat_orders_eval.py"
    spec = importlib.util.spec_from_file_location("chat_orders_eval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_labelled_comments_precision_and_recall():
    bench = _eval_module()
    rows = [row for part in bench.load(Path(__file__).parent / "data" / "order_comments.csv").values() for row in part]
    assert len(rows) >= 150
    report = bench.evaluate(rows)
    assert report.orders >= 100 and report.comments - report.orders >= 50
    assert report.precision >= 0.98, report.wrong
    assert report.recall >= 0.98, report.wrong
    assert report.phones_right == report.phones_read
