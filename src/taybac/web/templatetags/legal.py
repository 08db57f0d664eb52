"""The operator's legal information in every page's footer (compliance/legal.py, docs/compliance.md)."""

from __future__ import annotations

from typing import Any

from django import template

from taybac.compliance.legal import operator_info

register = template.Library()


@register.inclusion_tag("web/legal/_footer.html")
def legal_footer() -> dict[str, Any]:
    return {"operator": operator_info()}


@register.simple_tag
def legal_contact() -> str:
    """The operator's name, e-mail and hotline on one line (for the notice and the legal pages)."""
    info = operator_info()
    return f"{info.name} · E-mail: {info.email} · Đường dây nóng: {info.hotline} · {info.address}"
