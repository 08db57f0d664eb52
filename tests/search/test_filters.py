"""Filters (province, category, OCOP stars, price, in season), empty queries, and paging."""

from __future__ import annotations

import datetime

from django.utils import timezone

from taybac.catalog.services import add_variant, set_ocop_certificate, update_variant
from taybac.search.services import SearchFilters, search_products
from tests.factories import make_product
from tests.search.conftest import LAO_CAI, SON_LA, TUYEN_QUANG, ids


def test_province_filter(catalogue):
    honey = {catalogue.honey.pk, catalogue.son_la_honey.pk}
    assert set(ids("mat ong")) == honey
    assert ids("mat ong", filters=SearchFilters(province_code=SON_LA)) == [catalogue.son_la_honey.pk]
    assert ids("mat ong", filters=SearchFilters(province_code=TUYEN_QUANG)) == [catalogue.honey.pk]
    assert ids("mat ong", filters=SearchFilters(province_code=LAO_CAI)) == []


def test_category_filter(catalogue):
    assert ids("", filters=SearchFilters(category_slug="che")) == [catalogue.shan_tuyet.pk]
    assert set(ids("", filters=SearchFilters(category_slug="mat-ong"))) == {
        catalogue.honey.pk,
        catalogue.son_la_honey.pk,
    }
    assert ids("mat", filters=SearchFilters(category_slug="trai-cay")) == []
    assert ids("", filters=SearchFilters(category_slug="khong-co")) == []


def test_ocop_filter_counts_only_valid_certificates_with_enough_stars(catalogue):
    today = timezone.localdate()
    owner = catalogue.son_la_shop.producer.owner
    set_ocop_certificate(
        actor=owner,
        product=catalogue.son_la_honey,
        stars=4,
        issuer="UBND tỉnh Sơn La",
        number="OCOP-4",
        issued_on=today - datetime.timedelta(days=30),
        expires_on=today + datetime.timedelta(days=300),
    )
    set_ocop_certificate(
        actor=owner,
        product=catalogue.jackfruit,
        stars=5,
        issuer="UBND tỉnh Sơn La",
        number="OCOP-5",
        issued_on=today - datetime.timedelta(days=900),
        expires_on=today - datetime.timedelta(days=1),
    )  # expired yesterday
    assert ids("", filters=SearchFilters(ocop_min_stars=3)) == [catalogue.son_la_honey.pk]
    assert ids("mat ong", filters=SearchFilters(ocop_min_stars=4)) == [catalogue.son_la_honey.pk]
    assert ids("", filters=SearchFilters(ocop_min_stars=5)) == []


def test_price_range_uses_the_cheapest_active_variant(catalogue):
    owner = catalogue.tea_shop.producer.owner
    add_variant(
        actor=owner,
        product=catalogue.shan_tuyet,
        name="Gói 50 g",
        unit="gói",
        weight_grams=50,
        price=120_000,
        quantity=5,
    )
    assert ids("", filters=SearchFilters(price_max=100_000)) == [catalogue.jackfruit.pk, catalogue.sugar.pk]
    assert ids("che", filters=SearchFilters(price_min=100_000, price_max=150_000)) == [catalogue.shan_tuyet.pk]
    assert set(ids("", filters=SearchFilters(price_min=300_000))) == {catalogue.honey.pk}
    assert ids("", filters=SearchFilters(price_min=80_000, price_max=80_000)) == [catalogue.jackfruit.pk]
    # A price change counts immediately (prices are checked at query time, not copied into the index).
    update_variant(
        actor=catalogue.son_la_shop.producer.owner,
        variant=catalogue.jackfruit.variants.get(),
        name="Túi",
        unit="túi",
        weight_grams=500,
        price=95_000,
        quantity=3,
    )
    assert ids("", filters=SearchFilters(price_min=90_000, price_max=100_000)) == [catalogue.jackfruit.pk]


def test_inactive_variants_do_not_set_the_price(catalogue):
    variant = catalogue.sugar.variants.get()
    owner = catalogue.tea_shop.producer.owner
    add_variant(
        actor=owner, product=catalogue.sugar, name="Bao 5 kg", unit="bao", weight_grams=5000, price=500_000, quantity=1
    )
    type(variant).objects.filter(pk=variant.pk).update(is_active=False)
    assert ids("duong", filters=SearchFilters(price_max=100_000)) == []
    assert ids("duong", filters=SearchFilters(price_min=400_000)) == [catalogue.sugar.pk]


def test_in_season_filter_uses_this_month(shop):
    month = timezone.localdate().month
    other = month % 12 + 1
    now = make_product(shop=shop, name="Mận hậu", category_slug="trai-cay", season_months=[month])
    make_product(shop=shop, name="Mận tam hoa", category_slug="trai-cay", season_months=[other])
    make_product(shop=shop, name="Mận khô", category_slug="trai-cay")
    assert len(ids("man")) == 3
    assert ids("man", filters=SearchFilters(in_season=True)) == [now.pk]


def test_filters_combine(catalogue):
    filters = SearchFilters(province_code=SON_LA, category_slug="mat-ong", price_max=300_000)
    assert ids("", filters=filters) == [catalogue.son_la_honey.pk]
    assert ids("mat ong", filters=SearchFilters(province_code=SON_LA, category_slug="trai-cay")) == []


def test_empty_query_lists_newest_first(catalogue):
    c = catalogue
    assert ids("") == [c.son_la_honey.pk, c.jackfruit.pk, c.sugar.pk, c.honey.pk, c.shan_tuyet.pk]


def test_pages_and_counts(catalogue):
    first = search_products(query="", page=1, page_size=2, log=False)
    second = search_products(query="", page=2, page_size=2, log=False)
    third = search_products(query="", page=3, page_size=2, log=False)
    past = search_products(query="", page=9, page_size=2, log=False)
    assert [first.count, second.count, third.count, past.count] == [5, 5, 5, 5]
    seen = [p.pk for page in (first, second, third) for p in page.items]
    assert seen == ids("") and past.items == []
    ranked = search_products(query="mat ong", page=2, page_size=1, log=False)
    assert ranked.count == 2 and len(ranked.items) == 1
    assert search_products(query="mat ong", page=3, page_size=1, log=False).count == 2
    assert search_products(query="khong co gi", page=3, log=False).count == 0


def test_items_are_product_cards(catalogue):
    page = search_products(query="mat ong bac ha", log=False)
    product = page.items[0]
    assert product.min_price == 350_000
    assert product.shop.province.name and product.category.slug == "mat-ong"
    assert page.query == "mat ong bac ha" and page.page == 1 and page.page_size == 20
