"""The buyer's pages: the look-up lands on a signed link without the phone, order pages open only to their buyer or
a fresh link, cancel and return from the order page, the seller answers returns, the address book."""

from __future__ import annotations

import time
from unittest import mock

import pytest

from taybac.core.models import OutboxMessage
from taybac.fulfilment.services import deliver_shop_order
from taybac.orders.lookup import FAILURES_PER_NETWORK
from taybac.orders.models import ReturnRequest, Status
from taybac.web.order_links import LINK_MINUTES, order_url
from tests.factories import make_shop, make_user
from tests.fulfilment.parcels import placed_order, shipped_order

pytestmark = pytest.mark.django_db
PHONE = "0912345678"


def _look_up(client, code: str, phone: str = PHONE):
    return client.post("/tra-cuu/", {"ma": code, "sdt": phone})


def test_look_up_posts_and_lands_on_a_link_without_the_phone(client):
    order = placed_order(None, payment_method="cod").order
    assert 'method="post"' in client.get("/tra-cuu/").content.decode()
    assert f'value="{order.code}"' in client.get("/tra-cuu/", {"ma": order.code}).content.decode()  # the SMS link
    location = _look_up(client, order.code.lower(), "+84 912 345 678")["Location"]
    assert location.startswith(f"/don-hang/{order.code}/?k=") and "912345678" not in location
    page = client.get(location).content.decode()
    assert order.contact_name in page and "Hủy đơn này" in page


def test_a_wrong_pair_is_a_404_and_too_many_are_refused_for_a_while(client):
    order = placed_order(None, payment_method="cod").order
    missed = _look_up(client, order.code, "0987654321")
    assert missed.status_code == 404 and "Không tìm thấy" in missed.content.decode()
    for _ in range(FAILURES_PER_NETWORK - 1):
        _look_up(client, "TBAAAAAAAA")
    limited = _look_up(client, order.code)  # even the right pair waits: the network used up its misses
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_order_page_needs_a_fresh_link_or_the_buyer_signed_in(client):
    order = placed_order(None, payment_method="cod").order
    assert client.get(f"/don-hang/{order.code}/").status_code == 404
    assert client.get(f"/don-hang/{order.code}/?sdt={PHONE}").status_code == 404  # the phone opens nothing now
    assert client.get(f"/don-hang/{order.code}/?k=1abc:forged").status_code == 404
    url = order_url(order.code)
    assert client.get(url).status_code == 200
    later = time.time() + LINK_MINUTES * 60 + 1
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.get(url).status_code == 404  # expired
    other = placed_order(None, payment_method="cod", phone="0987654321").order
    assert client.get(url.replace(order.code, other.code)).status_code == 404  # a key opens its own order only
    buyer = make_user()
    buyer.phone = "+84912345678"
    buyer.save()
    client.force_login(buyer)
    assert client.get(f"/don-hang/{order.code}/").status_code == 200  # the proven phone's own order
    assert client.get(f"/don-hang/{other.code}/").status_code == 404


def test_cancel_from_the_order_page_with_its_confirmation(client):
    shop_order = placed_order(None, payment_method="cod")
    code, so_code = shop_order.order.code, shop_order.code
    key = order_url(code).split("?")[1]
    page = client.get(f"/don-hang/{code}/huy/{so_code}/?{key}").content.decode()
    assert "số hàng đã giữ cho bạn được trả lại kho" in page and "không mất khoản nào" in page
    assert client.post(f"/don-hang/{code}/huy/{so_code}/").status_code == 404  # without the link
    response = client.post(f"/don-hang/{code}/huy/{so_code}/?{key}", {"reason": "Đặt nhầm"})
    assert response["Location"].startswith(f"/don-hang/{code}/?k=")
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CANCELLED
    page = client.get(response["Location"]).content.decode()
    assert "Đã hủy" in page and "Hủy đơn này" not in page


