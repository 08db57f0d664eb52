"""Printable labels as a PDF (`/01/{gtin}/10/{lot}/nhan-in.pdf`): a real PDF at the sheet's size whose drawn QR
codes ZXing reads back as the lot's Digital Link URL, only for the lot's seller; and the print page's button."""

from __future__ import annotations

import datetime
import re
import zlib

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from taybac.traceability import qr
from taybac.traceability.services import record_harvest
from tests import factories

TODAY = datetime.date.today()
POINTS = {"A4": (595.28, 841.89), "roll": (141.73, 85.04)}  # 210 × 297 mm and 50 × 30 mm


@pytest.fixture
def lot(shop):
    variant = factories.make_product(shop=shop, name="Mật ong bạc hà Mèo Vạc", unit="hũ").variants.get()
    return record_harvest(actor=shop.producer.owner, variant=variant, harvested_on=TODAY, quantity=40, code="MO-1")


def pages(pdf: bytes) -> list[bytes]:
    """The decompressed content streams that draw something (one per page here)."""
    found = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        if b" re f" in text:
            found.append(text)
    return found


def rasterise(content: bytes, size: tuple[float, float], scale: int = 4) -> Image.Image:
    """Paint the page's filled rectangles (PDF `x y w h re f`, y up) on white, as a printer would."""
    width, height = size
    image = Image.new("L", (round(width * scale), round(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w, h in re.findall(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re f", content):
        x0, y0 = float(x), height - float(y)
        x1, y1 = x0 + float(w), y0 - float(h)
        draw.rectangle([x0 * scale, min(y0, y1) * scale, x1 * scale - 1, max(y0, y1) * scale - 1], fill=0)
    return image


def read(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def test_an_a4_sheet_pdf_holds_decodable_qr_codes_and_the_label_text(client, lot):
    client.force_login(lot.shop.producer.owner)
    response = client.get(f"{lot.get_absolute_url()}/nhan-in.pdf", {"kho": "24", "so": "5", "bat-dau": "2"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"nhan-{lot.variant.gtin}-MO-1-24.pdf" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [0 0 595.28 841.89]" in body and b"DejaVu" in body
    [page] = pages(body)
    assert read(rasterise(page, POINTS["A4"])) == [qr.lot_url(lot)] * 5
    title = "Nhãn QR lô MO-1".encode("utf-16-be").hex().encode()
    assert b"/Title <feff" + title in body  # the document is named after the lot


def test_a_roll_pdf_has_one_50_by_30_mm_label_per_page(client, lot):
    client.force_login(lot.shop.producer.owner)
    body = client.get(f"{lot.get_absolute_url()}/nhan-in.pdf", {"kho": "cuon", "so": "3"}).content
    assert body.count(b"/Type /Page\n") == 3 and b"/MediaBox [0 0 141.73 85.04]" in body
    for page in pages(body):
        assert read(rasterise(page, POINTS["roll"], scale=8)) == [qr.lot_url(lot)]


def test_only_the_lots_seller_gets_its_labels(client, lot):
    url = f"{lot.get_absolute_url()}/nhan-in.pdf"
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(factories.make_shop(name="Hộ khác").producer.owner)
    assert client.get(url).status_code == 403
    client.force_login(lot.shop.producer.owner)
    assert client.get(url.replace("MO-1", "mo-1")).status_code == 301
    assert client.get(url.replace("MO-1", "KHONG-CO")).status_code == 404
    assert client.get(url, {"so": "99999", "kho": "x"}).content.count(b"/Type /Page\n") == 10


def test_the_print_page_has_a_print_button_and_links_its_pdf(client, lot):
    client.force_login(lot.shop.producer.owner)
    page = client.get(f"{lot.get_absolute_url()}/nhan-in", {"kho": "cuon", "so": "2"}).content.decode()
    assert '<button type="button" data-print>In ngay</button>' in page and "web/print" in page
    assert f'href="{lot.get_absolute_url()}/nhan-in.pdf?kho=cuon&amp;so=2&amp;bat-dau=1"' in page
    assert "@page{size:50mm 30mm;margin:0}" in page and page.count('<use href="#qr"') == 2
    assert "<script>" not in page  # the button's script is a static file (CSP)
