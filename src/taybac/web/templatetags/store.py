"""Template filters for the storefront: money in đồng, OCOP stars, season strips."""

from __future__ import annotations

import datetime
import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from taybac.catalog.seasons import describe_months
from taybac.core.money import format_vnd
from taybac.orders.codes import display

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """1250000 -> '<span class="vnd">1.250.000 ₫</span>' (empty for a missing price): the span keeps the
    amount and its "₫" on one line at 360 px (site.css), and copying it still gives "1.250.000 ₫"."""
    if amount is None:
        return ""
    return format_html('<span class="vnd">{}</span>', format_vnd(int(amount)))


_NUMBER_AND_NEIGHBOURS = re.compile(r"(?:\S+ )?\d[\d.,]*(?: \S+)?")


@register.filter
def unit_text(text: str) -> str:
    """'Chai 500 ml', 'còn 12 hũ' kept on one line: a number with the words either side of it is wrapped in
    `<span class="nw">` (site.css: no wrapping), so a narrow screen wraps a long name between other words
    but never between a number and its unit. The text itself is unchanged (copying it gives plain spaces)."""
    text = str(text or "")
    parts, start = [], 0
    for match in _NUMBER_AND_NEIGHBOURS.finditer(text):
        parts.append(escape(text[start : match.start()]))
        parts.append(format_html('<span class="nw">{}</span>', match.group(0)))
        start = match.end()
    parts.append(escape(text[start:]))
    return mark_safe("".join(parts))  # every piece is escaped above


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
