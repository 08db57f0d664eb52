"""Template helpers of the assistant's chat and inboxes: links in messages, the seller home's inbox badge."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from taybac.assistant.inbox_selectors import waiting_count
from taybac.catalog.models import Shop

register = template.Library()

# The site's own paths the assistant writes next to its facts (product and shop pages, the order look-up) and
# after an order placed in the chat (the order page and its VietQR image, with their signed key).
_PATH = re.compile(r"(?<![\w/])(/(?:san-pham|gian-hang|tra-cuu|don-hang)/[\w\-/?=%.]*[\w/])")


@register.filter
def chat_links(text: str) -> SafeString:
    """The message escaped, with the site's paths in it as links (no other markup is ever let through)."""
    return mark_safe(_PATH.sub(r'<a href="\1">\1</a>', escape(text)))  # escaped first; only paths added


@register.inclusion_tag("web/assistant/inbox_badge.html")
def inbox_badge(shop: Shop | None) -> dict[str, Any]:
    """The "Tin nhắn" link on the seller centre's home, with how many conversations wait for a person (one query)."""
    return {"count": waiting_count(shop=shop) if shop is not None else 0}
