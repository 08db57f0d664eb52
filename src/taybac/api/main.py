"""The hub's JSON API, version 1: one router per domain, mounted under /api/v1/ (see docs/api.md)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from ninja import NinjaAPI

from taybac.api import (
    assistant,
    epcis,
    fairs,
    live,
    orders,
    payments,
    products,
    regions,
    reviews,
    search,
    seller,
    shops,
    windows,
)
from taybac.api.errors import GENERIC_REFUSALS, install_error_handlers

DESCRIPTION = """\
Read access to the Tây Bắc Hub catalogue: provinces and communes (2025 units), shops, products and search;
and, for signed-in producers and the helpers they delegated to, `/seller/` endpoints that change their own
shop (session cookie from the seller centre sign-in; unsafe methods need the `X-CSRFToken` header).

* Money is an integer number of đồng.
* Lists are paginated: `{"items": [...], "count": N, "page": P, "page_size": S}` with `page` ≥ 1 and
  `page_size` 1–100.
* Errors are `{"error": {"code": "...", "message": "..."}}` with a 4xx status: 422 `validation_error` for
  malformed parameters (with `details` per field), 400 for requests the domain refuses (with `field`; each
  operation's 400 says which rules it checks that this document cannot express), 404 `not_found`,
  401 `unauthenticated` and 403 `forbidden` on the seller endpoints, 405 `method_not_allowed`, 413 `too_large`.
  Every answer under `/api/v1/`, unknown paths included, is JSON.
"""


class HubAPI(NinjaAPI):
    """Error responses say when they happen, not just "Bad Request" (ninja's default description)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                for status, response in operation.get("responses", {}).items():
                    generic = GENERIC_REFUSALS.get(int(status))
                    if generic and response.get("description") == HTTPStatus(int(status)).phrase:
                        response["description"] = generic
        return schema


api = HubAPI(title="Tây Bắc Hub API", version="1", description=DESCRIPTION, urls_namespace="api-v1")
install_error_handlers(api)
api.add_router("/regions", regions.router)
api.add_router("/shops", shops.router)
api.add_router("/products", products.router)
api.add_router("/search", search.router)
api.add_router("/seller", seller.router)
api.add_router("", orders.router)
api.add_router("/payments", payments.router)
api.add_router("/epcis", epcis.router)
api.add_router("", reviews.router)
api.add_router("", live.router)
api.add_router("", fairs.router)
api.add_router("", windows.router)
api.add_router("", assistant.router)
