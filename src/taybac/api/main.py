"""The hub's JSON API, version 1: one router per domain, mounted under /api/v1/ (see docs/api.md)."""
from __future__ import annotations

from ninja import NinjaAPI

from taybac.api import epcis, orders, payments, products, regions, search, seller, shops
from taybac.api.errors import install_error_handlers

DESCRIPTION = """\
Read access to the Tây Bắc Hub catalogue: provinces and communes (2025 units), shops, products and search;
and, for signed-in producers and the helpers they delegated to, `/seller/` endpoints that change their own
shop (session cookie from the seller centre sign-in; unsafe methods need the `X-CSRFToken` header).

* Money is an integer number of đồng.
* Lists are paginated: `{"items": [...], "count": N, "page": P, "page_size": S}` with `page` ≥ 1 and
  `page_size` 1–100.
* Errors are `{"error": {"code": "...", "message": "..."}}` with a 4xx status: 422 `validation_error` for
  malformed parameters (with `details` per field), 400 for requests the domain refuses (with `field`),
  404 `not_found`, 401 `unauthenticated` and 403 `forbidden` on the seller endpoints.
"""

api = NinjaAPI(title="Tây Bắc Hub API", version="1", description=DESCRIPTION, urls_namespace="api-v1")
install_error_handlers(api)
api.add_router("/regions", regions.router)
api.add_router("/shops", shops.router)
api.add_router("/products", products.router)
api.add_router("/search", search.router)
api.add_router("/seller", seller.router)
api.add_router("", orders.router)
api.add_router("/payments", payments.router)
api.add_router("/epcis", epcis.router)
