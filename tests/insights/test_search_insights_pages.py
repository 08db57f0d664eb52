"""The search pages: /so-lieu/tim-kiem/ for officers (own province whatever they ask) and operators (any or all),
its CSV downloads, bad parameters never a 500, read-only; the seller centre's "Người mua đang tìm…"."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from taybac.accounts.models import Role
from taybac.insights.indicators import local_zone
from taybac.search.models import SearchQueryLog
from taybac.search.visits import new_visit_token
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.django_db
PAGE, DEMAND = "/so-lieu/tim-kiem/", "/ban-hang/nguoi-mua-tim/"
HA_NOI, LAO_CAI, SON_LA = 1, 15, 14


def _log(query: str, n: int, *, province: int | None, results: int = 0, ordered: bool = False) -> None:
    """n searches by n visits, last week (every week's figures on the page count complete weeks)."""
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    moment = datetime.datetime.combine(last_week, datetime.time(10), tzinfo=local_zone())
    rows = SearchQueryLog.objects.bulk_create(
        SearchQueryLog(query=query, result_count=results, backend="sql", visit=new_visit_token(),
                       buyer_province_id=province, led_to_order=ordered) for _ in range(n)
    )  # fmt: skip
    SearchQueryLog.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=moment)


@pytest.fixture
def searches() -> None:
    _log("sau rieng", 4, province=LAO_CAI)
    _log("vai thieu", 3, province=SON_LA)
    _log("mang cut", 2, province=SON_LA)  # two visits: never named
    _log("mat ong", 5, province=SON_LA, results=8, ordered=True)


def _as(role: str, **extra) -> Client:
    client = Client()
    client.force_login(make_user(role=role, **extra))
    return client


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode()[1:])))


def test_who_may_open_the_page(client, searches) -> None:
    assert client.get(PAGE)["Location"] == f"/dang-nhap/?next={PAGE}"
    for role in (Role.BUYER, Role.PRODUCER, Role.HELPER):
        c = _as(role)
        assert c.get(PAGE).status_code == 403 and c.get(PAGE, {"csv": "tu-khoa-thieu"}).status_code == 403
    operator = _as(Role.OPERATOR)
    assert operator.get(PAGE).status_code == 200 and operator.post(PAGE).status_code == 405


def test_officer_sees_own_provinces_buyers_whatever_they_ask(searches) -> None:
    officer = _as(Role.OFFICER, officer_province_id=SON_LA)
    page = officer.get(PAGE, {"tinh": LAO_CAI}).content.decode()
    assert "vai thieu" in page and "sau rieng" not in page and "mang cut" not in page and 'name="tinh"' not in page
    assert "<svg" in page and 'id="ty-le-theo-tinh"' not in page
    assert 'href="/so-lieu/tim-kiem/"' in officer.get("/so-lieu/tinh/").content.decode()  # linked from the dashboard
    rows = _csv(officer.get(PAGE, {"tinh": str(LAO_CAI), "csv": "tu-khoa-thieu"}))
    assert rows == [["tu_khoa", "luot_tim", "luot_truy_cap", "ket_qua_nhieu_nhat"], ["vai thieu", "3", "3", "0"]]
    share = _csv(officer.get(PAGE, {"csv": "ty-le-dat-hang"}))
    assert share[-1][1:] == ["10", "5", "50.0"]  # Sơn La last week: 10 visits, 5 ordered


def test_operator_chooses_a_province_or_everyone(searches) -> None:
    operator = _as(Role.OPERATOR)
    everyone = operator.get(PAGE).content.decode()
    assert "sau rieng" in everyone and "vai thieu" in everyone and "mang cut" not in everyone
    assert 'id="ty-le-theo-tinh"' in everyone
    lao_cai = operator.get(PAGE, {"tinh": LAO_CAI}).content.decode()
    assert "sau rieng" in lao_cai and "vai thieu" not in lao_cai and 'href="?tinh=15&amp;csv=' in lao_cai
    for nonsense in ("abc", "99999999999999", "-1", "१५"):
        assert operator.get(PAGE, {"tinh": nonsense}).status_code == 200
    assert operator.get(PAGE, {"csv": "nope"}).status_code == 404
    assert operator.get(PAGE, {"csv": "x" * 5000}).status_code == 404


def test_the_seller_centre_shows_matching_searches(searches) -> None:
    shop = make_shop(name="Hộ Giàng A Páo", province_code=LAO_CAI)
    make_product(shop=shop, name="Mật ong bạc hà", category_slug="mat-ong")
    _log("mat ong rung", 3, province=HA_NOI, results=1)
    seller = Client()
    seller.force_login(shop.producer.owner)
    page = seller.get(DEMAND).content.decode()
    assert "Người mua đang tìm" in page and "mat ong rung" in page and "sau rieng" in page  # its province's unmet
    assert "vai thieu" not in page and "mang cut" not in page
    assert seller.post(DEMAND).status_code == 405
    assert 'href="/ban-hang/nguoi-mua-tim/"' in seller.get("/ban-hang/").content.decode()
    buyer = _as(Role.BUYER)
    assert buyer.get(DEMAND)["Location"] == "/ban-hang/dang-ky/"  # no shop: sent to sign up, as every centre page
    assert Client().get(DEMAND)["Location"] == f"/dang-nhap/?next={DEMAND}"
