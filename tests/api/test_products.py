from __future__ import annotations

import datetime

from taybac.catalog.models import Product, Variant
from tests import factories
from tests.api.conftest import assert_error


def test_product_list_cards_with_variants(api_client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        body = api_client.get("/api/v1/products").json()
    assert body["count"] == 4 and body["page_size"] == 20
    assert [p["id"] for p in body["items"]] == [catalog.rice.pk, catalog.plums.pk, catalog.tea.pk, catalog.honey.pk]
    honey = body["items"][-1]
    assert honey["name"] == "Mật ong bạc hà"
    assert honey["url"] == f"http://testserver/san-pham/{catalog.honey.pk}-mat-ong-bac-ha/"
    assert honey["price"] == 350_000  # cheapest variant, integer đồng
    assert honey["province"] == {"code": 15, "name": "Lào Cai"}
    assert honey["shop"] == {"slug": catalog.honey_shop.slug, "name": "Hộ Giàng A Páo"}
    assert honey["category"] == {"slug": "mat-ong", "name": "Mật ong", "name_en": "Honey"}
    assert honey["ocop_stars"] == 4
    assert honey["photo"]["src"].startswith("http://testserver/media/products/")
    assert [v["price"] for v in honey["variants"]] == [350_000, 650_000]
    for v in honey["variants"]:
        assert set(v) == {"id", "sku", "name", "unit", "weight_grams", "price", "gtin", "stock"}
        assert len(v["gtin"]) == 14 and v["gtin"].isdigit()
    assert [v["stock"] for v in honey["variants"]] == [12, 4]


def test_product_list_queries_do_not_grow_with_products(api_client, catalog, django_assert_max_num_queries):
    for i in range(10):
        factories.make_product(shop=catalog.tea_shop, name=f"Chè số {i}", category_slug="che", price=100_000 + i)
    with django_assert_max_num_queries(4):
        assert len(api_client.get("/api/v1/products", {"page_size": 100}).json()["items"]) == 14


def test_product_filters(api_client, catalog):
    def ids(**params):
        return {p["id"] for p in api_client.get("/api/v1/products", params).json()["items"]}

    assert ids(province=14) == {catalog.plums.pk, catalog.rice.pk}
    assert ids(category="che") == {catalog.tea.pk}
    assert ids(province=14, category="trai-cay") == {catalog.plums.pk}
    assert ids(shop=catalog.honey_shop.slug) == {catalog.honey.pk}
    assert ids(province=1) == set() and ids(category="khong-co") == set()


def test_product_pagination(api_client, catalog):
    pages = [api_client.get("/api/v1/products", {"page_size": 3, "page": n}).json() for n in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [3, 1, 0]
    assert all(p["count"] == 4 for p in pages)
    assert_error(api_client.get("/api/v1/products", {"page_size": 500}), 422, "validation_error")


def test_inactive_products_and_variants_hidden(api_client, catalog):
    Product.objects.filter(pk=catalog.tea.pk).update(is_active=False)
    Variant.objects.filter(product=catalog.honey, price=350_000).update(is_active=False)
    body = api_client.get("/api/v1/products").json()
    assert catalog.tea.pk not in {p["id"] for p in body["items"]}
    honey = next(p for p in body["items"] if p["id"] == catalog.honey.pk)
    assert honey["price"] == 650_000 and len(honey["variants"]) == 1
    assert_error(api_client.get(f"/api/v1/products/{catalog.tea.pk}"), 404, "not_found")


def test_product_detail(api_client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = api_client.get(f"/api/v1/products/{catalog.honey.pk}").json()
    assert body["id"] == catalog.honey.pk and body["price"] == 350_000
    assert "<b>bạc hà</b>" in body["description_html"] and "<script" not in body["description_html"]
    assert body["ocop"]["stars"] == 4 and body["ocop"]["valid"] is True and body["ocop"]["number"] == "OCOP-4-001"
    assert body["commune"]["code"] == catalog.honey_shop.commune_id
    assert len(body["photos"]) == 1
    photo = body["photos"][0]
    widths = [int(part.split()[-1][:-1]) for part in photo["srcset"].split(", ")]
    assert widths == [160, 320, 400, 640]  # a 700 px original is never upscaled
    assert all(part.startswith("http://testserver/media/") for part in photo["srcset"].split(", "))
    assert photo["alt"] == "Hũ mật ong" and (photo["width"], photo["height"]) == (700, 500)
    assert body["variants"][1]["name"] == "Chai 1 lít" and body["variants"][1]["unit"] == "chai"


def test_product_detail_season_and_preorder(api_client, catalog):
    body = api_client.get(f"/api/v1/products/{catalog.plums.pk}").json()
    assert body["season_months"] == [5, 6, 7]
    assert body["in_season"] is (datetime.date.today().month in (5, 6, 7))
    assert body["preorder_allowed"] is True
    assert body["next_harvest"] == (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    assert body["ocop"] is None and body["ocop_stars"] is None and body["photos"] == [] and body["photo"] is None


def test_expired_ocop_not_shown_as_badge(api_client, catalog):
    from taybac.catalog.models import OcopCertificate

    today = datetime.date.today()
    OcopCertificate.objects.filter(product=catalog.honey).update(
        issued_on=today - datetime.timedelta(days=1000), expires_on=today - datetime.timedelta(days=1)
    )
    body = api_client.get(f"/api/v1/products/{catalog.honey.pk}").json()
    assert body["ocop_stars"] is None and body["ocop"]["valid"] is False


def test_product_detail_errors(api_client, catalog):
    assert_error(api_client.get("/api/v1/products/999999"), 404, "not_found")
    assert_error(api_client.get("/api/v1/products/0"), 422, "validation_error")
    assert_error(api_client.get("/api/v1/products/abc"), 422, "validation_error")
    assert_error(api_client.get(f"/api/v1/products/{2**63}"), 422, "validation_error")


def test_cards_carry_the_rating_and_units_sold(api_client, catalog):
    Product.objects.filter(pk=catalog.honey.pk).update(rating_count=3, rating_total=13, sold_count=42)
    cards = {p["id"]: p for p in api_client.get("/api/v1/products").json()["items"]}
    assert cards[catalog.honey.pk]["rating"] == {"count": 3, "average": 4.3}
    assert cards[catalog.honey.pk]["sold"] == 42
    assert cards[catalog.tea.pk]["rating"] == {"count": 0, "average": None}
    detail = api_client.get(f"/api/v1/products/{catalog.honey.pk}").json()
    assert detail["rating"]["average"] == 4.3 and detail["sold"] == 42
