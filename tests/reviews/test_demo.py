"""The demo shows a rating: the demo buyer's delivered honey, reviewed through the real service, once."""

from __future__ import annotations

from taybac.catalog.models import Product
from taybac.demo.loader import load_demo_data
from taybac.reviews.models import Review
from tests.demo.conftest import demo, loaded  # noqa: F401  (the demo loaded once for this module)


def test_the_demo_honey_has_a_five_star_review_and_a_sale(loaded, client):
    review = Review.objects.select_related("product", "author").get()
    assert (review.stars, review.author.phone, review.author_name) == (5, "+84918000001", "N. T. Hà")
    product = Product.objects.get(pk=review.product_id)
    assert (product.rating_count, product.rating_total) == (1, 5) and product.sold_count >= 1
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Mật ong bạc hà thơm" in page and "Đã bán" in page


def test_loading_again_adds_no_review(loaded):
    load_demo_data()
    assert Review.objects.count() == 1
    assert Product.objects.get(pk=Review.objects.get().product_id).rating_count == 1
