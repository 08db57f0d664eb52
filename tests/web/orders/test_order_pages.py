import re

import pytest

from taybac.catalog.models import Variant
from taybac.orders.models import Order, Status
from taybac.web.order_links import order_url
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_variants():
    honey = make_product(
        shop=make_shop(name="Hộ Giàng A Páo", province_code=15), name="Mật ong bạc hà", price=350_000
    ).variants.get()
    tea = make_product(
        shop=make_shop(name="HTX Chè Suối Giàng", province_code=14),
        name="Chè Shan tuyết",
        category_slug="che",
        price=220_000,
    ).variants.get()
    return honey, tea


def fill_cart(client, *variants):
    for v in variants:
        client.post("/gio-hang/sua/", {"variant": v.pk, "quantity": 1, "add": "1"})


def checkout_form(client, **changes):
    page = client.get("/gio-hang/?tinh=1").content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    form = {
        "token": token,
        "tinh": "1",
        "ten": "Trần Thị Lan",
        "sdt": "0912 345 678",
        "nhan": "tan-noi",
        "xa": "70",
        "dia_chi": "12 Hàng Bạc",
        "thanh_toan": "vietqr",
        **changes,
    }
    return form


def test_guest_orders_from_two_shops_and_pays_with_one_qr_for_the_total(client, two_variants):
    fill_cart(client, *two_variants)
    page = client.get("/gio-hang/").content.decode()
    assert "Hộ Giàng A Páo" in page and "HTX Chè Suối Giàng" in page and "570.000 ₫" in page
    response = client.post("/gio-hang/?tinh=1", checkout_form(client))
    assert response.status_code == 302
    order = Order.objects.get()
    assert response["Location"].startswith(f"/don-hang/{order.code}/?k=")  # a signed link, never the phone
    assert "912345678" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert page.count("<svg") == 1 and order.shop_orders.count() == 2  # one QR for the whole checkout
    total = sum(so.total for so in order.shop_orders.all())
    assert f'id="ck-nd" class="co-sel">{order.code}<' in page and f'data-value="{total}"' in page
    assert "đại lý thu hộ" in page and "Mã thanh toán" not in page
    for so in order.shop_orders.all():
        assert so.code[:2] + "-" + so.code[2:6] in page and so.status == Status.AWAITING_PAYMENT
    assert client.get("/gio-hang/").content.decode().count('class="cl"') == 0  # cart emptied


def test_double_submit_makes_one_order(client, two_variants):
    fill_cart(client, two_variants[0])
    form = checkout_form(client)
    first = client.post("/gio-hang/?tinh=1", form)
    second = client.post("/gio-hang/?tinh=1", form)  # the second tap: same token, the cart already emptied
    assert first["Location"] == second["Location"] and Order.objects.count() == 1
    assert Variant.objects.get(pk=two_variants[0].pk).allocated == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"sdt": "01231234567"}, "không hợp lệ"),
        ({"ten": ""}, "họ tên"),
        ({"xa": "999999"}, "xã/phường"),
        ({"dia_chi": ""}, "số nhà"),
    ],
)
def test_checkout_errors_keep_the_form(client, two_variants, changes, message):
    fill_cart(client, two_variants[0])
    response = client.post("/gio-hang/?tinh=1", checkout_form(client, **changes))
    page = response.content.decode()
    assert response.status_code == 400 and message in page.lower()
    form = checkout_form(client, **changes)
    assert f'name="sdt" value="{form["sdt"]}"' in page and f'name="dia_chi" value="{form["dia_chi"]}"' in page
    assert not Order.objects.exists()


