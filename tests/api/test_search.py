from __future__ import annotations

import datetime

import pytest

from tests import factories
from tests.api.conftest import assert_error


def _search(api_client, **params):
    response = api_client.get("/api/v1/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_search_without_diacritics_returns_contract_fields(api_client, catalog, django_assert_max_num_queries):
    body = _search(api_client, q="mat ong")
    assert body["count"] == 1 and body["query"] == "mat ong" and body["page"] == 1 and body["page_size"] == 20
    honey = body["items"][0]
    assert honey["id"] == catalog.honey.pk and honey["name"] == "Mật ong bạc hà"
    assert honey["url"].endswith(f"/san-pham/{catalog.honey.pk}-mat-ong-bac-ha/")
    assert honey["price"] == 350_000 and honey["province"] == {"code": 15, "name": "Lào Cai"}
    assert [(v["gtin"], v["stock"]) for v in honey["variants"]] == [
        (v.gtin, v.quantity - v.allocated) for v in catalog.honey.variants.order_by("price")
    ]
    assert all(isinstance(v["id"], int) for v in honey["variants"])


def test_search_finds_tea_by_folded_words(api_client, catalog):
    assert [p["id"] for p in _search(api_client, q="che shan tuyet")["items"]] == [catalog.tea.pk]
    assert [p["id"] for p in _search(api_client, q="CHÈ SHAN TUYẾT")["items"]] == [catalog.tea.pk]


def test_search_filters(api_client, catalog):
    def ids(**params):
        return {p["id"] for p in _search(api_client, **params)["items"]}

    assert ids(q="", province=14) == {catalog.plums.pk, catalog.rice.pk}  # empty query: the filtered catalogue
    assert ids(q="gao nep", province=14) == {catalog.rice.pk}
    assert ids(q="gao nep", province=15) == set()
    # "mận hậu" is also in the fruit shop's name, so the rice of that shop matches too; category narrows it
    assert ids(q="man hau") == {catalog.plums.pk, catalog.rice.pk}
    assert ids(q="man hau", category="trai-cay") == {catalog.plums.pk}
    assert ids(q="mat ong", category="mat-ong") == {catalog.honey.pk}
    assert ids(q="mat ong", category="che") == set()
    assert ids(q="mat ong", ocop_min=4) == {catalog.honey.pk}
    assert ids(q="mat ong", ocop_min=5) == set()
    assert ids(q="mat ong", price_max=300_000) == set()
    assert ids(q="mat ong", price_min=300_000, price_max=400_000) == {catalog.honey.pk}
    in_season = datetime.date.today().month in (5, 6, 7)
    assert ids(q="man hau", in_season="true") == ({catalog.plums.pk} if in_season else set())
    assert ids(q="man hau", in_season="false") == {catalog.plums.pk, catalog.rice.pk}  # false: no filter


def test_search_paginates(api_client, catalog):
    for i in range(5):
        factories.make_product(
            shop=catalog.honey_shop, name=f"Mật ong rừng số {i}", category_slug="mat-ong", price=200_000 + i
        )
    first = _search(api_client, q="mat ong", page_size=4)
    second = _search(api_client, q="mat ong", page_size=4, page=2)
    assert first["count"] == second["count"] == 6
    assert (len(first["items"]), len(second["items"])) == (4, 2)
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}


def test_search_query_count_does_not_grow(api_client, catalog, django_assert_max_num_queries):
    for i in range(10):
        factories.make_product(
            shop=catalog.tea_shop, name=f"Chè Shan tuyết số {i}", category_slug="che", price=100_000 + i
        )
    with django_assert_max_num_queries(8):
        assert _search(api_client, q="che", page_size=50)["count"] == 11


@pytest.mark.parametrize(
    "params",
    [
        {"ocop_min": 6},
        {"ocop_min": 2},
        {"price_min": -1},
        {"province": "x"},
        {"page_size": 0},
        {"q": "x" * 201},
        {"category": "mật ong"},
        {"in_season": "sometimes"},
    ],
)
def test_search_bad_parameters_are_422(api_client, db, params):
    error = assert_error(api_client.get("/api/v1/search", params), 422, "validation_error")
    assert error["details"][0]["field"] == next(iter(params))


def test_search_inverted_price_range_is_400_with_field(api_client, db):
    error = assert_error(
        api_client.get("/api/v1/search", {"q": "mat ong", "price_min": 500_000, "price_max": 100_000}),
        400,
        "invalid_price_range",
    )
    assert error["field"] == "price_min" and "Giá" in error["message"]


def test_suggest(api_client, catalog):
    body = api_client.get("/api/v1/search/suggest", {"q": "mat"}).json()
    assert body["count"] == len(body["items"]) >= 1
    assert any(item.lower().startswith("mật") or item.startswith("mat") for item in body["items"])
    assert api_client.get("/api/v1/search/suggest", {"q": "mat", "limit": 1}).json()["count"] <= 1
    assert_error(api_client.get("/api/v1/search/suggest", {"q": "mat", "limit": 50}), 422, "validation_error")
    assert_error(api_client.get("/api/v1/search/suggest"), 422, "validation_error")


def test_suggest_query_count(api_client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert api_client.get("/api/v1/search/suggest", {"q": "che shan"}).json()["items"] == ["Chè Shan tuyết cổ thụ"]


def test_control_characters_in_query_are_dropped(api_client, catalog):
    body = _search(api_client, q="mat\x00 \x1fong")
    assert body["query"] == "mat ong" and [p["id"] for p in body["items"]] == [catalog.honey.pk]
