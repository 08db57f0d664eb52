"""Review bits of storefront templates: the stars of a card, "Đã bán N", and the product page's review section."""

from __future__ import annotations

from typing import Any

from django import template

from taybac.catalog.models import Product
from taybac.reviews import selectors

register = template.Library()

SECTION_REVIEWS = 5


@register.filter
def rating(product: Product) -> str:
    """Mean stars with a Vietnamese decimal comma: 4.75 → '4,8' (empty before the first review)."""
    average = product.rating_average
    return "" if average is None else f"{average:.1f}".replace(".", ",")


@register.filter
def star_row(stars: float | int | None) -> str:
    """Five glyphs for a rounded number of stars: 4 → '★★★★☆'."""
    full = max(0, min(5, round(stars or 0)))
    return "★" * full + "☆" * (5 - full)


@register.filter
def sold(count: int) -> str:
    """Units sold as Vietnamese shops show them: 950 → '950', 1234 → '1,2k', 25000 → '25k', 1_500_000 → '1,5tr'."""
    count = int(count or 0)
    if count < 1000:
        return str(count)
    value, unit = (count / 1000, "k") if count < 1_000_000 else (count / 1_000_000, "tr")
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else str(int(value))
    return f"{text.replace('.', ',')}{unit}"


@register.inclusion_tag("web/reviews/_section.html", takes_context=True)
def product_reviews(context: dict[str, Any], product: Product) -> dict[str, Any]:
    """The product page's section: summary, distribution and the latest reviews with photos and replies.

    Costs nothing before the first review (the counts are on the product); then three queries.
    """
    has_reviews = bool(product.rating_count)
    return {
        "product": product,
        "distribution": selectors.star_distribution(product.pk) if has_reviews else {},
        "reviews": list(selectors.published_reviews(product.pk)[:SECTION_REVIEWS]) if has_reviews else [],
        "more": product.rating_count > SECTION_REVIEWS,
        "user": context.get("user"),
    }
