"""Ranking: name > category / shop / place > description, and places found by their old names."""

from __future__ import annotations

import pytest

from taybac.catalog.models import Shop
from taybac.regions.models import Commune
from taybac.search.indexing import reindex_shops
from taybac.search.services import search_products
from tests.factories import make_product, make_shop
from tests.search.conftest import LAO_CAI, SON_LA, TUYEN_QUANG, ids


def test_name_outranks_category_shop_and_place_which_outrank_description(db):
    honey_shop = make_shop(name="Hợp tác xã Mật ong Bắc Hà", province_code=LAO_CAI)
    other_shop = make_shop(name="Hộ Lò Văn Pọm", province_code=SON_LA)
    # Created description-first so that "newest first" alone would give the opposite order.
    in_description = make_product(
        shop=other_shop,
        name="Bánh gạo nếp",
        category_slug="gao-ngu-coc",
        description="<p>" + "Mật ong rừng, mật ong, mật ong. " * 20 + "</p>",
    )
    in_shop_name = make_product(shop=honey_shop, name="Phấn hoa rừng", category_slug="duoc-lieu")
    in_category = make_product(shop=other_shop, name="Sáp nến", category_slug="mat-ong")
    in_name = make_product(
        shop=other_shop, name="Mật ong hoa rừng", category_slug="mat-ong", description="<p>Mật ong rừng.</p>"
    )
    in_name_only = make_product(shop=other_shop, name="Mật ong", category_slug="thit-kho")

    found = ids("mat ong")
    assert set(found[:2]) == {in_name.pk, in_name_only.pk}
    assert set(found[2:4]) == {in_shop_name.pk, in_category.pk}
    assert found[4:] == [in_description.pk]


def test_every_word_must_be_in_the_name_for_the_top_tier(db):
    shop = make_shop(name="Hộ Giàng A Dính", province_code=SON_LA)
    split = make_product(shop=shop, name="Mật rừng", category_slug="mat-ong")  # "ong" only in category
    whole = make_product(shop=shop, name="Mật ong rừng", category_slug="thit-kho")
    assert ids("mat ong") == [whole.pk, split.pk]


def test_typo_corrected_and_prefix_words_rank_by_the_same_tiers(db):
    shop = make_shop(name="Hộ Thào A Lử", province_code=LAO_CAI)
    described = make_product(
        shop=shop, name="Trà túi lọc", category_slug="che", description="<p>Pha từ chè Shan tuyết.</p>"
    )
    named = make_product(shop=shop, name="Shan tuyết đặc biệt", category_slug="che")
    assert ids("shan tuyyet") == [named.pk, described.pk]
    assert ids("shan tuy") == [named.pk, described.pk]


def test_old_province_names_find_products_of_the_merged_province(db):
    lao_cai = make_product(
        shop=make_shop(name="Hộ Sùng A Chư", province_code=LAO_CAI), name="Táo mèo", category_slug="trai-cay"
    )
    tuyen_quang_shop = make_shop(name="Hộ Vàng Thị Mai", province_code=TUYEN_QUANG)
    # Move the shop to a commune whose own name says nothing about Hà Giang: only the alias can match.
    elsewhere = Commune.objects.filter(province_id=TUYEN_QUANG).exclude(name_folded__contains="ha giang").first()
    Shop.objects.filter(pk=tuyen_quang_shop.pk).update(commune=elsewhere)
    tuyen_quang = make_product(shop=tuyen_quang_shop, name="Chè Shan tuyết", category_slug="che")
    reindex_shops([tuyen_quang_shop.pk])

    assert ids("ha giang") == [tuyen_quang.pk]
    assert ids("Hà Giang") == [tuyen_quang.pk]
    assert ids("tuyen quang") == [tuyen_quang.pk]
    assert ids("che ha giang") == [tuyen_quang.pk]
    assert ids("yen bai") == [lao_cai.pk]
    assert ids("tao meo lao cai") == [lao_cai.pk]


def test_commune_name_without_its_unit_type_is_searchable(db):
    shop = make_shop(name="Hộ Lý Seo Dìn", province_code=LAO_CAI)
    commune = Commune.objects.filter(province_id=LAO_CAI, name_folded__startswith="xa ").order_by("code").first()
    Shop.objects.filter(pk=shop.pk).update(commune=commune)
    product = make_product(shop=shop, name="Thảo quả", category_slug="gia-vi")
    assert ids(commune.name_folded.removeprefix("xa ")) == [product.pk]
    assert ids(commune.name) == []  # "xã" itself is not indexed: every rural shop would match it
    assert ids("thao qua") == [product.pk]


def test_geographical_indication_is_found_in_the_context_tier(db):
    shop = make_shop(name="Hộ Hà Văn Khoa", province_code=SON_LA)
    product = make_product(
        shop=shop, name="Chè xanh", category_slug="che", geographical_indication="Chè Shan tuyết Mộc Châu"
    )
    assert ids("moc chau") == [product.pk]


@pytest.mark.parametrize("query", ["mật ong bạc hà", "mat ong bac ha", "mat ong bac h"])
def test_name_holding_the_words_as_a_phrase_ranks_first(db, query):
    """ "Mật ong ong nội Bắc Hà" holds every word too (Bắc Hà folds to "bac ha"), but not as the phrase typed."""
    shop = make_shop(name="Hộ nuôi ong")
    place = make_product(shop=shop, name="Mật ong ong nội Bắc Hà")
    mint = make_product(shop=shop, name="Mật ong bạc hà Mèo Vạc")
    assert [p.pk for p in search_products(query=query, log=False).items] == [mint.pk, place.pk]


def test_a_honey_search_puts_honey_before_chili_sauce_that_mentions_honey(db):
    """The issue's case: chili sauce from a honey cooperative, whose description praises its honey, must not
    outrank honey; among honeys the OCOP-certified one comes first."""
    import datetime

    from django.utils import timezone

    from taybac.catalog.services import set_ocop_certificate
    from tests.factories import committed

    coop = make_shop(name="HTX Mật ong Khâu Vai", province_code=TUYEN_QUANG)
    honey = make_product(shop=coop, name="Mật ong bạc hà Khâu Vai", category_slug="mat-ong")
    ocop_honey = make_product(shop=coop, name="Mật ong rừng Khâu Vai", category_slug="mat-ong")
    chili = make_product(
        shop=coop,
        name="Tương ớt Khâu Vai",
        category_slug="gia-vi",
        description="<p>Tương ớt làm với mật ong, mật ong bạc hà, mật ong rừng của hợp tác xã mật ong.</p>",
    )
    with committed():
        set_ocop_certificate(
            actor=coop.producer.owner,
            product=ocop_honey,
            stars=4,
            issuer="UBND tỉnh Hà Giang",
            number="OCOP-9",
            issued_on=timezone.localdate() - datetime.timedelta(days=30),
            expires_on=timezone.localdate() + datetime.timedelta(days=300),
        )
    assert ids("mat ong") == [ocop_honey.pk, honey.pk, chili.pk]
    assert ids("mật ong khâu vai") == [ocop_honey.pk, honey.pk, chili.pk]
