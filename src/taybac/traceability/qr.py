"""QR codes for lots: the lot's GS1 Digital Link URL, drawn by segno.

The code holds exactly `PUBLIC_URL + lot.get_absolute_url()` (e.g. `https://taybac.example.vn/01/
08939999000012/10/261202-1`): error correction level M (15 % of the symbol may be dirty or torn, the level
GS1 recommends for Digital Link on products), never boosted, and a quiet zone of 4 modules as ISO/IEC 18004
asks, so a phone reads it off a jar in bad light. Lot codes are A–Z, 0–9 and '-', so the path needs no
percent-encoding and survives a scanner that upper-cases everything (the resolver lower → upper redirects).
"""

from __future__ import annotations

import io

import segno
from django.conf import settings

from taybac.traceability.models import Lot

ERROR = "m"
QUIET_ZONE = 4  # modules
DEFAULT_SIZE = 330  # px, about 8 px per module for a usual URL
MIN_SIZE, MAX_SIZE = 80, 2000


def lot_url(lot: Lot) -> str:
    """What the QR code encodes: the public GS1 Digital Link URL of the lot."""
    return f"{settings.PUBLIC_URL}{lot.get_absolute_url()}"


def make(lot: Lot) -> segno.QRCode:
    return segno.make(lot_url(lot), error=ERROR, micro=False, boost_error=False)


def bounded_size(raw: str | None) -> int:
    """`?size=` in pixels, clamped to [MIN_SIZE, MAX_SIZE]; anything unreadable is the default."""
    try:
        value = int(raw or DEFAULT_SIZE)
    except ValueError:
        value = DEFAULT_SIZE
    return max(MIN_SIZE, min(MAX_SIZE, value))


def _scale(code: segno.QRCode, size: int) -> int:
    """Whole pixels per module (so modules stay sharp) giving at most `size` px, at least 1."""
    return max(1, size // int(code.symbol_size(border=QUIET_ZONE)[0]))


def png(lot: Lot, *, size: int = DEFAULT_SIZE) -> bytes:
    code = make(lot)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=_scale(code, size), border=QUIET_ZONE)
    return buffer.getvalue()


def svg(lot: Lot, *, size: int = DEFAULT_SIZE) -> bytes:
    """A standalone SVG file with a viewBox, sized `size` px wide (it scales without blur anyway)."""
    code = make(lot)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=_scale(code, size),
        border=QUIET_ZONE,
        xmldecl=True,
        svgns=True,
        nl=True,
        title=f"GS1 Digital Link {lot.variant.gtin}/{lot.code}",
        encoding="utf-8",
    )
    return buffer.getvalue()


def svg_symbol(lot: Lot, *, symbol_id: str = "qr") -> str:
    """An inline `<symbol>` (filled squares, quiet zone included) that many labels `<use>` on one page."""
    code = make(lot)
    parts = []
    for y, cells in enumerate(code.matrix_iter(border=QUIET_ZONE)):
        row = list(cells)
        x, width = 0, len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    side = code.symbol_size(border=QUIET_ZONE)[0]
    return (
        f'<symbol id="{symbol_id}" viewBox="0 0 {side} {side}"><rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(parts)}"/></symbol>'
    )
