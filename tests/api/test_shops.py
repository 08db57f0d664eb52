from __future__ import annotations

from taybac.catalog.models import Shop
from tests import factories
from tests.api.conftest import assert_error


def test_shop_list_shape_counts_and_province_filter(api_client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        body = api_client.get("/api/v1/shops").json()
    assert body["count"] == 3 and body["page"] == 1 and body["page_size"] == 20
    by_slug = {s["slug"]: s for s in body["items"]}
    fruit = by_slug[catalog.fruit_shop.slug]
    assert fruit["name"] == "HTX Mận hậu Mộc Châu"
    assert fruit["province"] == {"code": 14, "name": "Sơn La"}
    assert fruit["commune"]["code"] == catalog.fruit_shop.commune_id
    assert fruit["product_count"] == 2 and fruit["producer_kind"] == "household"
    only = api_client.get("/api/v1/shops", {"province": 8}).json()
    assert [s["slug"] for s in only["items"]] == [catalog.tea_shop.slug]
    assert api_client.get("/api/v1/shops", {"province": 1}).json() == {
        "items": [],
        "count": 0,
        "page": 1,
        "page_size": 20,
    }


def test_shop_list_queries_do_not_grow_with_shops(api_client, catalog, django_assert_max_num_queries):
    for i in range(5):
        factories.make_shop(name=f"Hộ số {i}", province_code=20)
    with django_assert_max_num_queries(2):
        assert api_client.get("/api/v1/shops").json()["count"] == 8


def test_inactive_shop_hidden(api_client, catalog):
    Shop.objects.filter(pk=catalog.tea_shop.pk).update(is_active=False)
    assert api_client.get("/api/v1/shops").json()["count"] == 2
    assert_error(api_client.get(f"/api/v1/shops/{catalog.tea_shop.slug}"), 404, "not_found")


def test_shop_detail_and_404(api_client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        body = api_client.get(f"/api/v1/shops/{catalog.honey_shop.slug}").json()
    assert body["slug"] == catalog.honey_shop.slug and body["province"]["code"] == 15 and body["product_count"] == 1
    error = assert_error(api_client.get("/api/v1/shops/khong-co"), 404, "not_found")
    assert "khong-co" in error["message"]
    assert_error(api_client.get("/api/v1/shops/" + "a" * 81), 422, "validation_error")
    assert_error(api_client.get("/api/v1/shops", {"province": "son-la"}), 422, "validation_error")


def test_slugs_outside_ascii_pattern_are_refused(api_client, catalog):
    for bad in ("a\nb", "ho-giang-a-pao\n", "mật-ong", "a\x00b", "a b"):
        assert_error(api_client.get("/api/v1/products", {"shop": bad}), 422, "validation_error")
        assert_error(api_client.get("/api/v1/products", {"category": bad}), 422, "validation_error")
    assert_error(api_client.get("/api/v1/shops/m%E1%BA%ADt-ong"), 422, "validation_error")
    assert_error(api_client.get("/api/v1/shops/a%00b"), 422, "validation_error")
