"""Numbers typed in forms and URLs. `str.isdigit()` is True for "²" and other non-ASCII digits that `int()`
refuses or misreads, so every page parses ids and quantities through here."""

from __future__ import annotations


def small_int(raw: object, *, max_digits: int = 9) -> int | None:
    """ASCII digits that fit a database integer, else None."""
    text = str(raw if raw is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= max_digits else None
