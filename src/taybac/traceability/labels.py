"""Printable QR labels for a lot: the sheet formats, and the labels as a PDF a phone can download and print.

Two A4 sticker sheets sold in Vietnam (24 labels 70 × 37 mm, 10 labels 105 × 57 mm) and the 50 × 30 mm roll of
the small Bluetooth label printers sellers already use for their Shopee parcels (one label per page). The PDF
draws the QR code as vector squares (sharp at any printer resolution, quiet zone kept), at exactly the size of
the printed page, with the product, the lot code and date and the shop in DejaVu Sans Condensed (core/fonts.py,
subset to Latin and Vietnamese), so it prints the same from any phone's PDF viewer at 100 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from fpdf import FPDF

from taybac.core import fonts
from taybac.traceability import qr
from taybac.traceability.models import Lot

LEADING = 25.4 / 72 * 1.15  # mm of line height per point of font size
MAX_SHEETS = 10


@dataclass(frozen=True)
class Sheet:
    """Sticker labels: columns × rows of width × height mm from a top/left margin, on an A4 page or, for a
    label-printer roll, on a page the size of one label."""

    key: str
    name: str
    short: str
    columns: int
    rows: int
    width: float
    height: float
    top: float
    left: float
    roll: bool = False
    font_pt: float = 7

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def page(self) -> tuple[float, float]:
        """Page width and height in mm."""
        return (self.width, self.height) if self.roll else (210.0, 297.0)

    @property
    def padding(self) -> float:
        return 1.0 if self.roll else 3.0 if self.height > 50 else 1.5


SHEETS = {
    "24": Sheet("24", "A4 – 24 nhãn 70 × 37 mm (3 cột × 8 hàng)", "A4 24 nhãn", 3, 8, 70, 37, top=0.5, left=0),
    "10": Sheet(
        "10", "A4 – 10 nhãn 105 × 57 mm (2 cột × 5 hàng)", "A4 10 nhãn", 2, 5, 105, 57, top=6, left=0, font_pt=10
    ),
    "cuon": Sheet(
        "cuon", "cuộn nhãn 50 × 30 mm (máy in nhãn)", "cuộn 50×30", 1, 1, 50, 30, top=0, left=0, roll=True, font_pt=6
    ),
}


@dataclass(frozen=True)
class LabelText:
    """What a label says beside its QR code."""

    product: str
    lot: str
    made: str  # "Thu hoạch: 02/12/2026" or "Ngày SX: …"
    shop: str


def label_text(lot: Lot, *, processed: bool) -> LabelText:
    made = f"{'Ngày SX' if processed else 'Thu hoạch'}: {lot.harvested_on:%d/%m/%Y}"
    return LabelText(lot.variant.product.name, f"Lô {lot.code}", made, lot.shop.name)


def cells(sheet: Sheet, *, start: int, count: int) -> list[list[bool]]:
    """Pages of label positions (True: print a label) for `count` labels from position `start` of the first."""
    flags = [False] * (start - 1) + [True] * count
    return [flags[i : i + sheet.per_sheet] for i in range(0, len(flags), sheet.per_sheet)]


def _qr_runs(lot: Lot) -> tuple[int, list[tuple[int, int, int]]]:
    """(side in modules with the quiet zone, dark runs as (row, first column, length))."""
    code = qr.make(lot)
    runs = []
    for y, row in enumerate(code.matrix_iter(border=qr.QUIET_ZONE)):
        x, start = 0, None
        for x, dark in enumerate(row):
            if dark and start is None:
                start = x
            elif not dark and start is not None:
                runs.append((y, start, x - start))
                start = None
        if start is not None:
            runs.append((y, start, x + 1 - start))
    return int(code.symbol_size(border=qr.QUIET_ZONE)[0]), runs


def _lines(pdf: FPDF, text: str, width: float, limit: int) -> list[str]:
    """`text` wrapped to `width`, at most `limit` lines (the last one cut with an ellipsis)."""
    lines = cast(list[str], pdf.multi_cell(width, 1, text, dry_run=True, output="LINES"))
    if len(lines) <= limit:
        return lines
    last = lines[limit - 1]
    while last and pdf.get_string_width(last + "…") > width:
        last = last[:-1]
    return [*lines[: limit - 1], last.rstrip() + "…"]


def _label(pdf: FPDF, sheet: Sheet, x: float, y: float, qr_side: int, runs: list, text: LabelText) -> None:
    pad = sheet.padding
    side = min(sheet.height - 2 * pad, sheet.width * (0.5 if sheet.roll else 0.55))
    module = side / qr_side
    top = y + (sheet.height - side) / 2
    for row, column, length in runs:
        pdf.rect(x + pad + column * module, top + row * module, length * module, module, style="F")
    left = x + pad + side + 0.5
    width = x + sheet.width - pad - left
    size = sheet.font_pt
    parts = [
        ("B", size * 1.15, text.product, 2),
        ("B", size * 1.05, text.lot, 1),
        ("", size, text.made, 2 if sheet.roll else 1),
        ("", size, text.shop, 1 if sheet.roll else 2),
        *([] if sheet.roll else [("", size * 0.9, "Quét để xem nguồn gốc", 1)]),
    ]
    rows = [(style, points, words) for style, points, s, n in parts for words in _fit(pdf, style, points, s, width, n)]
    cursor = y + max(pad, (sheet.height - sum(points * LEADING for _, points, _ in rows)) / 2)
    for style, points, words in rows:
        pdf.set_font("DejaVu", style, points)
        pdf.set_xy(left, cursor)
        pdf.cell(width, points * LEADING, words)
        cursor += points * LEADING


def _fit(pdf: FPDF, style: str, points: float, text: str, width: float, limit: int) -> list[str]:
    pdf.set_font("DejaVu", style, points)
    return _lines(pdf, text, width, limit)


def pdf(lot: Lot, sheet: Sheet, *, start: int, count: int, text: LabelText, url: str) -> bytes:
    """The labels as a PDF: pages of `sheet`, labels from position `start`, `count` of them."""
    document = FPDF(unit="mm", format=sheet.page)
    document.set_auto_page_break(False)
    document.set_margins(0, 0, 0)
    document.add_font("DejaVu", "", fonts.REGULAR)
    document.add_font("DejaVu", "B", fonts.BOLD)
    document.set_title(f"Nhãn QR lô {lot.code} – {text.product}")
    document.set_subject(url)
    document.set_creator("Tây Bắc Hub")
    document.set_fill_color(0, 0, 0)
    document.set_text_color(0, 0, 0)
    side, runs = _qr_runs(lot)
    for page in cells(sheet, start=start, count=count):
        document.add_page()
        for position, filled in enumerate(page):
            if filled:
                row, column = divmod(position, sheet.columns)
                x = sheet.left + column * sheet.width
                y = sheet.top + row * sheet.height
                _label(document, sheet, x, y, side, runs, text)
    return bytes(document.output())
