"""Replies state only what the records hold: every price and stock figure, season and certificate is checked
against the database; products the hub does not sell are said to be missing; unsure answers hand over."""

import re

import pytest

from taybac.assistant.services import handle_message
from taybac.catalog.models import Product, Variant
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import LookupFailure
from taybac.regions.services import create_address

PRICE = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+) ₫")
STOCK = re.compile(r"còn (\d+) ")


def ask(text: str, conversation: str = "t1", client: str = "198.51.100.7"):
    return handle_message(client=client, conversation=conversation, text=text).reply


def _prices(text: str) -> set[int]:
    return {int(p.replace(".", "")) for p in PRICE.findall(text)}


@pytest.mark.django_db
def test_price_and_stock_come_from_the_variants(catalog):
    reply = ask("mat ong bac ha gia bn, con hang ko")
    variants = Variant.objects.filter(product=catalog.honey, is_active=True)
    assert _prices(reply.text) == {v.price for v in variants} == {350_000, 650_000}
    assert {int(n) for n in STOCK.findall(reply.text)} == {v.available for v in variants}
    assert [p.pk for p in reply.products] == [catalog.honey.pk]
    assert catalog.honey.get_absolute_url() in reply.text and not reply.handover
    Variant.objects.filter(product=catalog.honey, name="Chai 1 lít").update(price=700_000, quantity=0)
    changed = ask("mật ong giá bao nhiêu")
    assert _prices(changed.text) == {350_000, 700_000} and "Chai 1 lít: 700.000 ₫, tạm hết hàng" in changed.text


@pytest.mark.django_db
def test_season_and_certificate(catalog):
    plums = ask("mận hậu mùa nào có")
    assert "tháng 5–7" in plums.text and f"{catalog.plums.next_harvest:%d/%m/%Y}" in plums.text
    honey = ask("mật ong có ocop không")
    assert "OCOP 4 sao" in honey.text and "OCOP-4-001" in honey.text
    tea = ask("chè shan tuyết có chứng nhận ocop ko")
    assert "chưa có giấy chứng nhận OCOP" in tea.text and "sao" not in tea.text.replace("chưa", "")


@pytest.mark.django_db
def test_the_last_product_is_remembered_per_conversation(catalog):
    ask("chè shan tuyết giá bn", conversation="a")
    follow = ask("còn hàng không shop", conversation="a")
    assert [p.pk for p in follow.products] == [catalog.tea.pk] and "220.000 ₫" in follow.text
    other = ask("còn hàng không shop", conversation="b")
    assert not other.products and "sản phẩm nào" in other.text


@pytest.mark.django_db
def test_what_the_hub_does_not_sell(catalog):
    reply = ask("shop có bán rượu ngô không")
    assert reply.intent == "search" and "chưa bán «ruou ngo»" in reply.text
    assert reply.products and all(Product.objects.filter(pk=p.pk, is_active=True).exists() for p in reply.products)
    assert not _prices(reply.text)
    asked = ask("rượu ngô giá bao nhiêu")
    assert "chưa bán" in asked.text and not _prices(asked.text)


@pytest.mark.django_db
def test_unsure_answers_offer_the_producer_or_a_person(catalog):
    reply = ask("mật ong dùng thế nào cho tốt")
    assert reply.handover and "không chắc" in reply.text
    assert f"/gian-hang/{catalog.honey_shop.slug}/" in reply.text and not _prices(reply.text)
    assert ask("hàng bị vỡ hết rồi").handover
    gibberish = ask("qwzx plmk")
    assert gibberish.intent == "other" and gibberish.handover


@pytest.mark.django_db
def test_add_to_order_totals_from_the_price(catalog):
    reply = ask("lấy 3 hũ mật ong bạc hà")
    assert "3 × 350.000 ₫ = 1.050.000 ₫" in reply.text and reply.products[0].pk == catalog.honey.pk


@pytest.mark.django_db
def test_order_status_needs_the_code_and_its_phone(catalog):
    order = place_order(
        buyer=None,
        lines=[LineRequest(catalog.tea.variants.get().pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    dashed = f"{order.code[:2]}-{order.code[2:6]}-{order.code[6:]}".lower()
    reply = ask(f"đơn {dashed} của mình đến đâu rồi, sdt 0912 345 678")
    status = order.shop_orders.get().status
    assert reply.intent == "order_status" and reply.order == {"code": order.code, "status": status}
    assert "Đã xác nhận" in reply.text or "Đã đặt" in reply.text
    wrong = ask(f"đơn {order.code} sdt 0987654321", conversation="x")
    assert wrong.order is None and "không tìm thấy" in wrong.text
    assert LookupFailure.objects.count() == 1  # wrong pairs count against the order look-up's limit
    asks = ask(f"tra đơn {order.code}", conversation="y")
    assert "số điện thoại" in asks.text and asks.order is None
