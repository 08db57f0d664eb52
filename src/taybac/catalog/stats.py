"""The figures a product card shows about past buyers: its rating (count and sum of stars) and units sold.

The catalogue owns these columns; the apps that know the facts call here (reviews when a review is published,
hidden or shown again; fulfilment when a shop order is delivered), inside their own transaction, so a figure
moves together with the write that justifies it or not at all. Updates are relative (`F()` expressions):
two buyers reviewing at once each add their own stars, neither overwrites the other's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import F

from taybac.catalog import hooks
from taybac.catalog.models import Product
from taybac.core.errors import DomainError

MIN_STARS, MAX_STARS = 1, 5


def change_rating(*, product_id: int, stars: int, published: bool) -> None:
    """Count one review of `stars` in (published) or out (hidden by an operator) of the product's rating."""
    if not MIN_STARS <= stars <= MAX_STARS:
        raise DomainError(f"Số sao phải từ {MIN_STARS} đến {MAX_STARS}.", field="stars")
    step = 1 if published else -1
    products = Product.objects.filter(pk=product_id)
    if not published:  # never below zero, even if a figure was repaired by hand in between
        products = products.filter(rating_count__gte=1, rating_total__gte=stars)
    if products.update(rating_count=F("rating_count") + step, rating_total=F("rating_total") + step * stars):
        hooks.products_changed([product_id])  # the search index sorts by rating: refresh it after commit


def record_sales(*, units: Iterable[tuple[int, int]]) -> None:
    """Add delivered units to each product's "Đã bán" count; `units` is (product id, quantity) per order line."""
    per_product: Counter[int] = Counter()
    for product_id, quantity in units:
        per_product[product_id] += quantity
    for product_id, quantity in sorted(per_product.items()):  # a fixed order: concurrent deliveries lock alike
        if quantity > 0:
            Product.objects.filter(pk=product_id).update(sold_count=F("sold_count") + quantity)
