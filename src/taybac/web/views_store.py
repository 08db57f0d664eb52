"""Buyer-facing pages: home, search, product, shop, province. Thin: selectors and services do the work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from taybac.catalog.models import Category, Product, Variant
from taybac.catalog.selectors import (
    ocop_products,
    product_by_gtin,
    product_detail,
    products_in_season,
    products_of_province,
    provinces_with_counts,
    shop_by_slug,
    shops_of_province,
)
from taybac.core.ids import small_int
from taybac.regions.selectors import province_by_slug, provinces_for_people
from taybac.search.services import SearchError, SearchFilters, autocomplete, search_products
from taybac.traceability.models import Lot
from taybac.web import cart, search_visits
from taybac.web.views_brands import brand_context

HOME_SECTION_SIZE = 8
PAGE_SIZE = 20
# The search page's ?sap_xep= values: (service sort, label).
SEARCH_SORTS = {
    "": ("relevance", "Liên quan"),
    "gia-tang": ("price_asc", "Giá thấp → cao"),
    "gia-giam": ("price_desc", "Giá cao → thấp"),
    "moi-nhat": ("newest", "Mới nhất"),
    "danh-gia": ("rating", "Đánh giá cao"),
}
LOT_STORIES = 6  # newest lots linked from a product page


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    today = datetime.date.today()
    return render(
        request,
        "web/store/home.html",
        {
            "provinces": provinces_with_counts(),
            "in_season": list(products_in_season(today)[:HOME_SECTION_SIZE]),
            "ocop_picks": list(ocop_products(today)[:HOME_SECTION_SIZE]),
            "categories": Category.objects.all(),
            "month": today.month,
        },
    )


def _int_param(request: HttpRequest, name: str, label: str) -> int | None:
    raw = request.GET.get(name, "").strip().replace(".", "")
    if not raw:
        return None
    value = small_int(raw, max_digits=12)
    if value is None:
        raise SearchError(f"{label} phải là một số.", field=name)
    return value


def _filters_from(request: HttpRequest) -> tuple[SearchFilters, int]:
    filters = SearchFilters(
        province_code=_int_param(request, "tinh", "Tỉnh"),
        category_slug=request.GET.get("nganh", "").strip() or None,
        ocop_min_stars=_int_param(request, "ocop", "Số sao OCOP"),
        price_min=_int_param(request, "gia_tu", "Giá từ"),
        price_max=_int_param(request, "gia_den", "Giá đến"),
        in_season=request.GET.get("mua_vu") == "1",
    )
    page = _int_param(request, "trang", "Trang")
    return filters, 1 if page is None else page


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    context: dict[str, Any] = {
        "q": query,
        "provinces": provinces_for_people(in_region=True),
        "categories": Category.objects.all(),
        "params": request.GET,
        "sorts": SEARCH_SORTS,
    }
    try:
        filters, page = _filters_from(request)
        sort = SEARCH_SORTS.get(request.GET.get("sap_xep", ""), (None, ""))[0]
        if sort is None:
            raise SearchError("Cách sắp xếp không hợp lệ.", field="sap_xep")
        result = search_products(
            query=query,
            filters=filters,
            page=page,
            page_size=PAGE_SIZE,
            sort=sort,
            buyer_province=search_visits.buyer_province(request),
            visit=search_visits.visit_token(request),
        )
    except SearchError as error:
        context["error"] = error.message
        return render(request, "web/store/search.html", context, status=400)
    pages = max(1, -(-result.count // PAGE_SIZE))
    base = request.GET.copy()
    base.pop("trang", None)
    context.update(
        result=result, page=page, pages=pages, base_query=base.urlencode(), has_filters=bool(filters.active())
    )
    return search_visits.keep_visit(request, render(request, "web/store/search.html", context))


@require_safe
def suggest(request: HttpRequest) -> JsonResponse:
    """Names for the search box's datalist as the buyer types (progressive enhancement)."""
    try:
        names = autocomplete(prefix=request.GET.get("q", ""), limit=8)
    except SearchError as error:
        return JsonResponse({"error": {"code": error.code, "message": error.message}}, status=400)
    return JsonResponse({"items": names})


@dataclass(frozen=True)
class Offer:
    """One variant as the product page sells it: from stock, as a pre-order, or not at all, and how many one
    add-to-cart may ask for (the quantity picker's bound)."""

    variant: Variant
    mode: str  # "stock", "preorder", "later" (pre-orders open, quota full or harvest past) or "out"
    limit: int


def _offers(product: Product, variants: list[Variant], today: datetime.date) -> list[Offer]:
    upcoming = (  # only goods have a harvest to pre-order (a tour's old data may still say so)
        product.is_goods
        and product.preorder_allowed
        and product.next_harvest is not None
        and product.next_harvest > today
    )
    offers = []
    for v in variants:
        if v.available > 0:
            offers.append(Offer(v, "stock", min(v.available, cart.MAX_QUANTITY)))
        elif upcoming and v.preorder_available > 0:
            offers.append(Offer(v, "preorder", min(v.preorder_available, cart.MAX_QUANTITY)))
        else:
            offers.append(Offer(v, "later" if product.is_goods and product.preorder_allowed else "out", 0))
    return offers


def _lot_stories(product: Product) -> list[Lot]:
    """The newest lots of the product's variants, each linking to its trace page (/01/<gtin>/10/<lot>)."""
    if not product.is_goods:
        return []
    return list(
        Lot.objects.filter(variant__product=product)
        .select_related("variant")
        .only("code", "harvested_on", "quantity", "unit", "variant__gtin", "variant__name")
        .order_by("-harvested_on", "-id")[:LOT_STORIES]
    )


@require_safe
def product(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    item = product_detail(pk)
    if item is None:
        raise Http404("Không tìm thấy sản phẩm.")
    if slug != item.slug:
        return redirect(item.get_absolute_url(), permanent=True)
    today = datetime.date.today()
    ocop = getattr(item, "ocop", None)
    variants = list(item.variants.all())
    return render(
        request,
        "web/store/product.html",
        {
            "product": item,
            "variants": variants,
            "offers": _offers(item, variants, today),
            "lots": _lot_stories(item),
            "photos": list(item.photos.all()),
            "ocop": ocop if ocop and ocop.is_valid(today) else None,
            "today": today,
        },
    )


@require_safe
def product_by_digital_link(request: HttpRequest, gtin: str) -> HttpResponse:
    """GS1 Digital Link `/01/{gtin14}`: the product page of that GTIN."""
    item = product_by_gtin(gtin) if gtin.isdigit() and len(gtin) == 14 else None
    if item is None:
        raise Http404("Không tìm thấy sản phẩm có mã GTIN này.")
    return redirect(item.get_absolute_url())


@require_safe
def shop(request: HttpRequest, slug: str) -> HttpResponse:
    item = shop_by_slug(slug)
    if item is None:
        raise Http404("Không tìm thấy gian hàng.")
    return render(request, "web/store/shop.html", brand_context(request, item))  # the brand page (views_brands)


@require_safe
def province(request: HttpRequest, slug: str) -> HttpResponse:
    item = province_by_slug(slug)
    if item is None:
        raise Http404("Không tìm thấy tỉnh.")
    if slug != item.slug:
        return redirect("store-province", slug=item.slug, permanent=True)
    return render(
        request,
        "web/store/province.html",
        {
            "province": item,
            "aliases": [a.name for a in item.aliases.all()],
            "products": list(products_of_province(item.code)[:40]),
            "shops": list(shops_of_province(item.code)),
        },
    )
