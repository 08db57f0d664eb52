"""The tantivy backend answers like the database's engine: same hits (identical counts), same tiers, same filters
and sorts; its index follows catalogue changes through the job runner; auto switches to it once it is built."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from taybac.catalog.services import set_ocop_certificate, update_variant
from taybac.search.backends import get_backend, tantivy_index
from taybac.search.backends.tantivy import TantivyBackend
from taybac.search.services import SearchFilters, search_products
from tests.factories import committed, make_product
from tests.search.conftest import SON_LA, TUYEN_QUANG
from tests.search.test_indexing import _update

QUERIES = [
    "mat ong",
    "Mật ong bạc hà",
    "mat o",
    "che shan tuyyet",
    "shan tuyet",
    "mat ongg",
    "thao quaa",
    "tam thatt",
    "maatj ong",
    "ma65t ong",
    "tra shan tuyet",  # synonym: trà = chè
    "ha giang",  # old province name (Tuyên Quang)
    "duong ph",
    "xyz",
    "mit sayy",
    "",
]
FILTERS = [
    None,
    SearchFilters(province_code=SON_LA),
    SearchFilters(category_slug="mat-ong"),
    SearchFilters(price_min=100_000, price_max=400_000),
    SearchFilters(ocop_min_stars=3),
    SearchFilters(in_season=True),
]
SORTS = ["relevance", "price_asc", "price_desc", "newest", "rating"]


def db_engine() -> str:
    """The database's own engine (FTS5 on SQLite, full text on PostgreSQL): what tantivy is compared with."""
    return connection.vendor


@pytest.fixture
def indexed(catalogue, settings):
    """The conftest catalogue plus typo and OCOP cases, with a complete tantivy index."""
    shop = catalogue.son_la_shop
    catalogue.extra = [
        make_product(shop=shop, name="Thảo quả khô", category_slug="gia-vi", price=150_000),
        make_product(shop=shop, name="Tam thất bắc", category_slug="duoc-lieu", price=900_000),
    ]
    with committed():
        set_ocop_certificate(
            actor=shop.producer.owner,
            product=catalogue.son_la_honey,
            stars=4,
            issuer="UBND tỉnh Sơn La",
            number="OCOP-1",
            issued_on=timezone.localdate() - datetime.timedelta(days=10),
            expires_on=timezone.localdate() + datetime.timedelta(days=300),
        )
    tantivy_index.write(None)
    return catalogue


def _run(engine: str, settings, query: str, filters, sort: str) -> tuple[list[int], int]:
    settings.TAYBAC_SEARCH_BACKEND = engine
    page = search_products(query=query, filters=filters, sort=sort, page_size=100, log=False)
    return [p.pk for p in page.items], page.count


@pytest.mark.parametrize("query", QUERIES)
def test_both_engines_find_the_same_products(indexed, settings, query):
    for filters in FILTERS:
        for sort in SORTS:
            sql_ids, sql_count = _run(db_engine(), settings, query, filters, sort)
            tv_ids, tv_count = _run("tantivy", settings, query, filters, sort)
            assert (tv_count, sorted(tv_ids)) == (sql_count, sorted(sql_ids)), (query, filters, sort)
            if sort.startswith("price"):  # distinct prices: the same order
                assert tv_ids == sql_ids, (query, filters, sort)


def test_issue_examples_find_their_products_on_tantivy(indexed, settings):
    settings.TAYBAC_SEARCH_BACKEND = "tantivy"
    assert _run("tantivy", settings, "mat ongg", None, "relevance")[1] == 2
    assert _run("tantivy", settings, "thao quaa", None, "relevance")[0] == [indexed.extra[0].pk]
    assert _run("tantivy", settings, "tam thatt", None, "relevance")[0] == [indexed.extra[1].pk]
    assert _run("tantivy", settings, "maatj ong", None, "relevance")[1] == 2
    assert _run("tantivy", settings, "ma65t ong", None, "relevance")[1] == 2


def test_ocop_breaks_the_tie_inside_a_tier_on_both_engines(indexed, settings):
    for engine in (db_engine(), "tantivy"):
        found, _ = _run(engine, settings, "mat ong", None, "relevance")
        assert found[0] == indexed.son_la_honey.pk, engine  # certified, though older than none of the others


