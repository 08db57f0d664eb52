"""SMS text in the GSM-7 alphabet: Vietnamese marks removed with core.text's normaliser, money without "₫",
segments counted as gateways bill them."""

import pytest

from taybac.core.sms import is_gsm7, money, segments, septets, to_gsm7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đơn hàng đã đến Bưu điện xã Bắc Hà", "Don hang da den Buu dien xa Bac Ha"),
        ("Tổng 1.250.000₫ — trả khi nhận", "Tong 1.250.000d - tra khi nhan"),
        ("Mật ong × 2 “bạc hà”…", 'Mat ong x 2 "bac ha"...'),
        ("Chè 🍵 Shan tuyết", "Che  Shan tuyet"),  # what GSM-7 cannot carry at all is dropped
    ],
)
def test_to_gsm7(text, expected):
    assert to_gsm7(text) == expected and is_gsm7(expected)


def test_vietnamese_letters_are_not_gsm7():
    assert not is_gsm7("Bắc Hà") and not is_gsm7("350.000 ₫") and is_gsm7("Bac Ha, 350.000d @ 10:00")


def test_segments_count_septets_with_extension_characters_as_two():
    assert septets("a[b]") == 6
    assert segments("x" * 160) == 1 and segments("x" * 161) == 2 and segments("x" * 306) == 2
    assert segments("x" * 159 + "€") == 2  # 161 septets


def test_money():
    assert money(350_000) == "350.000d" and money(1_250_000) == "1.250.000d" and money(0) == "0d"
