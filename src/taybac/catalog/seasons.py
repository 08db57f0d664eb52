"""Harvest-season months stored as a 12-bit mask (bit m = month m) so "in season now" is one SQL filter."""
from __future__ import annotations

from collections.abc import Iterable

from taybac.core.errors import DomainError


class SeasonError(DomainError):
    """Months outside 1–12."""


def mask_from_months(months: Iterable[int]) -> int:
    mask = 0
    for month in months:
        month = int(month)
        if not 1 <= month <= 12:
            raise SeasonError("Tháng phải từ 1 đến 12.")
        mask |= 1 << month
    return mask


def months_from_mask(mask: int) -> list[int]:
    return [m for m in range(1, 13) if mask & (1 << m)]


def describe_months(months: list[int]) -> str:
    """[5, 6, 7] -> 'tháng 5–7'; [11, 12, 1] -> 'tháng 11, 12, 1' (wraps stay explicit)."""
    if not months:
        return ""
    if months == list(range(months[0], months[-1] + 1)) and len(months) > 2:
        return f"tháng {months[0]}–{months[-1]}"
    return "tháng " + ", ".join(str(m) for m in months)