def test_return_request_and_the_seller_accepts_it(client):
    shop_order = shipped_order(None, payment_method="cod")
    owner = shop_order.shop.producer.owner
    deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    code = shop_order.order.code
    buyer = make_user()
    buyer.phone = "+84912345678"
    buyer.save()
    client.force_login(buyer)
    assert "Yêu cầu trả hàng" in client.get(f"/don-hang/{code}/").content.decode()
    url = f"/don-hang/{code}/tra-hang/{shop_order.code}/"
    assert client.post(url, {"reason": "x"}).status_code == 400
    assert client.post(url, {"reason": "Hàng bị dập khi giao"}).status_code == 302
    assert "Chờ gian hàng trả lời" in client.get(f"/don-hang/{code}/").content.decode()

    client.force_login(owner)
    page = client.get("/ban-hang/tra-hang/").content.decode()
    assert "Hàng bị dập khi giao" in page and "Đồng ý trả hàng" in page
    request = ReturnRequest.objects.get()
    client.post(f"/ban-hang/tra-hang/{request.pk}/", {"accept": "1"})
    shop_order.refresh_from_db()
    assert shop_order.status == Status.RETURNED

    client.force_login(buyer)
    page = client.get(f"/don-hang/{code}/").content.decode()
    assert "Gian hàng đồng ý trả hàng" in page and "sẽ chuyển lại" in page


def test_another_seller_cannot_answer_a_return(client):
    shop_order = shipped_order(None, payment_method="cod")
    owner = shop_order.shop.producer.owner
    deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    client.post(
        order_url(shop_order.order.code).replace("/?", f"/tra-hang/{shop_order.code}/?"), {"reason": "Hàng hỏng"}
    )
    request = ReturnRequest.objects.get()
    client.force_login(make_shop(name="Gian hàng B").producer.owner)
    assert client.post(f"/ban-hang/tra-hang/{request.pk}/", {"accept": "1"}).status_code == 404
    request.refresh_from_db()
    assert request.state == ReturnRequest.State.REQUESTED
    assert "Hàng hỏng" not in client.get("/ban-hang/tra-hang/").content.decode()


def test_address_book_add_edit_default_delete(client):
    buyer = make_user()
    client.force_login(buyer)
    assert client.get("/dia-chi/").status_code == 200
    form = {"name": "Lan", "phone": PHONE, "tinh": "1", "xa": "70", "street": "12 Hàng Bạc", "luu": "1"}
    choose = client.post("/dia-chi/", {**form, "luu": "", "chon_tinh": "1"})  # choosing the province saves nothing
    assert "Phường Hoàn Kiếm" in choose.content.decode() and not buyer.saved_addresses.exists()
    assert client.post("/dia-chi/", {**form, "xa": "4465"}).status_code == 400  # not a commune of Hà Nội
    assert client.post("/dia-chi/", form)["Location"] == "/dia-chi/"
    client.post("/dia-chi/", {**form, "street": "1 Tràng Tiền"})
    first, second = buyer.saved_addresses.order_by("id")
    assert first.is_default and not second.is_default
    client.post(f"/dia-chi/{second.pk}/mac-dinh/")
    client.post(f"/dia-chi/{second.pk}/", {**form, "street": "2 Tràng Tiền"})
    second.refresh_from_db()
    assert second.is_default and second.street == "2 Tràng Tiền"
    client.post(f"/dia-chi/{first.pk}/xoa/")
    assert list(buyer.saved_addresses.values_list("street", flat=True)) == ["2 Tràng Tiền"]
    client.force_login(make_user())
    assert client.post(f"/dia-chi/{second.pk}/xoa/").status_code == 404
    assert client.get(f"/dia-chi/{second.pk}/").status_code == 404


def test_every_page_has_one_header_with_sign_out_for_a_signed_in_buyer(client):
    client.force_login(make_user())
    for url in ("/", "/don-mua/", "/dia-chi/", "/tra-cuu/", "/gio-hang/"):
        header = client.get(url).content.decode().split("</header>")[0]
        assert header.count("<header") == 1 and 'action="/dang-xuat/"' in header, url
        assert 'name="csrfmiddlewaretoken"' in header and 'href="/don-mua/"' in header
    assert not OutboxMessage.objects.exists()
