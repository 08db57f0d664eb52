"""The open harvest sales windows of a product or a shop, as a short list of links on its page
(docs/selling-events.md, "Harvest sales windows"): one query, nothing when none is open."""

from __future__ import annotations

from typing import Any

from django import template

from taybac.campaigns.window_selectors import open_windows_for, quota_left

register = template.Library()


@register.inclusion_tag("web/windows/_links.html")
def open_windows(*, product_id: int | None = None, shop_id: int | None = None) -> dict[str, Any]:
    windows = open_windows_for(shop_id=shop_id, product_id=product_id)
    return {"windows": [(w, quota_left(w)) for w in windows]}
