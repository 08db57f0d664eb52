"""The seller centre's "Cảnh báo mùa vụ" page and the home notice: what a producer, their helper and other
sellers see (tests/insights/advice_world.py's warnings, stored by the weekly service)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from taybac.accounts.models import Role
from taybac.accounts.services import grant_delegation
from taybac.catalog.models import Shop
from taybac.insights.advice import refresh_warnings
from taybac.insights.models import ForecastRun
from tests.factories import make_user
from tests.insights import advice_world as aw

pytestmark = pytest.mark.django_db
URL = "/ban-hang/canh-bao-mua-vu/"


@pytest.fixture
def world(monkeypatch) -> aw.World:
    monkeypatch.setattr(timezone, "localdate", lambda *args: aw.TODAY)  # the page's explanations read the clock
    built = aw.build()
    refresh_warnings(today=aw.TODAY)
    return built


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_producer_sees_the_warning_its_numbers_and_suggestions(world):
    html = signed_in(world.a.producer.owner).get(URL).content.decode()
    assert "Có thể THỪA mật ong" in html
    assert "<b>525</b>cả tỉnh có" in html and "<b>65</b>người mua cần" in html and "<b>325</b>của bạn" in html
    assert "01/06/2026" in html and "06/09/2026" in html
    assert "Bạn còn 280 suất đặt trước" in html and "Thành phố Hà Nội (100% số đơn)" in html
    assert "Đi hội chợ" in html and "MASE 0,50" in html
    assert "mô hình MSTL (tách mùa vụ và xu hướng)" in html  # the dashboard's plain names, not the model id
    assert "Có thể THIẾU" not in html  # tea is C's, not A's


def test_a_helper_acting_for_the_producer_sees_the_same(world):
    helper = make_user(role=Role.HELPER, full_name="Tổ công nghệ số xã")
    grant_delegation(producer=world.a.producer, delegate=helper, granted_by=world.a.producer.owner)
    html = signed_in(helper).get(URL).content.decode()
    assert "thay mặt Hộ Giàng A Páo" in html and "<b>525</b>cả tỉnh có" in html


def test_a_seller_sees_only_their_own_shops_warnings(world):
    html = signed_in(world.c.producer.owner).get(URL).content.decode()
    assert "Có thể THIẾU chè" in html and "<b>1.300</b>người mua cần" in html
    assert "THỪA" not in html and "<b>525</b>" not in html
    peer = Shop.objects.get(name="Hộ Vàng Thị Mai")
    html = signed_in(peer.producer.owner).get(URL).content.decode()
    assert "Chưa có cảnh báo nào" in html and "525" not in html and "1.300" not in html


def test_without_a_forecast_the_page_says_why(world):
    ForecastRun.objects.all().delete()
    refresh_warnings(today=aw.TODAY)
    html = signed_in(world.a.producer.owner).get(URL).content.decode()
    assert "Chưa có cảnh báo nào" in html
    assert "Mật ong" in html and "Chưa có dự báo nhu cầu cho ngành hàng này" in html


def test_the_home_notice_only_when_there_is_a_warning(world):
    html = signed_in(world.a.producer.owner).get("/ban-hang/").content.decode()
    assert "Có 1 cảnh báo mùa vụ" in html and URL in html
    peer = Shop.objects.get(name="Hộ Vàng Thị Mai")
    assert "cảnh báo mùa vụ" not in signed_in(peer.producer.owner).get("/ban-hang/").content.decode()


def test_signed_out_goes_to_sign_in_and_the_page_takes_no_post(world):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert signed_in(world.a.producer.owner).post(URL).status_code == 405
