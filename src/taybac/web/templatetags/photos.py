"""`{% photo_img photo "card" %}`: a photo's <img> with every rendition in srcset and the slot's real width in
`sizes`, so a phone downloads the smallest file that fills the slot at its pixel density.

A product card is half the screen less the page's padding and the grid's gap (site.css: `main` padding .75rem,
`.grid` gap .6rem, two columns at 360 px): 163 CSS px, 326 device pixels on a 2× phone, which the 400 w rendition
covers (catalog/images.py). Photos stored before that width existed list the widths they have.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from taybac.catalog.models import WebpPhoto

register = template.Library()

# The width each slot takes on screen (CSS px), as `sizes` tells the browser before the layout is known.
SLOTS = {
    "card": "(min-width: 700px) 180px, calc(50vw - 17px)",
    "gallery": "(min-width: 700px) 480px, calc(100vw - 24px)",
}
# The width attribute (for the aspect ratio before the file arrives): the rendition `src` names.
SLOT_WIDTH = {"card": 320, "gallery": 0}  # 0: the photo's own width


@register.simple_tag
def photo_img(photo: WebpPhoto, slot: str, alt: str = "", eager: bool = False) -> SafeString:
    """The <img> of a stored photo for a slot of SLOTS (an unknown slot is a template error, at once); lazy-loaded
    unless `eager` (the first photo of a page, which is on screen at once)."""
    sizes = SLOTS[slot]
    width = SLOT_WIDTH[slot] or photo.width
    height = round(photo.height * width / photo.width) if photo.width else photo.height
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}"{} decoding="async" alt="{}">',
        photo.src,
        photo.srcset,
        sizes,
        width,
        height,
        "" if eager else mark_safe(' loading="lazy"'),
        alt if alt else getattr(photo, "alt", ""),
    )
