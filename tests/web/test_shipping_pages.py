"""Shipment pages: booking with its confirmation, the shipment page, cancelling, the labels (PDF 100 × 150 mm, the
phone page, the barcode and QR decoded back), the post office's "Nhận gửi hàng"; never a 500 on bad input."""

from __future__ import annotations

import re
import zlib

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from taybac.logistics import shipping_labels
from taybac.logistics.models import Shipment, ShipmentStatus
from taybac.orders.codes import display
from taybac.orders.models import Status
from tests.factories import make_user
from tests.fulfilment.parcels import harvest_for, make_point, placed_order
from tests.fulfilment.test_shipments import _shop_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return placed_order(None, payment_method="cod", quantity=2)


@pytest.fixture
def seller(client, order):
    client.force_login(order.shop.producer.owner)
    return client


def _book(seller, order) -> Shipment:
    response = seller.post(f"/ban-hang/don-hang/{order.pk}/van-don/")
    shipment = Shipment.objects.get(shop_order=order)
    assert response.status_code == 302 and response["Location"] == f"/ban-hang/van-don/{shipment.pk}/"
    return shipment


def test_the_order_list_links_to_booking(seller, order):
    page = seller.get("/ban-hang/don-hang/").content.decode()
    assert f"/ban-hang/don-hang/{order.pk}/van-don/" in page and "Tạo vận đơn" in page


