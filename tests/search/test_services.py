"""search_products / autocomplete contracts: errors, the query log, SQL query counts, backend choice."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from taybac.core.errors import DomainError
from taybac.search.backends import get_backend
from taybac.search.models import SearchQueryLog
from taybac.search.services import SearchError, SearchFilters, autocomplete, search_products
from tests.search.conftest import SON_LA


@pytest.mark.parametrize(
    "kwargs, field, code",
    [
        ({"query": "x" * 201}, "query", "query_too_long"),
        ({"query": None}, "query", "invalid_query"),
        ({"query": "mat", "page": 0}, "page", "invalid_page"),
        ({"query": "mat", "page": 10_001}, "page", "invalid_page"),
        ({"query": "mat", "page": "2"}, "page", "invalid_page"),
        ({"query": "mat", "page_size": 0}, "page_size", "invalid_page"),
        ({"query": "mat", "page_size": 101}, "page_size", "invalid_page"),
        ({"query": "", "filters": SearchFilters(ocop_min_stars=2)}, "ocop_min_stars", "invalid_filter"),
        ({"query": "", "filters": SearchFilters(ocop_min_stars=6)}, "ocop_min_stars", "invalid_filter"),
        ({"query": "", "filters": SearchFilters(price_min=-1)}, "price_min", "invalid_filter"),
        ({"query": "", "filters": SearchFilters(price_max=True)}, "price_max", "invalid_filter"),
        ({"query": "", "filters": SearchFilters(price_min=200, price_max=100)}, "price_min", "invalid_price_range"),
        ({"query": "", "filters": SearchFilters(province_code=0)}, "province_code", "invalid_filter"),
        ({"query": "", "filters": SearchFilters(province_code=2**40)}, "province_code", "invalid_filter"),
        ({"query": "", "filters": SearchFilters(category_slug="x" * 51)}, "category_slug", "invalid_filter"),
        ({"query": "", "filters": SearchFilters(category_slug=5)}, "category_slug", "invalid_filter"),
    ],
)
def test_bad_requests_raise_search_error(db, kwargs, field, code):
    with pytest.raises(SearchError) as info:
        search_products(**kwargs)
    assert isinstance(info.value, DomainError)
    assert (info.value.field, info.value.code) == (field, code)
    assert info.value.message  # Vietnamese, for the buyer
    assert not SearchQueryLog.objects.exists()


def test_empty_category_means_all(catalogue):
    assert search_products(query="", filters=SearchFilters(category_slug="")).count == 5


def test_limits_are_inclusive(catalogue):
    assert search_products(query="m" * 200, page=10_000, page_size=100).count == 0
    assert search_products(query="", filters=SearchFilters(price_min=100, price_max=100)).count == 0


def test_control_characters_are_dropped(catalogue):
    page = search_products(query="mật\x00 ong\u200b\n bạc\tHà", log=True)
    assert page.query == "mật ong\u200b bạc Hà"
    assert [p.pk for p in page.items] == [catalogue.honey.pk]
    assert SearchQueryLog.objects.get().query == "mat ong bac ha"


def test_each_search_is_logged_with_folded_text_filters_and_count(catalogue):
    search_products(query="  Mật ONG ", filters=SearchFilters(province_code=SON_LA, in_season=False))
    search_products(query="khong ton tai", page=1)
    search_products(query="", filters=SearchFilters(category_slug="che", ocop_min_stars=3, price_min=0), page=2)
    logs = list(SearchQueryLog.objects.order_by("id"))
    assert [(e.query, e.filters, e.result_count, e.page) for e in logs] == [
        ("mat ong", {"province_code": SON_LA}, 1, 1),
        ("khong ton tai", {}, 0, 1),
        ("", {"category_slug": "che", "ocop_min_stars": 3, "price_min": 0}, 0, 2),
    ]
    assert {e.backend for e in logs} == {get_backend().name}
    assert all(e.created_at and e.duration_ms >= 0 for e in logs)


def test_log_holds_no_personal_data():
    fields = {f.name for f in SearchQueryLog._meta.get_fields()}
    # buyer_province is one of 34 provinces; visit a random day-long token stored nowhere else (search/visits.py):
    # no user, phone, IP address, session key, device or order.
    assert fields == {"id", "query", "filters", "result_count", "page", "backend", "duration_ms", "created_at",
                      "buyer_province", "visit", "led_to_order"}  # fmt: skip


def test_log_false_writes_nothing(catalogue):
    search_products(query="mat ong", log=False)
    assert not SearchQueryLog.objects.exists()


@pytest.mark.parametrize(
    "query, filters, page, most",
    [
        ("mat ong", None, 1, 4),  # ranked page, cards, photos, log
        ("shan tuyet", None, 1, 5),  # + vocabulary lookup (word of 4+ letters)
        ("che shan tuyyet", SearchFilters(ocop_min_stars=3, price_max=10**6, in_season=True), 1, 6),  # + typo lookup
        ("mat ong", None, 50, 4),  # past the end: + count, no cards
        ("", SearchFilters(province_code=SON_LA), 1, 4),  # listing
        ("che shan tuyyet thu co", None, 1, 6),  # more words, same number of queries
    ],
)
def test_number_of_sql_queries_is_pinned(catalogue, django_assert_max_num_queries, query, filters, page, most):
    with django_assert_max_num_queries(most):
        result = search_products(query=query, filters=filters, page=page, page_size=2)
        for product in result.items:  # what a result card touches
            (product.shop.province.name, product.category.name, list(product.photos.all()), product.min_price)


def test_query_count_does_not_grow_with_results(shop, django_assert_max_num_queries):
    from tests.factories import make_product

    for i in range(12):
        make_product(shop=shop, name=f"Mật ong loại {i}")
    with django_assert_max_num_queries(4):
        page = search_products(query="mat ong", page_size=12)
        assert [(p.shop.province.name, list(p.photos.all()), getattr(p, "ocop", None)) for p in page.items]


def test_autocomplete_suggests_names_best_first(catalogue):
    from tests.factories import make_product

    make_product(shop=catalogue.tea_shop, name="Mật ong bạc hà")  # same name twice: ranks first
    make_product(shop=catalogue.tea_shop, name="Rượu mật ong", category_slug="thit-kho")
    assert autocomplete(prefix="mat on") == ["Mật ong bạc hà", "Mật ong hoa nhãn", "Rượu mật ong"]
    assert autocomplete(prefix="Mật ong", limit=1) == ["Mật ong bạc hà"]
    assert autocomplete(prefix="duong p") == ["Đường phèn"]
    assert autocomplete(prefix="shan tuyy") == ["Chè Shan tuyết cổ thụ"]  # a bounced key: "tuy"
    assert autocomplete(prefix="shan tuq") == []  # ("shan tux" is Telex for "tũ": prefix "tu")
    assert autocomplete(prefix="shan tuyyet") == ["Chè Shan tuyết cổ thụ"]  # a finished word may have a typo
    assert autocomplete(prefix="tuyen") == []  # matches a place, not a product name
    assert autocomplete(prefix="") == [] and autocomplete(prefix="  ?! ") == []


def test_autocomplete_rejects_bad_limits(db):
    for limit in (0, 51, "3", None):
        with pytest.raises(SearchError):
            autocomplete(prefix="mat", limit=limit)
    with pytest.raises(SearchError):
        autocomplete(prefix="m" * 201)


def test_autocomplete_hides_inactive_products(catalogue):
    from taybac.catalog.models import Product

    Product.objects.filter(pk=catalogue.sugar.pk).update(is_active=False)
    assert autocomplete(prefix="duong") == []


def test_backend_follows_the_database_unless_configured(settings):
    settings.TAYBAC_SEARCH_BACKEND = "auto"
    assert get_backend().vendor == connection.vendor
    settings.TAYBAC_SEARCH_BACKEND = connection.vendor
    assert get_backend().vendor == connection.vendor
    settings.TAYBAC_SEARCH_BACKEND = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(ImproperlyConfigured, match="needs a"):
        get_backend()
    settings.TAYBAC_SEARCH_BACKEND = "elasticsearch"
    with pytest.raises(ImproperlyConfigured, match="no search backend"):
        get_backend()
