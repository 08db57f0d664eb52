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
    """[5, 6, 7] -> 'tháng 5–7'; a run across the new year [1, 11, 12] -> 'tháng 11–1'; else a list."""
    chosen = sorted(set(months))
    if not chosen:
        return ""
    if len(chosen) == 12:
        return "quanh năm"
    starts = [m for m in chosen if (m - 2) % 12 + 1 not in chosen]  # months whose previous month is out
    if len(chosen) > 2 and len(starts) == 1:
        start = starts[0]
        end = (start + len(chosen) - 2) % 12 + 1
        return f"tháng {start}–{end}"
    return "tháng " + ", ".join(str(m) for m in chosen)
