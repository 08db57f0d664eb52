"""Money is an integer number of đồng (VND has no minor unit in use). Never floats."""

from __future__ import annotations

import re

from taybac.core.errors import DomainError

MAX_PRICE_VND = 10_000_000_000  # 10 billion đồng: far above any single listing, below int64 troubles.

_DIGITS = re.compile(r"[\s.,_₫đ]|vnd|dong|đồng", re.IGNORECASE)


class MoneyError(DomainError):
    """An amount that cannot be a price in đồng."""


def format_vnd(amount: int) -> str:
    """Format as Vietnamese readers expect: `1.250.000 ₫` (dot thousands separator)."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise MoneyError("Số tiền phải là số nguyên đồng.")
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " ₫"


def parse_vnd(text: str) -> int:
    """Parse what a seller types ("125.000", "125000 đ", "125,000₫") into integer đồng."""
    if text is None:
        raise MoneyError("Chưa nhập số tiền.")
    cleaned = _DIGITS.sub("", str(text).strip())
    if not (cleaned.isascii() and cleaned.isdigit()):  # "²".isdigit() is True but int() refuses it
        raise MoneyError("Số tiền không hợp lệ: chỉ nhập chữ số, ví dụ 125000.")
    value = int(cleaned)
    check_price(value)
    return value


def check_price(amount: int) -> int:
    """Reject prices that are negative, zero-free-of-meaning or absurdly large."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise MoneyError("Số tiền phải là số nguyên đồng.")
    if amount <= 0:
        raise MoneyError("Giá phải lớn hơn 0 đồng.")
    if amount > MAX_PRICE_VND:
        raise MoneyError("Giá quá lớn.")
    return amount


def apply_percent(amount: int, percent_basis_points: int) -> int:
    """Apply a percentage given in basis points, rounding half up to the đồng."""
    numerator = amount * percent_basis_points
    return (numerator + 5_000) // 10_000
