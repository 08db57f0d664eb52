"""The voucher pages: a shop's owner creates and stops the shop's vouchers at /ban-hang/ma-giam-gia/, operators
the hub's at /van-hanh/ma-giam-gia/; bad input is answered in Vietnamese and creates nothing."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from taybac.accounts.models import Role
from taybac.orders.models import Voucher
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db


def form(**changes) -> dict:
    today = datetime.date.today()
    return {
        "code": "chexuan",
        "label": "Hội chợ chè",
        "kind": "percent",
        "value": "10",
        "max_discount": "30000",
        "min_subtotal": "200000",
        "starts": today.isoformat(),
        "ends": (today + datetime.timedelta(days=5)).isoformat(),
        "total_limit": "50",
        "per_buyer_limit": "1",
        **changes,
    }


def test_a_shop_owner_creates_lists_and_stops_a_voucher(client):
    shop = make_shop(name="HTX Chè Suối Giàng")
    client.force_login(shop.producer.owner)
    response = client.post("/ban-hang/ma-giam-gia/", form(), follow=True)
    page = re.sub(r"<[^>]+>", "", response.content.decode())
    assert "Đã tạo mã CHEXUAN" in page and "Giảm 10%, tối đa 30.000" in page and "đã dùng 0/50" in page
    voucher = Voucher.objects.get()
    assert (voucher.shop, voucher.funded_by, voucher.created_by) == (shop, "shop", shop.producer.owner)
    ends = timezone.localtime(voucher.ends_at, ZoneInfo("Asia/Ho_Chi_Minh"))  # to the end of the day chosen
    assert (ends.date(), ends.hour) == (datetime.date.today() + datetime.timedelta(days=6), 0)
    page = client.post(f"/ban-hang/ma-giam-gia/{voucher.pk}/ngung/", follow=True).content.decode()
    assert "Đã ngừng mã CHEXUAN" in page and "đã ngừng" in page
    voucher.refresh_from_db()
    assert not voucher.is_active


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "95"}, "Phần trăm giảm từ 1 đến 90"),
        ({"max_discount": ""}, "mức giảm tối đa"),
        ({"code": "Mã hè"}, "3–20 ký tự"),
        ({"ends": "2020-01-01"}, "kết thúc phải sau"),
        ({"total_limit": "2000000"}, "Tổng lượt dùng"),
        ({"value": "abc"}, "Mức giảm"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(client, changes, message):
    shop = make_shop()
    client.force_login(shop.producer.owner)
    response = client.post("/ban-hang/ma-giam-gia/", form(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Voucher.objects.exists()


def test_operators_run_hub_vouchers_and_sellers_cannot(client):
    seller = make_shop().producer.owner
    client.force_login(seller)
    assert client.get("/van-hanh/ma-giam-gia/").status_code == 403
    client.force_login(make_user(role=Role.OPERATOR))
    page = client.post("/van-hanh/ma-giam-gia/", form(code="HOICHO10", kind="fixed", value="20000"), follow=True)
    assert "Đã tạo mã HOICHO10" in page.content.decode()
    assert Voucher.objects.get().funded_by == "hub"
