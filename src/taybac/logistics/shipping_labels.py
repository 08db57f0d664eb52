"""The parcel label: a 100 × 150 mm PDF (the A6-ish thermal label every Vietnamese carrier and Bluetooth label
printer takes) and the same content as inline SVG for the phone-printable page.

The carrier's tracking code is a Code 128 barcode (what post offices' and carriers' scanners read; fpdf2 draws
only Code 39 and Interleaved 2 of 5). The bars come from `python-barcode` (MIT, pure Python, no dependencies):
it picks the Code 128 character sets (B for letters, C for digit pairs) and the check symbol, which is the part
worth not rewriting; we draw its modules ourselves as vector rectangles, in the PDF and in SVG, so they stay sharp
at any printer resolution. The QR code (segno) holds the public order look-up page for the order's code (the look-up
still asks for the buyer's phone, so the label gives nothing away). Receivers are written with the 2025 address
and, beside it, the pre-2025 ward / district / province the carriers still route by.

The fonts are the DejaVu Sans Condensed subset (Latin + Vietnamese) of core/fonts.py, as on traceability's lot labels.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlencode

import segno
from barcode.codex import Code128
from django.conf import settings
from fpdf import FPDF

from taybac.core import fonts
from taybac.core.errors import DomainError
from taybac.core.money import format_vnd
from taybac.logistics import addressing, legacy_address
from taybac.logistics.carriers.base import Address
from taybac.logistics.models import Shipment
from taybac.logistics.shipments import destination_for
from taybac.orders.codes import display
from taybac.regions.models import Commune

PAGE = (100.0, 150.0)  # mm
MARGIN = 4.0
QUIET_MODULES = 10  # Code 128 asks for a quiet zone of at least 10 modules on each side
QR_QUIET = 4
LEADING = 25.4 / 72 * 1.2  # mm of line height per point of font size
CARRIER_NAMES = {"hub": "Tây Bắc Hub", "ghn": "GHN – Giao Hàng Nhanh", "ghtk": "GHTK – Giao Hàng Tiết Kiệm"}


@dataclass(frozen=True)
class LabelData:
    """Everything a label says, as text, so the PDF and the phone page print the same thing."""

    carrier: str
    tracking_code: str
    sort_code: str
    order_code: str
    sender: tuple[str, ...]  # name, phone, address lines
    receiver_name: str
    receiver_phone: str
    receiver_address: str  # the 2025 record: street, commune, province
    receiver_legacy: str  # the old ward, district, province the carrier routes by ("" when unknown)
    weight: str
    cod: str  # "0 đ" when nothing is collected
    content: str
    tracking_url: str
    created_on: str


def _place(address: Address) -> str:
    """Street, 2025 commune and province, from our regions tables."""
    commune = Commune.objects.select_related("province").filter(pk=address.commune_code).first()
    parts = [address.street, commune.name if commune else "", commune.province.name if commune else ""]
    return ", ".join(part for part in parts if part)


def _legacy(address: Address) -> str:
    """The old ward, district and province; the ward only when the commune took in a single old ward of that
    district (otherwise which one is a guess, and a wrong ward on a label misroutes more than none)."""
    if not address.district_name:
        return ""
    try:
        units = legacy_address.legacy_units_for(address.commune_code)
    except DomainError:
        units = []
    wards = {unit.ward_code for unit in units if unit.district_code == address.legacy_district_code}
    ward = address.ward_name if len(wards) == 1 else ""
    return ", ".join(part for part in (ward, address.district_name, address.province_name) if part)


def tracking_url(order_code: str) -> str:
    """The public look-up page with the order's code filled in (the buyer's phone is still asked)."""
    return f"{settings.PUBLIC_URL}/tra-cuu/?{urlencode({'ma': display(order_code)})}"


def label_data(shipment: Shipment) -> LabelData:
    """The label of a shipment, with the order, its lines, shop and addresses read here."""
    shop_order = shipment.shop_order
    shop = shop_order.shop
    origin = addressing.origin_for(shop=shop, phone=shop.producer.owner.phone or "")
    destination = destination_for(shop_order=shop_order)
    lines = shop_order.lines.all()
    content = "; ".join(f"{line.product_name} – {line.variant_name} × {line.quantity}" for line in lines)
    return LabelData(
        carrier=CARRIER_NAMES.get(shipment.carrier, shipment.carrier.upper()),
        tracking_code=shipment.tracking_code,
        sort_code=shipment.sort_code,
        order_code=display(shop_order.code),
        sender=tuple(part for part in (origin.name, origin.phone, _place(origin)) if part),
        receiver_name=destination.name,
        receiver_phone=destination.phone,
        receiver_address=_place(destination),
        receiver_legacy=_legacy(destination),
        weight=f"{shipment.weight_g / 1000:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " kg",
        cod=format_vnd(shipment.cod_amount),
        content=content[:300],
        tracking_url=tracking_url(shop_order.order.code),
        created_on=f"{shipment.created_at:%d/%m/%Y}" if shipment.created_at else f"{datetime.date.today():%d/%m/%Y}",
    )


def code128_modules(text: str) -> str:
    """The barcode as '1' (bar) and '0' (space) modules, without the quiet zones."""
    return str(Code128(text, writer=None).build()[0])


def _runs(modules: str) -> list[tuple[int, int]]:
    """(first module, width) of each bar."""
    runs, start = [], None
    for x, bit in enumerate(modules + "0"):
        if bit == "1" and start is None:
            start = x
        elif bit == "0" and start is not None:
            runs.append((start, x - start))
            start = None
    return runs


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False, boost_error=False)


def barcode_svg(text: str, *, height: int = 60) -> str:
    """Inline SVG of the Code 128 barcode, one unit per module, quiet zones included; scale it with CSS."""
    modules = code128_modules(text)
    width = len(modules) + 2 * QUIET_MODULES
    bars = "".join(f'<rect x="{x + QUIET_MODULES}" y="0" width="{w}" height="{height}"/>' for x, w in _runs(modules))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
        f'shape-rendering="crispEdges" role="img" aria-label="Mã vạch {text}"><rect width="{width}" height="{height}" '
        f'fill="#fff"/><g fill="#000">{bars}</g></svg>'
    )


def qr_svg(url: str) -> str:
    """Inline SVG of the QR code (quiet zone kept), scalable."""
    return str(_qr(url).svg_inline(scale=1, border=QR_QUIET, omitsize=True))


def _text(pdf: FPDF, x: float, y: float, width: float, text: str, *, size: float, bold: bool = False, lines: int = 1):
    """`text` wrapped in `width` at `size` pt, at most `lines` lines (the last cut with an ellipsis); returns the
    y below it."""
    pdf.set_font("DejaVu", "B" if bold else "", size)
    wrapped = cast(list[str], pdf.multi_cell(width, 1, text, dry_run=True, output="LINES")) or [""]
    if len(wrapped) > lines:
        last = wrapped[lines - 1]
        while last and pdf.get_string_width(last + "…") > width:
            last = last[:-1]
        wrapped = [*wrapped[: lines - 1], last.rstrip() + "…"]
    for line in wrapped:
        pdf.set_xy(x, y)
        pdf.cell(width, size * LEADING, line)
        y += size * LEADING
    return y


def _section(pdf: FPDF, y: float, title: str) -> float:
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.3)
    pdf.line(MARGIN, y, PAGE[0] - MARGIN, y)
    return _text(pdf, MARGIN, y + 0.8, PAGE[0] - 2 * MARGIN, title, size=7, bold=True)


def pdf(data: LabelData) -> bytes:
    """The label as a one-page 100 × 150 mm PDF."""
    document = FPDF(unit="mm", format=PAGE)
    document.set_auto_page_break(False)
    document.set_margins(0, 0, 0)
    document.add_font("DejaVu", "", fonts.REGULAR)
    document.add_font("DejaVu", "B", fonts.BOLD)
    document.set_title(f"Nhãn vận đơn {data.tracking_code}")
    document.set_subject(data.tracking_url)
    document.set_creator("Tây Bắc Hub")
    document.set_fill_color(0, 0, 0)
    document.add_page()
    width = PAGE[0] - 2 * MARGIN
    y = _text(document, MARGIN, MARGIN, width, data.carrier, size=13, bold=True)
    modules = code128_modules(data.tracking_code)
    module = width / (len(modules) + 2 * QUIET_MODULES)
    bar_top, bar_height = y + 1, 18.0
    for x, w in _runs(modules):
        document.rect(MARGIN + (x + QUIET_MODULES) * module, bar_top, w * module, bar_height, style="F")
    y = bar_top + bar_height + 0.8
    document.set_font("DejaVu", "B", 14)
    document.set_xy(MARGIN, y)
    document.cell(width, 14 * LEADING, data.tracking_code, align="C")
    y += 14 * LEADING
    if data.sort_code:
        y = _text(document, MARGIN, y, width, f"Mã phân loại: {data.sort_code}", size=11, bold=True)
    y = _section(document, y + 1, "NGƯỜI GỬI")
    y = _text(document, MARGIN, y, width, " · ".join(data.sender), size=8, lines=3)
    y = _section(document, y + 1, "NGƯỜI NHẬN")
    y = _text(document, MARGIN, y, width, f"{data.receiver_name} · {data.receiver_phone}", size=11, bold=True, lines=2)
    y = _text(document, MARGIN, y, width, data.receiver_address, size=10, lines=3)
    if data.receiver_legacy:
        y = _text(document, MARGIN, y, width, f"Địa chỉ cũ: {data.receiver_legacy}", size=8, lines=2)
    y = _section(document, y + 1, "KIỆN HÀNG")
    code = _qr(data.tracking_url)
    side = 26.0
    cell = side / int(code.symbol_size(border=QR_QUIET)[0])
    left = PAGE[0] - MARGIN - side
    for row, dark_row in enumerate(code.matrix_iter(border=QR_QUIET)):
        for column, dark in enumerate(dark_row):
            if dark:
                document.rect(left + column * cell, y + row * cell, cell, cell, style="F")
    _text(document, left, y + side, side, "Quét để tra cứu đơn", size=6.5, lines=2)
    text_width = left - MARGIN - 1
    y = _text(document, MARGIN, y, text_width, f"Thu hộ (COD): {data.cod}", size=12, bold=True, lines=2)
    y = _text(document, MARGIN, y, text_width, f"Khối lượng: {data.weight}", size=10)
    y = _text(document, MARGIN, y, text_width, f"Đơn {data.order_code} · {data.created_on}", size=8)
    _text(document, MARGIN, y, text_width, f"Nội dung: {data.content}", size=7.5, lines=4)
    return bytes(document.output())
