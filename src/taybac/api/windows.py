"""Harvest sales windows (docs/selling-events.md, "Harvest sales windows"): what apps list and open, with the
buyer's page URL, the product and the quota left."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from taybac.api.errors import ERRORS, NotFound, refusals
from taybac.api.params import PageParams, paginate
from taybac.campaigns.window_models import SalesWindow
from taybac.campaigns.window_selectors import page_url, public_windows, quota_left

router = Router(tags=["sales-windows"])
Status = Literal["open", "closed", "harvested"]


class WindowProductOut(Schema):
    variant_id: int
    product_id: int
    product: str
    variant: str
    usual_price: int = Field(..., description="The variant's own price, integer đồng.")


class SalesWindowOut(Schema):
    id: int
    title: str
    status: Status
    shop: str = Field(..., description="The shop's slug.")
    url: str = Field(..., description="The buyer's pre-order page.")
    price: int = Field(..., description="Pre-order unit price, integer đồng.")
    payment: Literal["full", "deposit"]
    deposit_percent: int = Field(..., ge=1, le=100)
    quota: int
    quota_left: int = Field(..., ge=0)
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    delivery_week: datetime.date = Field(..., description="Monday of the expected delivery week.")
    products: list[WindowProductOut]


class SalesWindowPage(Schema):
    items: list[SalesWindowOut]
    count: int = Field(..., ge=0)
    page: int
    page_size: int


class WindowFilters(Schema):
    status: Status | None = Field(None, description="Only windows in this state.")


class WindowId(Schema):
    id: int = Field(..., ge=1, le=2_147_483_647, description="Sales window id.")


def _present(window: SalesWindow) -> dict[str, Any]:
    variant = window.variant
    return {
        "id": window.pk,
        "title": window.title,
        "status": window.status,
        "shop": window.shop.slug,
        "url": page_url(window),
        "price": window.price,
        "payment": window.payment,
        "deposit_percent": window.deposit_percent,
        "quota": window.quota,
        "quota_left": quota_left(window),
        "opens_at": window.opens_at,
        "closes_at": window.closes_at,
        "delivery_week": window.delivery_week,
        "products": [
            {
                "variant_id": variant.pk,
                "product_id": variant.product_id,
                "product": variant.product.name,
                "variant": variant.name,
                "usual_price": variant.price,
            }
        ],
    }


@router.get(
    "/sales-windows",
    response={200: SalesWindowPage, **ERRORS},
    summary="List harvest sales windows",
    operation_id="list_sales_windows",
)
def list_sales_windows(
    request: HttpRequest, filters: Query[WindowFilters], pagination: Query[PageParams]
) -> dict[str, Any]:
    windows = public_windows()
    if filters.status:
        windows = windows.filter(status=filters.status)
    page = paginate(windows, pagination)
    return page.envelope([_present(w) for w in page.items])


@router.get(
    "/sales-windows/{id}",
    response={200: SalesWindowOut, **ERRORS},
    summary="Get a harvest sales window",
    operation_id="get_sales_window",
    openapi_extra=refusals({404: "`not_found`: no public sales window with this id."}),
)
def get_sales_window(request: HttpRequest, path: Path[WindowId]) -> dict[str, Any]:
    window = public_windows().filter(pk=path.id).first()
    if window is None:
        raise NotFound(f"No sales window {path.id}.")
    return _present(window)
