"""`{% advice_notice shop %}`: a short notice on the seller centre's home when the shop has production warnings
(insights/advice.py), linking to "Cảnh báo mùa vụ". One COUNT query; nothing shown without a warning."""

from __future__ import annotations

from typing import Any

from django import template

from taybac.catalog.models import Shop
from taybac.insights.advice_selectors import warning_count
from taybac.insights.forecast_pages import MODEL_NAMES

register = template.Library()


@register.inclusion_tag("web/centre/advice_notice.html")
def advice_notice(shop: Shop | None) -> dict[str, Any]:
    return {"count": warning_count(shop=shop) if shop is not None else 0}


@register.filter
def model_name(code: str) -> str:
    """A forecast model in plain Vietnamese, as the dashboard names it ("ensemble" → "trung bình các mô hình")."""
    return MODEL_NAMES.get(code, code)


@register.filter
def vn_number(value: int | float | None) -> str:
    """1234567 -> '1.234.567'; 0.85 -> '0,85' (Vietnamese separators)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")
