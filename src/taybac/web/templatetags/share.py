"""Open Graph tags and Facebook/Zalo share links for any page (docs/selling-events.md, "Sharing and campaigns"):
the page's public address without its query, so a shared link never carries someone else's campaign code."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from taybac.web.views_brands import share_links

register = template.Library()


def _url(context: dict[str, Any]) -> str:
    return settings.PUBLIC_URL.rstrip("/") + context["request"].path


@register.inclusion_tag("web/brand/_og.html", takes_context=True)
def share_meta(context: dict[str, Any], title: str, description: str = "", image: str = "") -> dict[str, Any]:
    return {"og": {"title": title, "description": description[:200], "image": image, "url": _url(context)}}


@register.inclusion_tag("web/brand/_share.html", takes_context=True)
def share_buttons(context: dict[str, Any]) -> dict[str, Any]:
    return {"share": share_links(_url(context))}
