"""Synthetic product photos: a coloured card with the product's initials and a motif of its category.

They go through catalog.services.add_photo like a producer's upload, so the demo exercises the real
resizing to WebP renditions. Text is ASCII because Pillow's built-in font has no Vietnamese glyphs.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFont

from taybac.core.text import fold_words

WIDTH, HEIGHT = 640, 480

# category slug -> (top colour, bottom colour, English label)
PALETTE: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], str]] = {
    "che": ((46, 125, 50), (165, 214, 167), "TEA"),
    "mat-ong": ((245, 166, 35), (255, 224, 130), "HONEY"),
    "trai-cay": ((230, 81, 0), (255, 204, 128), "FRUIT"),
    "duoc-lieu": ((93, 64, 55), (188, 170, 164), "HERBS"),
    "gia-vi": ((183, 28, 28), (239, 154, 154), "SPICES"),
    "gao-ngu-coc": ((175, 180, 43), (240, 244, 195), "RICE & GRAINS"),
    "thit-kho": ((121, 85, 72), (215, 204, 200), "DRIED FOODS"),
    "thu-cong-tho-cam": ((106, 27, 154), (225, 190, 231), "CRAFTS"),
    "du-lich-cong-dong": ((2, 119, 189), (179, 229, 252), "COMMUNITY TOURISM"),
}


def initials(name: str) -> str:
    """'Mật ong bạc hà Mèo Vạc' -> 'MOBH' (at most four letters, ASCII)."""
    return "".join(word[0] for word in fold_words(name)[:4]).upper() or "TB"


def _gradient(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        draw.line([(0, y), (WIDTH, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return image


def _motif(draw: ImageDraw.ImageDraw, category: str, rng: random.Random) -> None:
    """A few light shapes so cards of one category look alike but not identical."""
    light = (255, 255, 255)
    for _ in range(7):
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(18, 60)
        if category == "mat-ong":
            draw.regular_polygon((x, y, r), 6, outline=light, width=4)
        elif category in ("che", "duoc-lieu"):
            draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), outline=light, width=4)
        elif category == "thu-cong-tho-cam":
            draw.regular_polygon((x, y, r), 4, outline=light, width=4)
        elif category == "du-lich-cong-dong":
            draw.polygon([(x - r, y + r), (x, y - r), (x + r, y + r)], outline=light, width=4)
        else:
            draw.ellipse((x - r, y - r, x + r, y + r), outline=light, width=4)


def product_card(*, name: str, category: str, seed: int) -> bytes:
    """A 640×480 JPEG for a product; the same inputs always give the same picture."""
    top, bottom, label = PALETTE.get(category, ((96, 125, 139), (207, 216, 220), "PRODUCT"))
    image = _gradient(top, bottom)
    draw = ImageDraw.Draw(image)
    _motif(draw, category, random.Random(seed))
    text = initials(name)
    big = ImageFont.load_default(size=200 if len(text) <= 2 else 150)
    small = ImageFont.load_default(size=34)
    draw.text(
        (WIDTH / 2, HEIGHT / 2 - 20), text, font=big, fill=(255, 255, 255), anchor="mm", stroke_width=4, stroke_fill=top
    )
    draw.text((WIDTH / 2, HEIGHT - 50), label, font=small, fill=tuple(c // 2 for c in top), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
