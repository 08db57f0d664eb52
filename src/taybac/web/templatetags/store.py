"""Template filters for the storefront: money in đồng, OCOP stars, season strips."""

from __future__ import annotations

import datetime

from django import template

from taybac.catalog.seasons import describe_months
from taybac.core.money import format_vnd
from taybac.orders.codes import display

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """1250000 -> '1.250.000 ₫' (empty for a missing price)."""
    return "" if amount is None else format_vnd(int(amount))


@register.filter
def stars(count: int) -> str:
    return "★" * int(count or 0)


@register.filter
def months_text(months: list[int]) -> str:
    return describe_months(months)


@register.simple_tag
def season_strip(mask: int) -> list[dict]:
    """Twelve cells for the harvest calendar; the current month is marked."""
    now = datetime.date.today().month
    return [{"month": m, "on": bool(mask & (1 << m)), "now": m == now} for m in range(1, 13)]


@register.filter
def initials(name: str) -> str:
    """Placeholder text for a product without a photo: 'Mật ong bạc hà' -> 'MO'."""
    return "".join(word[0] for word in (name or "?").split()[:2]).upper()


@register.filter
def payment_code(code: str) -> str:
    """'TBACDE3479' -> 'TB-ACDE-3479', easier to read aloud."""
    return display(code)
