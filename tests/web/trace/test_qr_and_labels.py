"""QR codes of a lot (read back by ZXing, not by segno which drew them) and the printable label sheets."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageDraw

from taybac.accounts.services import grant_delegation
from taybac.traceability import qr
from tests.factories import make_user
from tests.payments.qr_decode import decode_qr

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def test_png_encodes_exactly_the_digital_link_url(client, story, settings):
    settings.PUBLIC_URL = "https://taybac.example.vn"
    dried = story["dried"]
    response = client.get(f"{dried.get_absolute_url()}/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    url = f"https://taybac.example.vn/01/{story['tea_variant'].gtin}/10/SAY-0601"
    assert decode_qr(response.content) == url == qr.lot_url(dried)
    code = qr.make(dried)
    assert code.error == "M" and not code.is_micro
    image = Image.open(io.BytesIO(response.content)).convert("L")
    scale = image.width // code.symbol_size(border=qr.QUIET_ZONE)[0]
    quiet = image.crop((0, 0, image.width, 4 * scale))  # the 4-module quiet zone is white all along the top
    assert quiet.getextrema() == (255, 255)


@pytest.mark.parametrize(
    ("size", "low", "high"),
    [("", 250, 330), ("100", 80, 100), ("99999", 1500, 2000), ("abc", 250, 330), ("-5", 41, 80)],
)
def test_png_size_is_bounded(client, story, size, low, high):
    response = client.get(f"{story['dried'].get_absolute_url()}/qr.png", {"size": size} if size else {})
    width = Image.open(io.BytesIO(response.content)).width
    assert low <= width <= high
    assert decode_qr(response.content) == qr.lot_url(story["dried"])


def test_svg_is_a_standalone_svg_file(client, story):
    response = client.get(f"{story['dried'].get_absolute_url()}/qr.svg", {"size": "410"})
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert "public" in response["Cache-Control"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and root.get("width") == root.get("height") == "410"
    assert root.find(f"{SVG}title").text == f"GS1 Digital Link {story['tea_variant'].gtin}/SAY-0601"
    assert root.find(f"{SVG}path") is not None  # rendered and decoded in tests/e2e/test_trace_page.py


def rasterise_symbol(symbol: str, scale: int = 8) -> bytes:
    """Draw the label sheet's <symbol> (squares `M x y h w v1 h-w z`) to a PNG, as a printer would."""
    side = int(re.search(r'viewBox="0 0 (\d+) \d+"', symbol).group(1))
    image = Image.new("L", (side * scale, side * scale), 255)
    draw = ImageDraw.Draw(image)
    runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", symbol)
    assert "".join(f"M{x} {y}h{w}v1h-{w}z" for x, y, w in runs) in symbol  # nothing else in the path
    for x, y, w in (tuple(map(int, r)) for r in runs):
        draw.rectangle((x * scale, y * scale, (x + w) * scale - 1, (y + 1) * scale - 1), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_label_sheet_only_for_the_producer_and_helpers(client, story):
    url = f"{story['dried'].get_absolute_url()}/nhan-in"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/?next=")
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    helper = make_user(role="helper", full_name="Nguyễn Thị Hoa")
    client.force_login(helper)
    assert client.get(url).status_code == 403
    grant_delegation(producer=story["producer"], delegate=helper, granted_by=story["owner"])
    assert client.get(url).status_code == 200
    client.force_login(story["owner"])
    assert client.get(url).status_code == 200
    assert client.get(f"/01/{story['tea_variant'].gtin}/10/KHONG-CO/nhan-in").status_code == 404


def labels(response) -> list[str]:
    return re.findall(r'<div class="lb">(.*?)</div></div>|<div class="lb"></div>', response.content.decode())


def test_label_sheets(client, story, django_assert_max_num_queries):
    dried = story["dried"]
    client.force_login(story["owner"])
    url = f"{dried.get_absolute_url()}/nhan-in"
    with django_assert_max_num_queries(5):
        response = client.get(url)
    page = response.content.decode()
    assert "@page{size:A4 portrait;margin:0}" in page and "repeat(3,70mm)" in page and "grid-auto-rows:37mm" in page
    assert "padding:0.5mm 0 0 0mm" in page  # never a localised "0,5"
    assert page.count('<div class="sheet">') == 1 and page.count('<use href="#qr"') == 24
    assert page.count("<symbol") == 1 and 'name="robots" content="noindex"' in page
    label = re.search(r'<div class="lb"><svg.*?</div></div>', page).group(0)
    for words in (
        "Chè Shan tuyết sao tay",
        "Lô SAY-0601",
        f"Ngày SX: {dried.harvested_on:%d/%m/%Y}",
        "HTX Chè Shan tuyết Suối Giàng",
        "Quét để xem nguồn gốc",
    ):
        assert words in label, words
    ten = client.get(url, {"kho": "10"}).content.decode()
    assert "repeat(2,105mm)" in ten and "grid-auto-rows:57mm" in ten and ten.count('<use href="#qr"') == 10
    many = client.get(url, {"so": "30"}).content.decode()
    assert many.count('<div class="sheet">') == 2 and many.count('<use href="#qr"') == 30
    assert client.get(url, {"so": "99999"}).content.decode().count('<use href="#qr"') == 240
    assert client.get(url, {"so": "abc", "kho": "x"}).content.decode().count('<use href="#qr"') == 24
    partial = client.get(url, {"bat-dau": "5", "so": "3"}).content.decode()
    assert partial.count('<div class="lb"></div>') == 4 and partial.count('<use href="#qr"') == 3
    harvest_label = client.get(f"{story['leaves'].get_absolute_url()}/nhan-in").content.decode()
    assert "Thu hoạch: " in harvest_label and "Ngày SX" not in harvest_label


def test_label_qr_symbol_decodes_to_the_digital_link_url(client, story):
    client.force_login(story["owner"])
    page = client.get(f"{story['dried'].get_absolute_url()}/nhan-in").content.decode()
    symbol = re.search(r"<symbol .*?</symbol>", page).group(0)
    assert decode_qr(rasterise_symbol(symbol)) == qr.lot_url(story["dried"])
