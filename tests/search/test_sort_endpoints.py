"""Sorting through the search page (?sap_xep=) and the JSON API (?sort=), and refusing unknown orders."""

from __future__ import annotations

import pytest

from taybac.search.services import SearchError, search_products


def test_page_sorts_by_price_and_keeps_the_order_in_its_links(catalogue, client):
    response = client.get("/tim-kiem/", {"q": "mat ong", "sap_xep": "gia-tang"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Mật ong hoa nhãn") < html.index("Mật ong bạc hà")  # 280 000 ₫ before 350 000 ₫
    assert '<option value="gia-tang" selected>' in html
    assert 'name="sap_xep" value="gia-tang"' in html  # the filter form keeps the order
    html = client.get("/tim-kiem/", {"q": "mat ong", "sap_xep": "gia-giam"}).content.decode()
    assert html.index("Mật ong bạc hà") < html.index("Mật ong hoa nhãn")


def test_page_refuses_an_unknown_order(catalogue, client):
    response = client.get("/tim-kiem/", {"q": "mat ong", "sap_xep": "re-nhat"})
    assert response.status_code == 400 and "Cách sắp xếp không hợp lệ." in response.content.decode()


def test_api_sorts_and_validates(catalogue, client):
    body = client.get("/api/v1/search", {"q": "mat ong", "sort": "price_desc"}).json()
    assert [i["name"] for i in body["items"]] == ["Mật ong bạc hà", "Mật ong hoa nhãn"]
    body = client.get("/api/v1/search", {"q": "", "sort": "price_asc", "page_size": 2}).json()
    assert [i["name"] for i in body["items"]] == ["Đường phèn", "Mít sấy giòn"]
    assert client.get("/api/v1/search", {"q": "mat", "sort": "cheapest"}).status_code == 422


def test_service_refuses_an_unknown_order(db):
    with pytest.raises(SearchError) as error:
        search_products(query="mat", sort="cheapest", log=False)
    assert error.value.code == "invalid_sort" and error.value.field == "sort"
