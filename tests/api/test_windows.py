"""GET /api/v1/sales-windows: public windows with the buyer's page, the product and the quota left."""

from __future__ import annotations

import pytest

from taybac.campaigns.window_models import SalesWindow
from tests.api.windows import open_window_for
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def test_sales_windows_list_and_one(api_client, settings):
    shop = make_shop(name="HTX Mận Mộc Châu")
    make_product(shop=shop, name="Mận hậu", price=60_000)
    window_id = open_window_for(shop)
    SalesWindow.objects.filter(pk=window_id).update(reserved=5)
    body = api_client.get("/api/v1/sales-windows?status=open").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["url"] == f"{settings.PUBLIC_URL.rstrip('/')}/dat-truoc/{window_id}/"
    assert (item["quota"], item["quota_left"], item["price"], item["payment"]) == (20, 15, 60_000, "full")
    assert item["products"][0]["product"] == "Mận hậu"
    assert api_client.get(f"/api/v1/sales-windows/{window_id}").json()["id"] == window_id
    assert api_client.get("/api/v1/sales-windows?status=harvested").json()["count"] == 0


def test_cancelled_or_missing_windows_are_not_found(api_client):
    shop = make_shop()
    make_product(shop=shop)
    window_id = open_window_for(shop)
    SalesWindow.objects.filter(pk=window_id).update(status="cancelled")
    response = api_client.get(f"/api/v1/sales-windows/{window_id}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert api_client.get("/api/v1/sales-windows?status=cancelled").status_code in (400, 422)
