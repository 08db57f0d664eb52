"""The post-office page /buu-dien/: staff only, both buttons, search by a code read aloud, a fixed number of
queries whatever the number of parcels, and never a 500."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from taybac.core.models import AuditEntry
from taybac.fulfilment.pickup import AT_PICKUP, receive_at_pickup_point
from taybac.orders.codes import display
from taybac.orders.models import ShopOrder, Status
from taybac.web.order_links import order_url
from tests.factories import make_shop, make_user
from tests.fulfilment.parcels import make_point, shipped_order
from tests.fulfilment.test_pickup import clerk, point  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, clerk):
    client.force_login(clerk)
    return client


def test_sign_in_required_and_staff_only(client, point):
    assert client.get("/buu-dien/")["Location"] == "/dang-nhap/?next=/buu-dien/"
    client.force_login(make_user())
    response = client.get("/buu-dien/")
    assert response.status_code == 403 and "chưa được giao làm việc tại bưu điện" in response.content.decode()


def test_lists_parcels_coming_and_waiting(staff_client, point, clerk):
    coming = shipped_order(point, name="Trần Thị Lan", phone="0912345678", quantity=3)
    waiting = shipped_order(point, name="Vàng Seo Dìn", phone="0987654321", payment_method="cod")
    receive_at_pickup_point(actor=clerk, shop_order=waiting)
    shipped_order(None, name="Giao tận nhà")  # not for this post office
    page = staff_client.get("/buu-dien/").content.decode()
    assert "Bưu điện phường Hàng Bạc" in page and "Giao tận nhà" not in page
    assert "Đang chuyển đến (1)" in page and "Chờ người mua đến nhận (1)" in page
    coming_part, waiting_part = page.split("Chờ người mua đến nhận")
    assert display(coming.code) in coming_part and "Trần Thị Lan" in coming_part and "**** *** 678" in coming_part
    assert "3 sản phẩm" in coming_part and "Đã nhận hàng" in coming_part and "0912345678" not in page
    assert display(waiting.code) in waiting_part and "**** *** 321" in waiting_part
    assert "Đã giao cho người mua" in waiting_part and 'name="thu"' in waiting_part
    assert "Thu tiền khi giao" in waiting_part and "Đến bưu điện" in waiting_part


def test_buttons_receive_then_hand_over(staff_client, point):
    shop_order = shipped_order(point)
    response = staff_client.post(f"/buu-dien/don/{shop_order.pk}/da-nhan/", follow=True)
    assert "Đã nhận đơn" in response.content.decode() and "Chờ người mua đến nhận (1)" in response.content.decode()
    staff_client.post(f"/buu-dien/don/{shop_order.pk}/da-nhan/")  # double tap
    assert AuditEntry.objects.filter(action=AT_PICKUP).count() == 1
    response = staff_client.post(f"/buu-dien/don/{shop_order.pk}/da-giao/", follow=True)
    assert "Đã giao đơn" in response.content.decode()
    again = staff_client.post(f"/buu-dien/don/{shop_order.pk}/da-giao/", follow=True)  # double tap: same answer
    assert "Đã giao đơn" in again.content.decode()
    assert ShopOrder.objects.get(pk=shop_order.pk).status == Status.DELIVERED
    assert "Đang chuyển đến (0)" in again.content.decode() and "Chờ người mua đến nhận (0)" in again.content.decode()


def test_cash_typed_as_people_write_it(staff_client, point, clerk):
    from taybac.payments.models import Payment

    shop_order = shipped_order(point, payment_method="cod")
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    url = f"/buu-dien/don/{shop_order.pk}/da-giao/"
    assert "Số tiền không hợp lệ" in staff_client.post(url, {"thu": "abc"}, follow=True).content.decode()
    assert "số tiền đã thu" in staff_client.post(url, follow=True).content.decode()
    less = f"{shop_order.total - 1000:,}".replace(",", ".")
    page = staff_client.post(url, {"thu": less}, follow=True).content.decode()
    assert "Đã giao đơn" in page and "khác tổng đơn" in page
    assert Payment.objects.get().amount == shop_order.total - 1000


def test_steps_out_of_order_show_a_message(staff_client, point):
    shop_order = shipped_order(point)
    page = staff_client.post(f"/buu-dien/don/{shop_order.pk}/da-giao/", follow=True).content.decode()
    assert "chưa được ghi nhận đến bưu điện" in page
    assert ShopOrder.objects.get(pk=shop_order.pk).status == Status.SHIPPED


def test_other_post_offices_parcels_are_forbidden(client, point):
    shop_order = shipped_order(point)
    elsewhere = make_user()
    make_point(code="BD-OTHER", name="Bưu điện xã khác", staff=[elsewhere])
    client.force_login(elsewhere)
    assert display(shop_order.code) not in client.get("/buu-dien/").content.decode()
    for step in ("da-nhan", "da-giao"):
        response = client.post(f"/buu-dien/don/{shop_order.pk}/{step}/")
        assert response.status_code == 403 and "không gửi đến bưu điện bạn làm việc" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AT_PICKUP).exists()


@pytest.mark.parametrize("typed", ["{dashed}", "{lower}", "{body}", "{tail}", "{order}"])
def test_search_by_code_as_read_aloud(staff_client, point, typed):
    shop_order = shipped_order(point)
    other = shipped_order(point, name="Người khác")
    code = shop_order.code
    query = typed.format(
        dashed=display(code),
        lower=display(code).lower(),
        body=code[2:].lower(),
        tail=code[-4:],
        order=display(shop_order.order.code),
    )
    page = staff_client.get("/buu-dien/", {"ma": query}).content.decode()
    assert "Kết quả tìm" in page and display(code) in page and "Đã nhận hàng" in page
    if other.code[-4:] != code[-4:]:
        assert display(other.code) not in page
    # The button keeps the search, so staff come back to the same result.
    staff_client.post(f"/buu-dien/don/{shop_order.pk}/da-nhan/", {"ma": query})
    assert AuditEntry.objects.filter(action=AT_PICKUP, target_id=str(shop_order.pk)).exists()


def test_search_misses_and_short_queries(staff_client, point):
    shipped_order(point)
    assert "Không có đơn nào mang mã này" in staff_client.get("/buu-dien/", {"ma": "TB-XXXX-XXXX"}).content.decode()
    assert "ít nhất 4" in staff_client.get("/buu-dien/", {"ma": "tb-"}).content.decode()
    response = staff_client.post(f"/buu-dien/don/{shipped_order(point).pk}/da-nhan/", {"ma": "tb acde"})
    assert response["Location"] == "/buu-dien/?ma=tb+acde"


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_parcels(staff_client, point, clerk):
    first = shipped_order(point)
    small = queries(staff_client, "/buu-dien/"), queries(staff_client, f"/buu-dien/?ma={first.code}")
    second_point = make_point(code="BD-2", name="Bưu điện xã Bắc Hà", staff=[clerk])
    shop = make_shop(name="Hộ Giàng A Páo")
    for index in range(6):
        shop_order = shipped_order(point if index % 2 else second_point, shop=shop, payment_method="cod")
        if index % 3 == 0:
            receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    large = queries(staff_client, "/buu-dien/"), queries(staff_client, f"/buu-dien/?ma={first.code[-4:]}")
    # Pinned: session, user, the user's pickup points, their parcels (one query with arrival and item count).
    assert small == large == (4, 4)


BAD = ["²", "9" * 30, "-1", "\x00", "abc", "", "' OR 1=1 --", "١٢"]


@pytest.mark.parametrize("bad", BAD)
def test_malformed_input_never_500(staff_client, point, clerk, bad):
    staff_client.raise_request_exception = False
    shop_order = shipped_order(point, payment_method="cod")
    assert staff_client.get("/buu-dien/", {"ma": bad}).status_code == 200
    assert staff_client.post(f"/buu-dien/don/{shop_order.pk}/da-nhan/", {"ma": bad}).status_code == 302
    assert staff_client.post(f"/buu-dien/don/{shop_order.pk}/da-giao/", {"thu": bad, "ma": bad}).status_code == 302
    for url in (f"/buu-dien/don/{'9' * 30}/da-nhan/", f"/buu-dien/don/{'9' * 30}/da-giao/"):
        assert staff_client.post(url).status_code == 404
    assert staff_client.get(f"/buu-dien/don/{shop_order.pk}/da-nhan/").status_code == 405
    assert ShopOrder.objects.get(pk=shop_order.pk).status == Status.SHIPPED


def test_posts_need_the_csrf_token(clerk, point):
    shop_order = shipped_order(point)
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    assert client.post(f"/buu-dien/don/{shop_order.pk}/da-nhan/").status_code == 403
    assert not AuditEntry.objects.filter(action=AT_PICKUP).exists()


def test_staff_who_land_on_the_seller_sign_up_find_the_post_office_page(client, clerk, point):
    client.force_login(clerk)
    assert "/buu-dien/" in client.get("/ban-hang/", follow=True).content.decode()
    client.force_login(make_user())
    assert "/buu-dien/" not in client.get("/ban-hang/", follow=True).content.decode()


def test_operators_assign_staff_in_the_admin(client, point, clerk):
    operator = make_user(role="operator", is_staff=True, is_superuser=True)
    client.force_login(operator)
    page = client.get(f"/quan-tri/regions/pickuppoint/{point.pk}/change/").content.decode()
    assert 'name="staff"' in page and "admin-autocomplete" in page
    found = client.get(
        "/quan-tri/autocomplete/",
        {"app_label": "regions", "model_name": "pickuppoint", "field_name": "staff", "term": clerk.phone[-6:]},
    ).json()
    assert [item["id"] for item in found["results"]] == [str(clerk.pk)]
    assert client.get("/quan-tri/regions/pickuppoint/?q=BD-70").status_code == 200


def test_the_buyer_sees_the_parcel_is_waiting_at_the_post_office(client, point, clerk):
    shop_order = shipped_order(point, name="Trần Thị Lan", phone="0912345678", payment_method="cod")
    url = order_url(shop_order.order.code)  # the signed link the look-up hands out
    assert "Hàng đã đến" not in client.get(url).content.decode()
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    page = client.get(url).content.decode()
    assert "Hàng đã đến <b>Bưu điện phường Hàng Bạc</b>" in page and "để nhận hàng và trả" in page


def test_the_seller_sees_the_parcel_is_waiting_at_the_post_office(client, point, clerk):
    shop_order = shipped_order(point)
    client.force_login(shop_order.shop.producer.owner)
    assert "đã đến bưu điện" not in client.get("/ban-hang/don-hang/").content.decode()
    receive_at_pickup_point(actor=clerk, shop_order=shop_order)
    assert "đã đến bưu điện, chờ người mua nhận" in client.get("/ban-hang/don-hang/").content.decode()
