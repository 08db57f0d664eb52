"""The window pages without JavaScript: a buyer pre-orders and sees the VietQR to pay, the producer opens a window,
confirms the harvest, and a short buyer chooses on the signed link."""

from __future__ import annotations

import datetime
import re

import pytest

from taybac.campaigns import window_harvest
from taybac.campaigns.window_models import SalesWindow, WindowPreorder
from taybac.campaigns.window_services import preorder
from taybac.core.models import OutboxMessage
from tests.campaigns.window_world import window_world

pytestmark = pytest.mark.django_db


def cod_preorder(world):
    return preorder(
        buyer=None, window=world.window, quantity=2, name="Lan", phone="0912345678", payment_method="cod",
        pickup_point=world.point.code,
    )  # fmt: skip


def test_buyer_preorders_from_the_page_and_is_asked_to_pay_by_vietqr(client):
    world = window_world(quota=4)
    page = client.get(f"/dat-truoc/{world.window.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mận hậu vụ tháng 5" in html and "Còn 4" in html and 'action="/dat-truoc/' in html
    answer = client.post(
        f"/dat-truoc/{world.window.pk}/dat/",
        {"quantity": "2", "name": "Lan", "phone": "0912345678", "payment_method": "vietqr",
         "pickup_point": world.point.code, "key": "page-1"},
    )  # fmt: skip
    assert answer.status_code == 302
    html = client.get(answer["Location"]).content.decode()
    made = WindowPreorder.objects.get()
    assert made.quantity == 2 and "Còn 2" in html and "<svg" in html
    assert made.shop_order.order.code in html
    refused = client.post(f"/dat-truoc/{world.window.pk}/dat/", {"quantity": "3", "name": "Lan", "phone": "0912345678"})
    assert "Chỉ còn 2 suất" in client.get(refused["Location"]).content.decode()
    assert "Mận hậu vụ tháng 5" in client.get("/dat-truoc/").content.decode()


def test_producer_opens_a_window_and_confirms_the_harvest(client):
    world = window_world(quota=4)
    client.force_login(world.owner)
    today = datetime.date.today()
    later = (today + datetime.timedelta(days=7)).isoformat()
    answer = client.post(
        "/ban-hang/dat-truoc/",
        {"title": "Mận vụ hai", "variant": world.plum.pk, "quota": "50", "price": "55.000", "payment": "deposit",
         "deposit_percent": "30", "opens": today.isoformat(), "closes": later,
         "week": (today + datetime.timedelta(days=14)).isoformat()},
    )  # fmt: skip
    window = SalesWindow.objects.get(title="Mận vụ hai")
    assert answer["Location"] == f"/ban-hang/dat-truoc/{window.pk}/"
    assert (window.price, window.payment, window.deposit_percent, window.quota) == (55_000, "deposit", 30, 50)
    assert "Mận vụ hai" in client.get("/ban-hang/dat-truoc/").content.decode()
    assert "Xác nhận thu hoạch" in client.get(f"/ban-hang/dat-truoc/{window.pk}/").content.decode()
    week = (today + datetime.timedelta(days=21)).isoformat()
    client.post(
        f"/ban-hang/dat-truoc/{window.pk}/sua/", {"title": "Mận vụ hai", "quota": "60", "closes": later, "week": week}
    )
    window.refresh_from_db()
    assert window.quota == 60 and window.delivery_week.weekday() == 0
    client.post(f"/ban-hang/dat-truoc/{window.pk}/thu-hoach/", {"harvested_quantity": "0"})
    window.refresh_from_db()
    assert (window.status, window.harvested_quantity) == (SalesWindow.Status.HARVESTED, 0)


def test_short_buyer_chooses_a_substitute_on_the_signed_link(client):
    world = window_world(quota=4)
    from taybac.campaigns.window_services import preorder

    made = preorder(
        buyer=None, window=world.window, quantity=2, name="Lan", phone="0912345678", payment_method="cod",
        pickup_point=world.point.code,
    )  # fmt: skip
    window_harvest.confirm_harvest(actor=world.owner, window=world.window, harvested_quantity=0)
    sms = OutboxMessage.objects.get(recipient="+84912345678", body__contains="/dat-truoc/chon/").body
    path = re.search(r"/dat-truoc/chon/[^ ]+/", sms).group(0)
    html = client.get(path).content.decode()
    assert "Chè Shan tuyết" in html and "Hoàn tiền 2 suất" in html
    client.post(path, {"choice": "substitute", "substitute": str(world.tea.pk)})
    made.refresh_from_db()
    assert made.outcome == WindowPreorder.Outcome.SUBSTITUTED and made.substitute == world.tea
    assert "Đổi sang sản phẩm khác" in client.get(path).content.decode()
    assert client.get(path[:-5] + "xxxx/").status_code == 404


def test_product_and_shop_pages_link_their_open_windows(client):
    world = window_world()
    product = world.plum.product
    for url in (f"/san-pham/{product.pk}/", f"/gian-hang/{world.shop.slug}/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert f'href="/dat-truoc/{world.window.pk}/"' in response.content.decode(), url


def test_the_producer_cancels_a_preorder_from_the_window_page(client):
    world = window_world(quota=4)
    made = cod_preorder(world)
    client.force_login(world.owner)
    html = client.get(f"/ban-hang/dat-truoc/{world.window.pk}/").content.decode()
    url = f"/ban-hang/dat-truoc/{world.window.pk}/huy-don/{made.pk}/"
    assert f'action="{url}"' in html
    answer = client.post(url)
    assert answer["Location"] == f"/ban-hang/dat-truoc/{world.window.pk}/"
    html = client.get(answer["Location"]).content.decode()
    assert f"Đã huỷ đơn {made.shop_order.order.code}" in html and f'action="{url}"' not in html
    assert "Đã huỷ" in html and "0/4 suất đã đặt" in html
    assert client.post(f"/ban-hang/dat-truoc/{world.window.pk}/huy-don/999999/").status_code == 404
