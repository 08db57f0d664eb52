"""Review reads for the product page, the buyer's "to review" list, the seller centre and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils import timezone

from taybac.accounts.models import User
from taybac.catalog.models import Product
from taybac.orders.models import OrderLine
from taybac.reviews.eligibility import REVIEW_WINDOW_DAYS, REVIEWABLE_STATUSES, bought_by, delivered_at, window_open
from taybac.reviews.models import Review, ReviewPhoto

MAX_PURCHASES_LISTED = 50


def reviewed_product(product_id: int) -> Product | None:
    """A public product with what its reviews page heads with (its shop for the link back)."""
    return Product.objects.filter(pk=product_id, is_active=True, shop__is_active=True).select_related("shop").first()


def published_reviews(product_id: int) -> QuerySet[Review]:
    """A product's visible reviews, newest first, with their photos in one more query."""
    return (
        Review.objects.filter(product_id=product_id, is_hidden=False)
        .prefetch_related(Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "id")))
        .order_by("-created_at", "-id")
    )


def star_distribution(product_id: int) -> dict[int, int]:
    """Visible reviews per number of stars, 5 down to 1 (zeros included), in one query."""
    counts = dict(
        Review.objects.filter(product_id=product_id, is_hidden=False)
        .values_list("stars")
        .annotate(n=Count("id"))
        .values_list("stars", "n")
    )
    return {stars: counts.get(stars, 0) for stars in range(5, 0, -1)}


@dataclass(frozen=True)
class Purchase:
    """A delivered order line the buyer may still review, and until when."""

    line: OrderLine
    review_until: datetime.datetime


def purchases_to_review(user: User, *, now: datetime.datetime | None = None) -> list[Purchase]:
    """The user's delivered lines without a review whose window is open, most recent first (three queries)."""
    lines = list(
        OrderLine.objects.filter(bought_by(user), shop_order__status__in=REVIEWABLE_STATUSES, review__isnull=True)
        .select_related("shop_order__order", "variant__product")
        .prefetch_related("variant__product__photos")
        .order_by("-shop_order__created_at", "-id")[:MAX_PURCHASES_LISTED]
    )
    when = delivered_at(sorted({line.shop_order_id for line in lines}))
    now = now or timezone.now()
    return [
        Purchase(line=line, review_until=when[line.shop_order_id] + datetime.timedelta(days=REVIEW_WINDOW_DAYS))
        for line in lines
        if window_open(when.get(line.shop_order_id), now)
    ]


def reviews_by(user: User) -> QuerySet[Review]:
    """What the user wrote (hidden ones too, marked as such on their page)."""
    return (
        Review.objects.filter(author=user)
        .select_related("product")
        .prefetch_related(Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "id")))
    )


def reviews_for_seller(producer_id: int) -> QuerySet[Review]:
    """Visible reviews of a producer's products, unanswered first (the caller resolved whom the user manages)."""
    return (
        Review.objects.filter(product__shop__producer_id=producer_id, is_hidden=False)
        .select_related("product")
        .prefetch_related(Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "id")))
        .order_by(F("replied_at").asc(nulls_first=True), "-created_at", "-id")
    )