def test_cod_order_has_no_qr_and_tracking_needs_the_phone(client, two_variants):
    fill_cart(client, two_variants[1])
    location = client.post("/gio-hang/?tinh=1", checkout_form(client, thanh_toan="cod"))["Location"]
    page = client.get(location).content.decode()
    assert "<svg" not in page and "Đã xác nhận" in page
    code = Order.objects.get().code
    assert client.get(f"/don-hang/{code}/?sdt=0912000000").status_code == 404
    assert client.post("/tra-cuu/", {"ma": f"{code[:2]}-{code[2:6]}-{code[6:]}".lower(), "sdt": "0912345678"})[
        "Location"
    ].startswith(f"/don-hang/{code}/?k=")


def test_cart_quantity_change_and_removal(client, two_variants):
    fill_cart(client, two_variants[0])
    client.post("/gio-hang/sua/", {"variant": two_variants[0].pk, "quantity": 3})
    assert 'value="3"' in client.get("/gio-hang/").content.decode()
    client.post("/gio-hang/sua/", {"variant": two_variants[0].pk, "quantity": 0})
    assert "Giỏ hàng đang trống" in client.get("/gio-hang/").content.decode()
    client.post("/gio-hang/sua/", {"variant": "x", "quantity": "-1"})
    assert client.get("/gio-hang/").status_code == 200


def test_printable_receipt_per_shop_order(client, two_variants):
    fill_cart(client, *two_variants)
    location = client.post("/gio-hang/?tinh=1", checkout_form(client, thanh_toan="cod"))["Location"]
    order = Order.objects.get()
    for so in order.shop_orders.all():
        page = client.get(order_url(order.code, shop_code=so.code)).content.decode()
        assert "BIÊN NHẬN" in page and so.shop.name in page and "12 Hàng Bạc" in page and "web/receipt.css" in page
        assert f"{so.total:,}".replace(",", ".") + " ₫" in page
    assert "/bien-nhan/" in client.get(location).content.decode()
    assert client.get(order_url(order.code, shop_code="TBAAAAAAAA")).status_code == 404
    assert client.get(f"/don-hang/{order.code}/bien-nhan/{so.code}/?sdt=0912345678").status_code == 404


def test_missing_or_forged_token_places_nothing(client, two_variants):
    fill_cart(client, two_variants[0])
    for token in ("", "abc", "web-x"):
        response = client.post("/gio-hang/?tinh=1", checkout_form(client, token=token))
        assert response.status_code == 400 and "tải lại trang" in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize("field, value", [("variant", "²"), ("quantity", "³"), ("variant", "1" * 30)])
def test_odd_digits_in_the_cart_form_are_refused_not_500(client, two_variants, field, value):
    form = {"variant": two_variants[0].pk, "quantity": "1", field: value}
    assert client.post("/gio-hang/sua/", form).status_code == 302
    assert client.get("/gio-hang/?tinh=²").status_code == 200
    assert client.get("/tim-kiem/", {"gia_tu": "²"}).status_code == 400


def test_signed_in_buyer_sees_own_orders_including_guest_ones_with_the_same_phone(client, two_variants):
    from taybac.orders.checkout import Contact, LineRequest, place_order
    from taybac.regions.services import create_address
    from tests.factories import make_user

    assert client.get("/don-mua/")["Location"].startswith("/dang-nhap/?next=")
    honey, tea = two_variants
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    buyer = make_user()
    guest = place_order(
        buyer=None,
        lines=[LineRequest(honey.pk, 1)],
        contact=Contact("Lan", buyer.phone),
        payment_method="cod",
        delivery_address=address,
    )
    signed = place_order(
        buyer=buyer,
        lines=[LineRequest(tea.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=address,
    )
    other = place_order(
        buyer=None,
        lines=[LineRequest(tea.pk, 1)],
        contact=Contact("Mai", "0987654321"),
        payment_method="cod",
        delivery_address=address,
    )
    client.force_login(buyer)
    page = client.get("/don-mua/").content.decode()
    codes = re.findall(r"/don-hang/(TB[0-9A-Z]+)/", page)
    assert codes == [signed.code, guest.code] and other.code not in page
    assert "HTX Chè Suối Giàng" in page and "Chờ thanh toán" in page
