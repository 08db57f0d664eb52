"""Reviews of a product (public) and writing one (the signed-in buyer of a delivered order line).

Photos are added on the web page (/danh-gia/): this JSON endpoint takes stars and text. The rules are the web
page's, in taybac.reviews (docs/reviews.md): one review per delivered order line, by its buyer, within
30 days of delivery.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.api.errors import ERRORS, ErrorOut, NotFound, refusals
from taybac.api.params import MAX_CODE, PageParams, paginate
from taybac.api.seller import SignedInSession
from taybac.reviews import selectors
from taybac.reviews.models import MAX_TEXT_CHARS, Review
from taybac.reviews.services import write_review

router = Router(tags=["reviews"])


class ReviewPhotoOut(Schema):
    src: str
    srcset: str
    width: int
    height: int


class ReplyOut(Schema):
    text: str
    replied_at: datetime.datetime


class ReviewOut(Schema):
    id: int
    product_id: int
    stars: int = Field(..., ge=1, le=5)
    text: str
    author_name: str = Field(..., description="Shortened at writing, e.g. 'N. T. Hà'; never a phone number.")
    variant_name: str
    created_at: datetime.datetime
    photos: list[ReviewPhotoOut]
    reply: ReplyOut | None = Field(None, description="The shop's one public reply.")


class RatingOut(Schema):
    count: int
    average: float | None
    sold: int = Field(..., description="Units delivered to buyers.")
    distribution: dict[str, int] = Field(..., description="Visible reviews per number of stars, '5' to '1'.")


class ReviewPage(Schema):
    items: list[ReviewOut]
    count: int
    page: int
    page_size: int
    rating: RatingOut


class ProductId(Schema):
    id: int = Field(..., ge=1, le=MAX_CODE)


class StarsFilter(Schema):
    stars: int | None = Field(None, ge=1, le=5, description="Only reviews with this many stars.")


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_line_id: int = Field(..., ge=1, le=MAX_CODE, description="The delivered order line being reviewed.")
    stars: int = Field(..., ge=1, le=5)
    text: str = Field("", max_length=MAX_TEXT_CHARS)


def present(request: HttpRequest, review: Review) -> dict[str, Any]:
    absolute = request.build_absolute_uri
    return {
        "id": review.pk,
        "product_id": review.product_id,
        "stars": review.stars,
        "text": review.text,
        "author_name": review.author_name,
        "variant_name": review.variant_name,
        "created_at": review.created_at,
        "photos": [
            {
                "src": absolute(ph.src),
                "srcset": ", ".join(f"{absolute(ph.url(w))} {w}w" for w in ph.widths),
                "width": ph.width,
                "height": ph.height,
            }
            for ph in review.photos.all()
        ],
        "reply": {"text": review.reply_text, "replied_at": review.replied_at} if review.reply_text else None,
    }


@router.get(
    "/products/{id}/reviews",
    response={200: ReviewPage, **ERRORS},
    summary="Reviews of a product",
    operation_id="list_product_reviews",
    openapi_extra=refusals({404: "`not_found`: no product with this id, or it is not on sale."}),
)
def list_reviews(
    request: HttpRequest, path: Path[ProductId], filters: Query[StarsFilter], pagination: Query[PageParams]
) -> dict[str, Any]:
    product = selectors.reviewed_product(path.id)
    if product is None:
        raise NotFound(f"No product {path.id}.")
    reviews = selectors.published_reviews(product.pk)
    if filters.stars is not None:
        reviews = reviews.filter(stars=filters.stars)
    page = paginate(reviews, pagination)
    no_reviews = dict.fromkeys(range(5, 0, -1), 0)
    distribution = selectors.star_distribution(product.pk) if product.rating_count else no_reviews
    return {
        **page.envelope([present(request, r) for r in page.items]),
        "rating": {
            "count": product.rating_count,
            "average": product.rating_average,
            "sold": product.sold_count,
            "distribution": {str(stars): n for stars, n in distribution.items()},
        },
    }


@router.post(
    "/reviews",
    response={201: ReviewOut, **ERRORS, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Review a delivered purchase",
    operation_id="create_review",
    auth=SignedInSession(),
    openapi_extra=refusals(
        {
            400: "`not_delivered`: the order line's shop order is not delivered (or was returned); "
            "`review_closed`: delivered more than 30 days ago; `invalid` (field `text`): over the length limit.",
            403: "`forbidden`: the CSRF header is missing.",
            404: "`not_found`: no order line with this id among the signed-in user's orders.",
            409: "`conflict`: this order line has a review already.",
        }
    ),
)
def create_review(request: AuthenticatedHttpRequest, body: ReviewIn) -> Status:
    review = write_review(actor=request.user, line_id=body.order_line_id, stars=body.stars, text=body.text)
    return Status(201, present(request, review))
