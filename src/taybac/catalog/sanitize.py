"""Product descriptions are user HTML: keep simple formatting, drop everything else (nh3)."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "h3", "h4", "blockquote"}
MAX_DESCRIPTION_CHARS = 20_000
_LOOKS_LIKE_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def sanitize_description(raw: str) -> str:
    """Plain text becomes paragraphs; HTML keeps only ALLOWED_TAGS, with no attributes."""
    text = (raw or "").strip()[:MAX_DESCRIPTION_CHARS]
    if not _LOOKS_LIKE_HTML.search(text):
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        text = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, link_rel=None)


_BLOCK_END = re.compile(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", re.IGNORECASE)


def description_to_text(clean_html: str) -> str:
    """Sanitised HTML back to plain text, for the seller's editor and the search index: paragraphs as blank
    lines and breaks as newlines, so words of neighbouring blocks never run together."""
    marked = _BLOCK_END.sub(lambda m: "\n" if m.group(0).lower().startswith("<br") else "\n\n", clean_html or "")
    text = html.unescape(nh3.clean(marked, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
