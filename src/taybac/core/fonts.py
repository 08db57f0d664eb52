"""The fonts the hub's PDFs are drawn in (lot labels, parcel labels): DejaVu Sans Condensed, subset to Latin and
Vietnamese (about 50 KB per style), shipped once in `core/data/` with its licence (LICENSE-DejaVu.txt)."""

from __future__ import annotations

from pathlib import Path

FONTS = Path(__file__).parent / "data"
REGULAR = FONTS / "DejaVuSansCondensed.ttf"
BOLD = FONTS / "DejaVuSansCondensed-Bold.ttf"