def test_confirmation_shows_carrier_fee_cod_and_lots_then_books(seller, order):
    lot = harvest_for(order)
    page = seller.get(f"/ban-hang/don-hang/{order.pk}/van-don/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Tây Bắc Hub" in text and "Cước hãng tính hôm nay" in text and "1000 g" in text
    assert f"{order.total:,}".replace(",", ".") in text  # the cash to collect
    assert f'name="lot_{order.lines.get().pk}"' in text and lot.code in text
    assert not Shipment.objects.exists()  # looking books nothing
    shipment = _book(seller, order)
    order.refresh_from_db()
    assert order.status == Status.PACKED and shipment.status == ShipmentStatus.CREATED
    again = seller.post(f"/ban-hang/don-hang/{order.pk}/van-don/")  # a double submit
    assert again["Location"] == f"/ban-hang/van-don/{shipment.pk}/" and Shipment.objects.count() == 1
    page = seller.get(f"/ban-hang/van-don/{shipment.pk}/").content.decode()
    assert shipment.tracking_code in page and "Đã tạo vận đơn" in page and "Hủy vận đơn" in page


def test_bad_lots_are_a_message_not_a_500(seller, order):
    response = seller.post(f"/ban-hang/don-hang/{order.pk}/van-don/", {f"lot_{order.lines.get().pk}": "abc"})
    assert response.status_code == 302 and response["Location"] == f"/ban-hang/don-hang/{order.pk}/van-don/"
    assert not Shipment.objects.exists()
    assert seller.get("/ban-hang/don-hang/99999999999999999999/van-don/").status_code == 404


def test_cancel_asks_first_then_cancels(seller, order):
    shipment = _book(seller, order)
    page = seller.get(f"/ban-hang/van-don/{shipment.pk}/huy/")
    assert page.status_code == 200 and "Khi hủy" in page.content.decode()
    assert Shipment.objects.get().status == ShipmentStatus.CREATED
    assert seller.post(f"/ban-hang/van-don/{shipment.pk}/huy/").status_code == 302
    assert Shipment.objects.get().status == ShipmentStatus.CANCELLED
    assert seller.get(f"/ban-hang/van-don/{shipment.pk}/huy/").status_code == 409


def test_strangers_see_nothing(client, order):
    shipment = Shipment.objects.create(
        shop_order=order, carrier="hub", service="standard", tracking_code=order.code, status="created",
        fee=20_000, weight_g=1000, via="seller",
    )  # fmt: skip
    client.force_login(make_user())
    for url in (
        f"/ban-hang/don-hang/{order.pk}/van-don/",
        f"/ban-hang/van-don/{shipment.pk}/",
        f"/ban-hang/van-don/{shipment.pk}/nhan/",
        f"/ban-hang/van-don/{shipment.pk}/nhan.pdf",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/ban-hang/van-don/{shipment.pk}/huy/").status_code == 403


def _draw(modules: str) -> Image.Image:
    """The barcode's modules as a bitmap, 3 px per module, with quiet zones."""
    quiet = shipping_labels.QUIET_MODULES * 3
    image = Image.new("L", (len(modules) * 3 + 2 * quiet, 80), 255)
    pen = ImageDraw.Draw(image)
    for i, bit in enumerate(modules):
        if bit == "1":
            pen.rectangle([quiet + i * 3, 0, quiet + i * 3 + 2, 79], fill=0)
    return image


@pytest.mark.parametrize("code", ["TBACDE3479", "S1.A1.17373471", "LBG123456789VN", "TBACDE3479-2"])
def test_the_barcode_reads_back_as_code_128(code):
    (found,) = zxingcpp.read_barcodes(_draw(shipping_labels.code128_modules(code)))
    assert found.text == code and found.format == zxingcpp.BarcodeFormat.Code128
    svg = shipping_labels.barcode_svg(code)
    assert svg.startswith("<svg") and svg.count("<rect") == shipping_labels.code128_modules(code).count("01") + 1 + (
        shipping_labels.code128_modules(code)[0] == "1"
    )


def test_label_page_has_barcode_qr_addresses_and_cod(seller, order):
    shipment = _book(seller, order)
    page = seller.get(f"/ban-hang/van-don/{shipment.pk}/nhan/?kho=58")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("<svg") == 2 and f'aria-label="Mã vạch {shipment.tracking_code}"' in text
    assert ".label{width:48mm}" in text and "@media print" not in text  # print CSS is in the stylesheet
    assert order.order.contact_name in text and "Địa chỉ cũ:" in text and "Thu hộ" in text
    assert seller.get(f"/ban-hang/van-don/{shipment.pk}/nhan/?kho=9999").status_code == 200  # falls back to 80


def test_qr_holds_the_public_look_up_of_the_order(order):
    url = shipping_labels.tracking_url(order.order.code)
    assert url.endswith(f"/tra-cuu/?ma={display(order.order.code)}")
    code = shipping_labels._qr(url)
    scale, border = 6, shipping_labels.QR_QUIET
    side = code.symbol_size(border=border)[0]
    image = Image.new("L", (side * scale, side * scale), 255)
    pen = ImageDraw.Draw(image)
    for y, row in enumerate(code.matrix_iter(border=border)):
        for x, dark in enumerate(row):
            if dark:
                pen.rectangle([x * scale, y * scale, x * scale + scale - 1, y * scale + scale - 1], fill=0)
    (found,) = zxingcpp.read_barcodes(image)
    assert found.text == url


def test_label_pdf_is_one_100_by_150_mm_page(seller, order):
    shipment = _book(seller, order)
    response = seller.get(f"/ban-hang/van-don/{shipment.pk}/nhan.pdf")
    body = response.content
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-") and b"%%EOF" in body[-1024:]
    assert len(re.findall(rb"/Type\s*/Page\b", body)) == 1
    (box,) = {tuple(round(float(v), 1) for v in m) for m in re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", body)}
    assert box == (283.5, 425.2)  # 100 × 150 mm in points
    streams = [zlib.decompress(s) for s in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S) if s[:1] == b"x"]
    drawing = b"".join(streams)
    bars = len(re.findall(rb" re f", drawing))
    assert bars > shipping_labels.code128_modules(shipment.tracking_code).count("01")  # bars and QR modules
    title = ("\ufeff" + f"Nhãn vận đơn {shipment.tracking_code}").encode("utf-16-be").hex().encode()
    assert b"/Title <" + title + b">" in body
    assert f"/Subject ({shipping_labels.tracking_url(order.order.code)})".encode() in body
    assert 10_000 < len(body) < 200_000


def test_hub_has_no_carrier_label_and_falls_back_to_ours(seller, order):
    shipment = _book(seller, order)
    response = seller.get(f"/ban-hang/van-don/{shipment.pk}/nhan-hang/")
    assert response.status_code == 302 and response["Location"] == f"/ban-hang/van-don/{shipment.pk}/nhan.pdf"


def test_post_office_takes_the_parcel_in_and_prints_its_label(client, order):
    staff = make_user()
    point = _shop_point(order, staff=[staff])
    client.force_login(staff)
    assert "Nhận gửi hàng" in client.get("/buu-dien/").content.decode()
    page = client.get("/buu-dien/nhan-gui/").content.decode()
    assert display(order.code) in page and f'action="/buu-dien/nhan-gui/{order.pk}/"' in page
    response = client.post(f"/buu-dien/nhan-gui/{order.pk}/", {"diem": point.pk})
    shipment = Shipment.objects.get(shop_order=order)
    assert response["Location"] == f"/ban-hang/van-don/{shipment.pk}/nhan/"
    order.refresh_from_db()
    assert order.status == Status.SHIPPED and shipment.origin_point == point
    assert client.get(response["Location"]).status_code == 200  # the staff print the label
    assert client.get(f"/ban-hang/van-don/{shipment.pk}/").status_code == 403  # the seller's page is not theirs
    assert display(order.code) not in client.get("/buu-dien/nhan-gui/").content.decode()


def test_post_office_of_another_commune_is_refused(client, order):
    other = make_user()
    point = make_point(staff=[other])
    client.force_login(other)
    assert client.post(f"/buu-dien/nhan-gui/{order.pk}/", {"diem": point.pk}).status_code == 403
    assert client.post(f"/buu-dien/nhan-gui/{order.pk}/", {"diem": "x" * 40}).status_code == 403
    assert client.post("/buu-dien/nhan-gui/99999999999999999999/").status_code == 404
    client.force_login(make_user())
    assert client.get("/buu-dien/nhan-gui/").status_code == 403
    assert not Shipment.objects.exists()


def test_old_address_names_the_ward_only_when_it_is_not_a_guess():
    from taybac.logistics import addressing, legacy_address
    from taybac.regions.models import Commune

    hoan_kiem = addressing.address(commune=Commune.objects.select_related("province").get(pk=70))
    assert shipping_labels._legacy(hoan_kiem) == "Quận Hoàn Kiếm, Thành phố Hà Nội"  # 13 old wards: no guess
    single = next(
        c
        for c in Commune.objects.filter(province_id=15).select_related("province").order_by("pk")
        if len(legacy_address.legacy_units_for(c.pk)) == 1
    )
    (unit,) = legacy_address.legacy_units_for(single.pk)
    assert shipping_labels._legacy(addressing.address(commune=single)) == (
        f"{unit.ward_name}, {unit.district_name}, {unit.province_name}"
    )


def test_the_post_office_label_page_leads_back_to_its_list(client, order):
    staff = make_user()
    point = _shop_point(order, staff=[staff])
    client.force_login(staff)
    client.post(f"/buu-dien/nhan-gui/{order.pk}/", {"diem": point.pk})
    pk = Shipment.objects.get().pk
    page = client.get(f"/ban-hang/van-don/{pk}/nhan/").content.decode()
    assert 'href="/buu-dien/nhan-gui/"' in page and f'href="/ban-hang/van-don/{pk}/"' not in page
    assert "Đã nhận gửi đơn" in page  # the success message shows above the label


def test_the_order_list_links_a_booked_order_to_its_shipment_without_a_query_per_order(seller, order):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        seller.get("/ban-hang/don-hang/")
    shipment = _book(seller, order)
    for _ in range(3):
        placed_order(None, shop=order.shop)  # more orders, one booked below
    other = order.shop.orders.exclude(pk=order.pk).first()
    seller.post(f"/ban-hang/don-hang/{other.pk}/van-don/")
    with CaptureQueriesContext(connection) as after:
        page = seller.get("/ban-hang/don-hang/").content.decode()
    assert f'href="/ban-hang/van-don/{shipment.pk}/"' in page and "Vận đơn · in nhãn" in page
    assert f"/ban-hang/don-hang/{order.pk}/van-don/" not in page
    assert page.count("Tạo vận đơn") == 2 and page.count("Vận đơn · in nhãn") == 2  # 4 orders, 2 booked
    assert len(after) <= len(before) + 2  # lots and their links for the packed orders; not one per order
    seller.post(f"/ban-hang/van-don/{shipment.pk}/huy/")
    page = seller.get("/ban-hang/don-hang/").content.decode()
    assert f"/ban-hang/don-hang/{order.pk}/van-don/" in page  # cancelled: book again
