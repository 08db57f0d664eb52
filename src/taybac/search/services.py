"""Product search and autocomplete: the one entry point for pages, the API and the CLI.

Text is folded (lower case, no diacritics, đ -> d) on both sides, so "mat ong" and "Mật ong" are the
same query; see docs/search.md for typo tolerance, prefixes, ranking and the query log.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone

from taybac.catalog.models import Product
from taybac.catalog.selectors import product_cards
from taybac.core.errors import DomainError
from taybac.core.money import MAX_PRICE_VND
from taybac.search.backends import get_backend
from taybac.search.backends.base import SORTS, FilterSpec
from taybac.search.models import SearchQueryLog
from taybac.search.query import plan_query, query_words
from taybac.search.synonyms import synonym_table
from taybac.search.visits import is_visit_token, known_province

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100
MAX_SUGGESTIONS = 50
MAX_CODE = 2_147_483_647


class SearchError(DomainError):
    """A search that cannot be run as asked (the message is for the buyer, `field`/`code` for clients)."""


@dataclass(frozen=True)
class SearchFilters:
    province_code: int | None = None
    category_slug: str | None = None
    ocop_min_stars: int | None = None  # 3..5, valid (unexpired) certificate
    price_min: int | None = None  # đồng, on the cheapest active variant
    price_max: int | None = None
    in_season: bool = False  # product.season_mask has the current month's bit

    def active(self) -> dict[str, Any]:
        """The filters actually set, as JSON for the query log."""
        return {k: v for k, v in asdict(self).items() if v is not None and v is not False and v != ""}


@dataclass
class SearchPage:
    items: list[Product]  # product cards (taybac.catalog.selectors.product_cards), in rank order
    count: int  # total matches
    page: int
    page_size: int
    query: str


def _clean(text: Any, *, field: str) -> str:
    if not isinstance(text, str):
        raise SearchError("Từ khóa tìm kiếm không hợp lệ.", field=field, code="invalid_query")
    kept = "".join(
        " " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cs"}
    )
    cleaned = " ".join(kept.split())
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise SearchError(f"Từ khóa quá dài (tối đa {MAX_QUERY_LENGTH} ký tự).", field=field, code="query_too_long")
    return cleaned


def _int(value: Any, *, field: str, label: str, low: int, high: int, code: str = "invalid_filter") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SearchError(
            f"{label} phải là số nguyên từ {low:,} đến {high:,}.".replace(",", "."), field=field, code=code
        )
    return value


def _filter_spec(filters: SearchFilters) -> FilterSpec:
    """Validate the filters and turn them into database terms."""
    if not isinstance(filters, SearchFilters):
        raise SearchError("Bộ lọc không hợp lệ.", code="invalid_filter")
    province = (
        None
        if filters.province_code is None
        else _int(filters.province_code, field="province_code", label="Mã tỉnh", low=1, high=MAX_CODE)
    )
    category = filters.category_slug or None  # "" from an untouched form select means "all"
    if category is not None and (not isinstance(category, str) or len(category) > 50):
        raise SearchError("Ngành hàng không hợp lệ.", field="category_slug", code="invalid_filter")
    stars = (
        None
        if filters.ocop_min_stars is None
        else _int(filters.ocop_min_stars, field="ocop_min_stars", label="Số sao OCOP", low=3, high=5)
    )
    low = (
        None
        if filters.price_min is None
        else _int(filters.price_min, field="price_min", label="Giá thấp nhất", low=0, high=MAX_PRICE_VND)
    )
    high = (
        None
        if filters.price_max is None
        else _int(filters.price_max, field="price_max", label="Giá cao nhất", low=0, high=MAX_PRICE_VND)
    )
    if low is not None and high is not None and low > high:
        raise SearchError(
            "Giá thấp nhất không được lớn hơn giá cao nhất.", field="price_min", code="invalid_price_range"
        )
    today = timezone.localdate()
    return FilterSpec(
        province_code=province,
        category_slug=category,
        ocop_min_stars=stars,
        price_min=low,
        price_max=high,
        season_bit=(1 << today.month) if filters.in_season else None,
        today=today,
    )


def _cards(ids: list[int]) -> list[Product]:
    """Product cards for a page of ids, in the given order (two queries: cards and photos)."""
    if not ids:
        return []
    by_id = {p.pk: p for p in product_cards().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def search_products(
    *,
    query: str,
    filters: SearchFilters | None = None,
    page: int = 1,
    page_size: int = 20,
    sort: str = "relevance",
    log: bool = True,
    buyer_province: int | None = None,
    visit: str = "",
) -> SearchPage:
    """Products matching every word of the query (typed with or without diacritics), best first, or in the
    order of `sort` (SORTS: relevance, price_asc, price_desc, newest, rating).

    An empty query lists the filtered catalogue, newest first (or by `sort`). At most six SQL queries: up to two
    vocabulary lookups (only for words of 4+ letters), the ranked page (with its total), cards,
    photos and the log row; a page past the end needs a count instead of cards and photos.
    `buyer_province` and `visit` only go into the log (taybac.search.visits says what they are; a province
    costs one more query, to check it exists).
    """
    started = time.perf_counter()
    text = _clean(query, field="query")
    filters = SearchFilters() if filters is None else filters
    spec = _filter_spec(filters)
    page = _int(page, field="page", label="Số trang", low=1, high=MAX_PAGE, code="invalid_page")
    page_size = _int(
        page_size, field="page_size", label="Số sản phẩm mỗi trang", low=1, high=MAX_PAGE_SIZE, code="invalid_page"
    )
    if sort not in SORTS:
        raise SearchError("Cách sắp xếp không hợp lệ.", field="sort", code="invalid_sort")
    backend = get_backend()
    words = query_words(text)
    offset = (page - 1) * page_size
    if not words:
        ids, count = backend.listing(spec, limit=page_size, offset=offset, sort=sort)
    else:
        plan = plan_query(words, synonyms=synonym_table())
        ids, count = (
            ([], 0) if plan.impossible else backend.ranked(plan, spec, limit=page_size, offset=offset, sort=sort)
        )
    items = _cards(ids)
    if log:
        SearchQueryLog.objects.create(
            query=" ".join(words)[:MAX_QUERY_LENGTH],
            filters=filters.active() | ({"sort": sort} if sort != "relevance" else {}),
            result_count=count,
            page=page,
            backend=backend.name,
            duration_ms=round((time.perf_counter() - started) * 1000),
            buyer_province_id=known_province(code=buyer_province),
            visit=visit if is_visit_token(token=visit) else "",
        )
    return SearchPage(items=items, count=count, page=page, page_size=page_size, query=text)


def autocomplete(*, prefix: str, limit: int = 8) -> list[str]:
    """Product names for a search box as the buyer types ("mat on" -> "Mật ong bạc hà"), best first:
    names starting with the typed words, then names shared by more products, then shorter names."""
    text = _clean(prefix, field="prefix")
    limit = _int(limit, field="limit", label="Số gợi ý", low=1, high=MAX_SUGGESTIONS)
    words = query_words(text)
    if not words:
        return []
    plan = plan_query(words, synonyms=synonym_table())
    if plan.impossible:
        return []
    return get_backend().suggest(plan, limit=limit)
