"""Ordering in the chat, continued: a variant chosen in a later message, collection at a pickup point chosen
from the nearest ones, and VietQR payment whose reply links the order page and its QR image."""

import pytest

from taybac.assistant.ordering import remember_details
from taybac.assistant.services import handle_message
from taybac.assistant.understanding import read_slots
from taybac.catalog.models import Variant
from taybac.orders.models import Order
from taybac.regions.models import Commune, PickupPoint
from taybac.regions.services import create_address
from taybac.web.templatetags.assistant_chat import chat_links


def say(text: str, conversation: str = "c-1"):
    return handle_message(client="198.51.100.30", conversation=conversation, text=text).reply


def _point(code: str, commune: Commune, *, active: bool = True) -> PickupPoint:
    address = create_address(province_code=commune.province_id, commune_code=commune.code, street="Trung tâm")
    return PickupPoint.objects.create(
        code=code, name=f"Bưu điện {commune.name}", address=address, is_active=active, opening_hours="7:00–17:00"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "chosen"),
    [("loại 1 lít nhé", "Chai 1 lít"), ("cái thứ 2", "Chai 1 lít"), ("chai to", "Chai 1 lít"), ("số 1", None)],
)
def test_a_variant_chosen_in_a_later_message(catalog, answer, chosen):
    variants = list(Variant.objects.filter(product=catalog.honey).order_by("pk"))
    asked = say("lấy 2 mật ong bạc hà")
    assert "Bạn chọn loại nào" in asked.text and "vào đơn" not in asked.text
    picked = say(answer)
    name = chosen or variants[0].name
    price = next(v.price for v in variants if v.name == name)
    assert f"{name}: 2 × {price:,} ₫".replace(",", ".") in picked.text and "Mình đã thêm vào đơn" in picked.text


@pytest.mark.django_db
def test_an_answer_naming_another_product_is_not_taken_as_the_choice(catalog):
    say("lấy mật ong bạc hà", conversation="x")
    other = say("chè shan tuyết giá bao nhiêu", conversation="x")
    assert "vào đơn" not in other.text and other.products[0].pk == catalog.tea.pk
    beyond = say("cái thứ 5", conversation="x")  # two variants listed: no fifth one to take
    assert "vào đơn" not in beyond.text


@pytest.mark.django_db
def test_collection_at_the_nearest_pickup_point_then_vietqr(catalog):
    home = Commune.objects.get(code=70)
    others = list(Commune.objects.filter(province_id=1).exclude(code=70).order_by("code")[:3])
    _point("BD-OTHER", others[0])
    _point("BD-HOME", home)
    _point("BD-CLOSED", others[1], active=False)
    say("lấy 1 gói chè shan tuyết", conversation="p")
    say("tên Lan, sđt 0912345678", conversation="p")
    asks = say("mình nhận ở bưu điện nhé", conversation="p")
    assert "điểm nhận hàng (xã/phường hoặc tỉnh" in asks.text and "số nhà" not in asks.text
    listed = say(f"mình ở {home.name}, Hà Nội", conversation="p")
    assert listed.text.index(f"1. Bưu điện {home.name}") < listed.text.index(f"2. Bưu điện {others[0].name}")
    assert "BD-CLOSED" not in listed.text and others[1].name not in listed.text
    chose = say("số 1", conversation="p")
    assert f"nhận tại Bưu điện {home.name}" in chose.text and "cách thanh toán" in chose.text
    summary = say("chuyển khoản qua vietqr", conversation="p")
    assert "Tổng cộng" in summary.text and f"nhận tại Bưu điện {home.name}" in summary.text
    placed = say("đồng ý", conversation="p")
    order = Order.objects.get()
    assert order.pickup_point.code == "BD-HOME" and order.delivery_address is None
    assert order.payment_method == "vietqr" and placed.order["code"] == order.code
    assert f"/don-hang/{order.code}/vietqr.png?k=" in placed.text and f"/don-hang/{order.code}/?k=" in placed.text


@pytest.mark.django_db
def test_the_qr_link_in_the_reply_opens_the_site_s_image(client, catalog):
    commune = Commune.objects.get(code=70)
    for text in (
        "lấy 1 gói chè shan tuyết",
        "tên Lan, sđt 0912345678",
        f"địa chỉ: 5 Lê Lợi, {commune.name}, Hà Nội",
        "ck nhé",
    ):
        say(text, conversation="q")
    placed = say("ok", conversation="q")
    image = next(word for word in placed.text.split() if "vietqr.png" in word)
    response = client.get(image)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert f'<a href="{image}">' in chat_links(placed.text)  # the chat widget links it


@pytest.mark.django_db
def test_a_pickup_point_named_in_the_message_is_chosen_at_once(catalog):
    home = Commune.objects.get(code=70)
    _point("BD-HOME", home)
    say("lấy 1 gói chè shan tuyết", conversation="n")
    reply = say(f"nhận ở bưu điện {home.name.lower()}, Hà Nội", conversation="n")
    assert "Điểm nhận hàng gần bạn" not in reply.text and "tên người nhận" in reply.text
    summary = say("tên Lan, sđt 0912345678, cod", conversation="n")
    assert f"nhận tại Bưu điện {home.name}" in summary.text and not Order.objects.exists()
    say("ok", conversation="n")
    assert Order.objects.get().pickup_point.code == "BD-HOME"


def test_a_province_in_the_product_s_name_is_not_where_to_deliver():
    state: dict = {}
    remember_details(
        state, read_slots("cho mình 1 túi nấm hương rừng bắc kạn"), "cho mình 1 túi nấm hương rừng bắc kạn"
    )
    assert "province_code" not in state
    remember_details(state, read_slots("em ở Bắc Kạn nhé"), "em ở Bắc Kạn nhé")
    assert state["province_code"] == 19  # Bắc Kạn joined Thái Nguyên in 2025