def test_sorts_by_price_and_newest(indexed, settings):
    prices = {p.pk: p.variants.get().price for p in search_products(query="", page_size=100, log=False).items}
    for engine in (db_engine(), "tantivy"):
        asc, _ = _run(engine, settings, "", None, "price_asc")
        assert [prices[pk] for pk in asc] == sorted(prices.values())
        desc, _ = _run(engine, settings, "", None, "price_desc")
        assert [prices[pk] for pk in desc] == sorted(prices.values(), reverse=True)
        newest, _ = _run(engine, settings, "", None, "newest")
        assert newest[0] == indexed.extra[1].pk


def test_best_rated_first_then_more_reviews(indexed, settings):
    from taybac.catalog.models import Product

    Product.objects.filter(pk=indexed.sugar.pk).update(rating_count=2, rating_total=10)  # 5.0 from 2
    Product.objects.filter(pk=indexed.honey.pk).update(rating_count=9, rating_total=45)  # 5.0 from 9
    Product.objects.filter(pk=indexed.jackfruit.pk).update(rating_count=50, rating_total=200)  # 4.0
    tantivy_index.write([indexed.sugar.pk, indexed.honey.pk, indexed.jackfruit.pk])
    for engine in (db_engine(), "tantivy"):
        found, _ = _run(engine, settings, "", None, "rating")
        assert found[:3] == [indexed.honey.pk, indexed.sugar.pk, indexed.jackfruit.pk], engine


def test_catalogue_changes_reach_the_index_after_commit(indexed, settings):
    """Catalogue services announce changes after commit; the job (inline in tests) rewrites the documents."""
    settings.TAYBAC_SEARCH_BACKEND = "tantivy"
    _update(indexed.sugar, name="Đường phèn vàng")
    assert _run("tantivy", settings, "duong phen vang", None, "relevance")[0] == [indexed.sugar.pk]
    variant = indexed.sugar.variants.get()
    with committed():
        update_variant(
            actor=indexed.tea_shop.producer.owner,
            variant=variant,
            name=variant.name,
            unit=variant.unit,
            weight_grams=variant.weight_grams,
            price=999_000,
            quantity=variant.quantity,
        )
    assert _run("tantivy", settings, "", SearchFilters(price_min=990_000), "relevance")[0] == [indexed.sugar.pk]
    _update(indexed.sugar, is_active=False)
    assert _run("tantivy", settings, "duong phen", None, "relevance")[1] == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="auto picks tantivy on SQLite only")
def test_auto_uses_tantivy_only_once_a_full_build_exists(catalogue, settings):
    settings.TAYBAC_SEARCH_BACKEND = "auto"
    assert get_backend().name == "sqlite-fts5"
    tantivy_index.write([catalogue.honey.pk])  # no index yet: an update alone builds nothing
    assert not tantivy_index.is_ready() and get_backend().name == "sqlite-fts5"
    tantivy_index.write(None)
    assert isinstance(get_backend(), TantivyBackend)
    assert search_products(query="mat ong", log=False).count == 2
    (tantivy_index.index_dir() / tantivy_index.READY).write_text("0")  # an index of an older schema
    assert get_backend().name == "sqlite-fts5"


def test_paging_through_bands_matches_the_first_pages(indexed, settings):
    settings.TAYBAC_SEARCH_BACKEND = "tantivy"
    whole = [p.pk for p in search_products(query="mat o", page_size=100, log=False).items]
    paged = []
    for page in range(1, len(whole) + 2):
        paged += [p.pk for p in search_products(query="mat o", page=page, page_size=1, log=False).items]
    assert paged == whole and search_products(query="mat o", page=50, page_size=1, log=False).count == len(whole)


def test_province_filter_with_old_name(indexed, settings):
    settings.TAYBAC_SEARCH_BACKEND = "tantivy"
    assert _run("tantivy", settings, "ha giang", SearchFilters(province_code=TUYEN_QUANG), "relevance")[0] == [
        indexed.honey.pk
    ]
