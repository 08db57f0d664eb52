"""Ordering in the chat: details over several messages, a summary with the quoted total, the site's checkout,
and one order however often a channel retries the confirmation."""

import re

import pytest

from taybac.assistant.services import handle_message
from taybac.catalog.models import Variant
from taybac.orders.checkout import LineRequest
from taybac.orders.models import Order
from taybac.orders.quote import quote_cart
from taybac.regions.models import Commune


def say(text: str, conversation: str = "order-1"):
    return handle_message(client="198.51.100.20", conversation=conversation, text=text).reply


@pytest.mark.django_db
def test_an_order_taken_in_the_chat(catalog):
    commune = Commune.objects.get(code=70)
    honey = Variant.objects.get(product=catalog.honey, unit="hũ")
    first = say("lấy 2 hũ mật ong bạc hà")
    assert "2 × 350.000 ₫" in first.text and "tên người nhận" in first.text and "số điện thoại" in first.text
    second = say("tên mình là Trần Thị Lan, sdt 0912 345 678")
    assert "tên người nhận" not in second.text and "xã/phường" in second.text
    third = say(f"địa chỉ: 12 Hàng Bạc, {commune.name}, Hà Nội")
    assert "cách thanh toán" in third.text and "xã/phường" not in third.text
    too_soon = say("đồng ý")
    assert "cách thanh toán" in too_soon.text and not Order.objects.exists()
    summary = say("ship cod nha")
    quote = quote_cart(
        lines=[LineRequest(honey.pk, 2)], province_code=1, commune_code=commune.code, payment_method="cod"
    )
    total = re.search(r"Tổng cộng: ([\d.]+) ₫", summary.text)
    assert total and int(total[1].replace(".", "")) == quote.total > 700_000  # fees included, from the quote
    assert "đồng ý" in summary.text and not Order.objects.exists()
    placed = say("đồng ý")
    order = Order.objects.get()
    assert placed.order == {"code": order.code, "status": order.shop_orders.get().status}
    assert order.contact_phone == "+84912345678" and order.payment_method == "cod"
    assert order.delivery_address.commune_id == commune.code and order.delivery_address.street == "12 Hàng Bạc"
    honey.refresh_from_db()
    assert honey.allocated == 2  # the checkout reserved the stock
    again = say("đồng ý")  # the channel retries the message
    assert again.order["code"] == order.code and Order.objects.count() == 1
    assert say("cảm ơn shop").order is None
    assert say("ok").order is None and Order.objects.count() == 1


@pytest.mark.django_db
def test_a_price_changed_after_the_summary_places_nothing(catalog):
    commune = Commune.objects.get(code=70)
    for text in (
        "lấy 1 gói chè shan tuyết",
        "tên Lan, sđt 0912345678",
        f"địa chỉ: 5 Lê Lợi, {commune.name}, Hà Nội",
        "mình chuyển khoản",
    ):
        say(text, conversation="o2")
    Variant.objects.filter(product=catalog.tea).update(price=250_000)
    refused = say("đồng ý", conversation="o2")
    assert refused.order is None and "Chưa đặt được" in refused.text and not Order.objects.exists()
