"""Reading buyers' messages: intents and slots, as typed (diacritics or not, chat spellings, numbers in words)."""

from decimal import Decimal

import pytest

from taybac.assistant.classifier import INTENTS, read_examples, train
from taybac.assistant.understanding import read_slots, understand


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Chào shop ạ", "greeting"),
        ("alo shop oi", "greeting"),
        ("mat ong bn 1 hu vay", "product_question"),
        ("chè shan tuyết có ocop k", "product_question"),
        ("shop co ban thit trau gac bep ko", "search"),
        ("lấy em hai hũ mật ong nha", "add_to_order"),
        ("sdt e 0912345678, dia chi so 5 ngo 3 yen bai", "delivery_details"),
        ("ck dc ko shop", "payment"),
        ("don TB-7K3M-XPA9 cua e den dau r", "order_status"),
        ("hàng giao bị vỡ hết rồi", "complaint"),
        ("cảm ơn shop nhiều", "other"),
        ("qwzx plmk", "other"),
    ],
)
def test_intents_as_buyers_type(text, intent):
    assert understand(text).intent == intent


def test_every_label_is_trained_and_the_model_is_made_from_the_file():
    examples = read_examples()
    assert {intent for _, intent in examples} == set(INTENTS)
    model = train(examples)
    assert model.predict("chào shop")[0] == "greeting"
    with pytest.raises(ValueError, match="unknown intent"):
        train([("xin chào", "hello")])


def test_slots_phone_quantity_unit_variant_code_payment():
    slots = read_slots("Lấy 2 hũ mật ong loại 500g, sđt 0912.345.678, ship cod nha")
    assert (slots.quantity, slots.unit, slots.variant) == (Decimal(2), "hũ", "500 g")
    assert slots.phone == "+84912345678" and slots.payment == "cod"
    assert slots.product_words[:2] == ["mat", "ong"]
    assert read_slots("cho e hai can mận").quantity == Decimal(2)
    assert read_slots("cho e hai can mận").unit == "kg"
    assert read_slots("đơn tb-7k3m-xpa9 nhé").order_code == "TB7K3MXPA9"
    assert read_slots("mình chuyển khoản qua vietqr").payment == "vietqr"


def test_name_address_and_old_place_names_mapped_to_2025():
    slots = read_slots(
        "Tên mình là Nguyễn Thị Lan, sdt 0987654321, địa chỉ: thôn 3, xã Pải Lủng, huyện Mèo Vạc, Hà Giang"
    )
    assert slots.name == "Nguyễn Thị Lan"
    assert slots.street.startswith("thôn 3, xã Pải Lủng")
    assert slots.province_code == 8 and "Tuyên Quang" in slots.province_name  # Hà Giang joined Tuyên Quang
    assert slots.commune_code is not None  # the old ward became one 2025 commune
    yen_bai = read_slots("giao về yen bai")
    assert yen_bai.province_code == 15 and yen_bai.old_place == "Tỉnh Yên Bái"
    assert read_slots("mình nhận ở bưu điện").pickup
    assert read_slots("tên Hoa 0901234567").name == "Hoa"  # the phone, cut out, ends the name
    assert read_slots("người nhận Trần Văn Nam 0966123456").name == "Trần Văn Nam"


def test_hostile_or_huge_text_is_bounded():
    assert understand("a" * 100_000).intent in INTENTS
    assert understand("\u202e\u200b").intent == "other"
