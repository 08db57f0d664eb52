from __future__ import annotations

import pytest

from tests.api.conftest import assert_error

REGION = {4, 8, 11, 12, 14, 15, 19, 20, 25}


def test_all_34_provinces_paginated(api_client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = api_client.get("/api/v1/regions/provinces").json()
    assert body["count"] == 34 and body["page"] == 1 and body["page_size"] == 50
    assert len(body["items"]) == 34
    names = [p["name"] for p in body["items"]]
    assert names == sorted(names)
    lao_cai = next(p for p in body["items"] if p["code"] == 15)
    assert lao_cai == {
        "code": 15,
        "name": "Lào Cai",
        "codename": lao_cai["codename"],
        "division_type": lao_cai["division_type"],
        "phone_code": lao_cai["phone_code"],
        "in_region": True,
        "old_names": ["Yên Bái"],
    }


def test_in_region_filter_gives_the_nine_provinces(api_client, db):
    body = api_client.get("/api/v1/regions/provinces", {"in_region": "true"}).json()
    assert body["count"] == 9
    assert {p["code"] for p in body["items"]} == REGION
    outside = api_client.get("/api/v1/regions/provinces", {"in_region": "false"}).json()
    assert outside["count"] == 25 and not REGION & {p["code"] for p in outside["items"]}


def test_pagination_pages_do_not_overlap(api_client, db):
    first = api_client.get("/api/v1/regions/provinces", {"page_size": 20}).json()
    second = api_client.get("/api/v1/regions/provinces", {"page_size": 20, "page": 2}).json()
    beyond = api_client.get("/api/v1/regions/provinces", {"page_size": 20, "page": 3}).json()
    assert (len(first["items"]), len(second["items"]), beyond["items"]) == (20, 14, [])
    assert first["count"] == second["count"] == beyond["count"] == 34
    assert not {p["code"] for p in first["items"]} & {p["code"] for p in second["items"]}


@pytest.mark.parametrize(
    "params",
    [
        {"page": 0},
        {"page": -1},
        {"page": "x"},
        {"page": 10_001},
        {"page_size": 0},
        {"page_size": 101},
        {"page_size": "1.5"},
        {"in_region": "maybe"},
    ],
)
def test_bad_pagination_and_filters_are_422_json(api_client, db, params):
    error = assert_error(api_client.get("/api/v1/regions/provinces", params), 422, "validation_error")
    assert error["details"][0]["field"] == next(iter(params))
    assert error["details"][0]["location"] == "query"


def test_province_by_code(api_client, db):
    body = api_client.get("/api/v1/regions/provinces/8").json()
    assert body["name"] == "Tuyên Quang" and body["in_region"] is True and body["old_names"] == ["Hà Giang"]
    assert api_client.get("/api/v1/regions/provinces/1").json()["in_region"] is False  # Hà Nội


@pytest.mark.parametrize(
    "code,status,error_code",
    [
        (99, 404, "not_found"),
        (0, 422, "validation_error"),
        ("abc", 422, "validation_error"),
        (10**30, 422, "validation_error"),
    ],
)
def test_unknown_or_malformed_province_code(api_client, db, code, status, error_code):
    assert_error(api_client.get(f"/api/v1/regions/provinces/{code}"), status, error_code)


@pytest.mark.parametrize(
    "name,code",
    [
        ("yen bai", 15),
        ("Yên Bái", 15),
        ("YEN BAI", 15),
        ("lao cai", 15),
        ("Tỉnh Lào Cai", 15),
        ("ha giang", 8),
        ("Hà Giang", 8),
        ("tuyen quang", 8),
        ("bac kan", 19),
        ("hoa binh", 25),
        ("son la", 14),
        ("ha noi", 1),
        ("  Ha   Noi ", 1),
        ("Lào\tCai", 15),
        ("lao cai x", None),
    ],
)
def test_lookup_by_name_without_diacritics_and_old_names(api_client, db, name, code):
    response = api_client.get("/api/v1/regions/provinces/lookup", {"name": name})
    if code is None:
        assert_error(response, 404, "not_found")
    else:
        assert response.status_code == 200, response.content
        assert response.json()["code"] == code


@pytest.mark.parametrize(
    "params,status",
    [
        ({}, 422),
        ({"name": ""}, 422),
        ({"name": "x" * 201}, 422),
        ({"name": "atlantis"}, 404),
        ({"name": "\x00\x01"}, 404),
    ],
)
def test_lookup_refusals(api_client, db, params, status):
    assert_error(
        api_client.get("/api/v1/regions/provinces/lookup", params),
        status,
        "not_found" if status == 404 else "validation_error",
    )


def test_communes_of_province_paginated_and_searchable(api_client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = api_client.get("/api/v1/regions/provinces/15/communes", {"page_size": 50}).json()
    assert body["count"] == 99 and len(body["items"]) == 50  # Lào Cai has 99 communes since July 2025
    rest = api_client.get("/api/v1/regions/provinces/15/communes", {"page_size": 50, "page": 2}).json()
    assert len(rest["items"]) == 49
    assert not {c["code"] for c in body["items"]} & {c["code"] for c in rest["items"]}
    assert all(c["province_code"] == 15 for c in body["items"])
    assert set(body["items"][0]) == {"code", "name", "codename", "division_type", "province_code"}
    found = api_client.get("/api/v1/regions/provinces/15/communes", {"q": "sa pa"}).json()
    assert "Phường Sa Pa" in [c["name"] for c in found["items"]]
    assert all("Sa Pa" in c["name"] for c in found["items"])
    assert api_client.get("/api/v1/regions/provinces/15/communes", {"q": "zzzz"}).json()["count"] == 0
    # a commune of another province is not listed under Lào Cai
    assert api_client.get("/api/v1/regions/provinces/8/communes", {"q": "sa pa"}).json()["count"] == 0


def test_communes_of_unknown_province_is_404(api_client, db):
    assert_error(api_client.get("/api/v1/regions/provinces/99/communes"), 404, "not_found")


def test_single_province_endpoints_query_counts(api_client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # province and its old names
        assert api_client.get("/api/v1/regions/provinces/25").json()["old_names"] == ["Hòa Bình", "Vĩnh Phúc"]
    with django_assert_max_num_queries(3):  # by name, by old name, old names
        assert api_client.get("/api/v1/regions/provinces/lookup", {"name": "vinh phuc"}).json()["code"] == 25
