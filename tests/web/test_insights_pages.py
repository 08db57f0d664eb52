"""Indicator pages: who may open them (anonymous, buyer, seller, helper, officer of another province, operator),
the officer's province fixed whatever they ask, the public page aggregates only, CSV downloads, bad parameters
never a 500, an empty hub, and the pages' query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.test import Client

from taybac.accounts.models import Role
from tests.factories import make_user
from tests.insights.dashboard_world import LAO_CAI, SON_LA, build

pytestmark = pytest.mark.django_db
PUBLIC, BOARD = "/so-lieu/", "/so-lieu/tinh/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the public page is cached per day and data version
    yield
    cache.clear()


def _as(role: str, **extra) -> Client:
    client = Client()
    client.force_login(make_user(role=role, **extra))
    return client


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_access_by_role(client) -> None:
    build()
    assert client.get(BOARD)["Location"] == f"/dang-nhap/?next={BOARD}"
    assert client.get(BOARD, {"csv": "doanh-so"}).status_code == 302
    for role in (Role.BUYER, Role.PRODUCER, Role.HELPER):
        c = _as(role)
        assert c.get(BOARD).status_code == 403 and c.get(BOARD, {"csv": "doanh-so"}).status_code == 403
        assert c.get(PUBLIC).status_code == 200
    assert client.get(PUBLIC).status_code == 200
    operator = _as(Role.OPERATOR)
    assert operator.get(BOARD).status_code == 200
    assert operator.post(BOARD).status_code == 405 and client.post(PUBLIC).status_code == 405  # read-only pages


def test_officer_sees_only_their_province_whatever_they_ask() -> None:
    build()
    officer = _as(Role.OFFICER, officer_province_id=SON_LA)
    response = officer.get(BOARD, {"tinh": LAO_CAI})
    page = response.content.decode()
    assert response.status_code == 200 and "Số liệu: Sơn La" in page and 'name="tinh"' not in page
    assert "500.000 ₫" in page  # Sơn La's one order; Lào Cai's 1.050.000 is nowhere
    assert "1.050.000" not in page and "700.000" not in page
    rows = _csv(officer.get(BOARD, {"tinh": LAO_CAI, "csv": "nguoi-mua"}))
    assert rows == [["tinh_nguoi_mua", "don_hang", "doanh_so_dong"], ["Sơn La", "1", "500000"]]


def test_operator_chooses_a_province_or_the_hub() -> None:
    build()
    operator = _as(Role.OPERATOR)
    hub = operator.get(BOARD).content.decode()
    assert "Số liệu: Toàn sàn" in hub and 'id="chin-tinh"' in hub and "1.550.000" in hub  # 12 months, both provinces
    lao_cai = operator.get(BOARD, {"tinh": LAO_CAI}).content.decode()
    assert "Số liệu: Lào Cai" in lao_cai and "1.050.000 ₫" in lao_cai and 'id="chin-tinh"' not in lao_cai
    assert 'href="?tinh=15&amp;csv=doanh-so"' in lao_cai
    rows = _csv(operator.get(BOARD, {"tinh": LAO_CAI, "csv": "doanh-so"}))
    assert rows[0][:3] == ["thang", "don_hang", "doanh_so_dong"] and len(rows) == 25
    assert rows[-1][1:4] == ["1", "700000", "35000"]
    for nonsense in ("abc", "99999999999999", "1", "-1", "१५"):  # not a region province: the hub
        assert "Số liệu: Toàn sàn" in operator.get(BOARD, {"tinh": nonsense}).content.decode()


def test_unknown_chart_is_a_404_not_a_500(client) -> None:
    build()
    assert client.get(PUBLIC, {"csv": "khong-co"}).status_code == 404
    assert _as(Role.OPERATOR).get(BOARD, {"csv": "x" * 5000}).status_code == 404


def test_public_page_is_aggregate_only(client) -> None:
    build()
    page = client.get(PUBLIC).content.decode()
    assert "Số liệu sàn Tây Bắc Hub" in page and 'id="chin-tinh"' in page and 'id="ban-do"' in page
    # Only 2 shops have orders: below the publication threshold, so no sales or order figures at all.
    assert "700.000" not in page and "500.000" not in page and 'id="doanh-so"' not in page
    assert "Hộ A" not in page and "Trần Thị Lan" not in page and "0912345678" not in page
    assert 'class="buyer"' not in page  # no buyer dots in public
    rows = _csv(client.get(PUBLIC, {"csv": "chin-tinh"}))
    lao_cai = next(r for r in rows if r[0] == "Lào Cai")
    assert lao_cai[1:5] == ["3", "2", "3", "1"] and lao_cai[5:] == ["", "", "", "", ""]


def test_public_page_shows_sales_once_enough_shops_sell(client) -> None:
    build()
    build()  # 4 selling shops in the hub, but 2 in Lào Cai and 2 in Sơn La
    page = client.get(PUBLIC).content.decode()
    assert 'id="doanh-so"' in page and "2.400.000" in page  # the hub's sales this month: 2 × (700,000 + 500,000)
    rows = _csv(client.get(PUBLIC, {"csv": "chin-tinh"}))
    assert all(r[5:7] == ["", ""] for r in rows[1:])  # each province still under the threshold


def test_empty_hub(client) -> None:
    page = client.get(PUBLIC).content.decode()
    assert "Chưa có số liệu" in page
    board = _as(Role.OPERATOR).get(BOARD)
    assert board.status_code == 200 and "Chưa có số liệu" in board.content.decode()


def test_query_counts(client, django_assert_max_num_queries) -> None:
    build()
    operator = _as(Role.OPERATOR)
    with django_assert_max_num_queries(23):  # 15 figures, 3 for the data version, session, user, provinces
        operator.get(BOARD)
    with django_assert_max_num_queries(17):  # 13 figures, 3 for the data version
        client.get(PUBLIC)
    with django_assert_max_num_queries(3):  # cached: the data version only
        client.get(PUBLIC)
    with django_assert_max_num_queries(7):  # cached: the signed-in session and user, the provinces, the data version
        operator.get(BOARD)


def test_cached_figures_follow_a_new_order() -> None:
    build()
    operator = _as(Role.OPERATOR)
    assert "Đơn hàng 12 tháng</small><b>3</b>" in operator.get(BOARD).content.decode()
    build()  # new orders: a new data version
    assert "Đơn hàng 12 tháng</small><b>6</b>" in operator.get(BOARD).content.decode()
