"""Seller endpoints: a producer, or a helper acting under delegation, manages a shop's products.

Authenticated by the Django session (the same sign-in as the seller centre; unsafe methods need the
CSRF token). Permission is checked by the catalogue services on every call: a helper can only reach a
shop whose producer delegated to them, and everything done is audited "X on behalf of Y".
"""

from __future__ import annotations

from typing import Annotated, Any

from annotated_types import Ge, Le
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.security import SessionAuth
from pydantic import BaseModel, ConfigDict, model_validator

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import managed_producers
from taybac.api import presenters
from taybac.api.errors import ERRORS, ErrorOut, NotFound, refusals
from taybac.api.params import MAX_CODE, SLUG_PATTERN
from taybac.api.schemas import JSON_INTEGER, JsonInt, ProductDetailOut, VariantOut
from taybac.catalog import selectors
from taybac.catalog.models import Category, Shop, Variant
from taybac.catalog.services import create_product, update_variant
from taybac.core.errors import DomainError
from taybac.core.money import MAX_PRICE_VND


class SignedInSession(SessionAuth):
    """ninja's session auth checks CSRF first, so a caller with no session got 403 "CSRF check Failed"; without a
    session there is nothing to forge: step aside and let the answer be 401 unauthenticated."""

    def __call__(self, request: HttpRequest) -> Any:
        return super().__call__(request) if request.user.is_authenticated else None


router = Router(tags=["seller"], auth=SignedInSession())
AUTH_ERRORS: dict[int, type[Schema]] = {**ERRORS, 401: ErrorOut, 403: ErrorOut}


class ManagedProducerOut(Schema):
    id: int
    name: str
    kind: str
    shop_slug: str | None
    on_behalf: bool = Field(..., description="True when the signed-in user manages it under a delegation.")


class VariantId(Schema):
    id: int = Field(..., ge=1, le=MAX_CODE)


class ShopSlug(Schema):
    slug: str = Field(..., max_length=80, pattern=SLUG_PATTERN)


class StrictBody(BaseModel):
    """Request bodies: a JSON object with known fields only (ninja's Schema would read a list by attributes)."""

    model_config = ConfigDict(extra="forbid")


Month = Annotated[int, Ge(1), Le(12), JSON_INTEGER]


class VariantPatch(StrictBody):
    """Give price, quantity or both (absent means unchanged; null is not a value)."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})
    price: JsonInt = Field(None, ge=1, le=MAX_PRICE_VND, description="Integer đồng.")  # type: ignore[assignment]
    quantity: JsonInt = Field(None, ge=0, le=1_000_000, description="Units on hand.")  # type: ignore[assignment]

    @model_validator(mode="after")
    def _something_to_change(self) -> VariantPatch:
        if self.price is None and self.quantity is None:
            raise ValueError("give price, quantity or both")
        return self


class ProductIn(StrictBody):
    name: str = Field(..., min_length=1, max_length=120)
    category: str = Field(..., max_length=50, pattern=SLUG_PATTERN, description="Category slug, e.g. mat-ong.")
    price: JsonInt = Field(..., ge=1, le=MAX_PRICE_VND, description="Integer đồng.")
    quantity: JsonInt = Field(..., ge=0, le=1_000_000)
    weight_grams: JsonInt = Field(..., ge=1, le=100_000)
    unit: str = Field("gói", min_length=1, max_length=20)
    description: str = Field("", max_length=20_000)
    gtin: str = Field(
        "",
        pattern=r"^([0-9]{8}|[0-9]{12,14})?$",
        description="The producer's own GTIN-8/12/13/14 (check digit verified); empty: the hub allocates one.",
    )
    season_months: list[Month] = Field(default_factory=list, max_length=12, description="Months in season, 1–12.")


@router.get(
    "/producers",
    response={200: list[ManagedProducerOut], **AUTH_ERRORS},
    summary="Producers I manage",
    operation_id="seller_list_producers",
)
def list_producers(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    producers = managed_producers(request.user).select_related("shop")
    return [
        {
            "id": p.pk,
            "name": p.name,
            "kind": p.kind,
            "shop_slug": getattr(getattr(p, "shop", None), "slug", None),
            "on_behalf": p.owner_id != request.user.pk,
        }
        for p in producers
    ]


@router.patch(
    "/variants/{id}",
    response={200: VariantOut, **AUTH_ERRORS},
    summary="Update a variant's price or stock",
    operation_id="seller_update_variant",
    openapi_extra=refusals(
        {
            400: "`invalid` (field `quantity`): fewer units than orders already hold; (field `price`): a "
            "price the catalogue refuses.",
            403: "`forbidden`: the variant's shop belongs to a producer you do not manage (helpers: no live "
            "delegation); or the CSRF header is missing.",
            404: "`not_found`: no variant with this id.",
        }
    ),
)
def patch_variant(request: AuthenticatedHttpRequest, path: Path[VariantId], body: VariantPatch) -> dict[str, Any]:
    variant = Variant.objects.select_related("shop__producer").filter(pk=path.id).first()
    if variant is None:
        raise NotFound(f"No variant {path.id}.")
    updated = update_variant(
        actor=request.user,
        variant=variant,
        name=variant.name,
        unit=variant.unit,
        weight_grams=variant.weight_grams,
        price=variant.price if body.price is None else body.price,
        quantity=variant.quantity if body.quantity is None else body.quantity,
    )
    return presenters.variant(updated)


@router.post(
    "/shops/{slug}/products",
    response={201: ProductDetailOut, **AUTH_ERRORS},
    summary="Create a product with its first variant",
    operation_id="seller_create_product",
    openapi_extra=refusals(
        {
            400: "`unknown_category` (field `category`): no category with this slug; `invalid` (field "
            "`gtin`): a wrong check digit or a GTIN another product uses; (field `name`): blank once "
            "control characters are removed.",
            403: "`forbidden`: the shop belongs to a producer you do not manage (helpers: no live "
            "delegation); or the CSRF header is missing.",
            404: "`not_found`: no shop with this slug.",
        }
    ),
)
def post_product(request: AuthenticatedHttpRequest, path: Path[ShopSlug], body: ProductIn) -> Status:
    shop = Shop.objects.select_related("producer").filter(slug=path.slug).first()
    if shop is None:
        raise NotFound(f"No shop {path.slug}.")
    category = Category.objects.filter(slug=body.category).first()
    if category is None:
        raise DomainError(f"Không có ngành hàng '{body.category}'.", field="category", code="unknown_category")
    product = create_product(
        actor=request.user,
        shop=shop,
        name=body.name,
        category=category,
        price=body.price,
        quantity=body.quantity,
        weight_grams=body.weight_grams,
        unit=body.unit,
        description=body.description,
        season_months=body.season_months,
        gtin=body.gtin,
    )
    return Status(201, presenters.product_detail(request, selectors.seller_product_detail(product.pk)))
