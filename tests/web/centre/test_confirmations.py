"""Destructive seller actions (cancel an order, revoke a helper, delete a photo) ask first, on a page that says
what will happen, and act only on that page's confirmation; the buyer of a cancelled order is told by SMS."""

import pytest
from django.utils import timezone

from taybac.catalog.models import ProductPhoto, Variant
from taybac.catalog.services import add_photo
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Status
from taybac.payments.providers.base import BankTransfer
from taybac.payments.reconciliation import record_transfer
from taybac.regions.services import create_address
from tests.catalog.test_images import jpeg_bytes

pytestmark = pytest.mark.django_db


class Outbox:
    """A real MessageSender that keeps what it would have sent."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        Outbox.sent.append((phone, text))


@pytest.fixture
def sms(settings):
    Outbox.sent = []
    settings.TAYBAC_SMS_SENDER = "tests.web.centre.test_confirmations.Outbox"
    settings.PUBLIC_URL = "https://taybac.example"
    return Outbox.sent


def _order(world, method: str):
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    order = place_order(
        buyer=None,
        lines=[LineRequest(world["honey_product"].variants.get().pk, 2)],
        contact=Contact("Trần Thị Lan", "0912345678"),
        payment_method=method,
        delivery_address=address,
    )
    return order.shop_orders.get()


def _pay(shop_order) -> None:
    record_transfer(
        transfer=BankTransfer(
            provider="sepay",
            transaction_id=f"T{shop_order.pk}",
            account_number="0071000888888",
            amount=shop_order.total,
            direction="in",
            memo=f"CK {shop_order.code}",
            occurred_at=timezone.now(),
        )
    )


def test_cancel_asks_first_and_says_what_happens_to_a_cash_order(client, world):
    shop_order = _order(world, "cod")
    client.force_login(world["helper"])
    listing = client.get("/ban-hang/don-hang/").content.decode()
    # the list's cancel is a real button (a GET form to the confirmation page), styled as a danger action
    assert f'action="/ban-hang/don-hang/{shop_order.pk}/huy/"' in listing and 'class="btn danger">Hủy đơn' in listing
    page = client.get(f"/ban-hang/don-hang/{shop_order.pk}/huy/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "nhận SMS báo gian hàng đã hủy đơn" in text and "Trần Thị Lan" in text
    assert "Đơn thu tiền khi giao: người mua chưa trả gì" in text
    assert 'trở lại tồn kho ngay: <span class="nw">2 ×</span> Mật ong bạc hà' in text
    assert 'name="xac_nhan" value="1"' in text and "Không hủy, quay lại" in text
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED  # looking changes nothing


def test_a_cancel_without_confirmation_goes_to_the_confirmation_page(client, world, sms):
    shop_order = _order(world, "cod")
    client.force_login(world["honey"].producer.owner)
    response = client.post(f"/ban-hang/don-hang/{shop_order.pk}/", {"to": "cancelled"})
    assert response.status_code == 302 and response["Location"] == f"/ban-hang/don-hang/{shop_order.pk}/huy/"
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED and not sms


def test_confirmed_cancel_releases_stock_and_texts_the_buyer(client, world, sms, django_capture_on_commit_callbacks):
    shop_order = _order(world, "cod")
    variant = Variant.objects.get(pk=world["honey_product"].variants.get().pk)
    assert variant.allocated == 2
    client.force_login(world["helper"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ban-hang/don-hang/{shop_order.pk}/",
            {"to": "cancelled", "xac_nhan": "1", "reason": "Hết hàng"},
            follow=True,
        )
    assert "Người mua đã được báo qua SMS" in response.content.decode()
    shop_order.refresh_from_db()
    variant.refresh_from_db()
    assert shop_order.status == Status.CANCELLED and variant.allocated == 0
    buyer_texts = [text for phone, text in sms if phone == "+84912345678" and "huy" in text]
    assert len(buyer_texts) == 1 and "Tien da tra" not in buyer_texts[0]  # cash order: nothing was paid


def test_cancelling_a_paid_order_says_and_texts_the_refund(client, world, sms, django_capture_on_commit_callbacks):
    shop_order = _order(world, "vietqr")
    _pay(shop_order)
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED
    client.force_login(world["honey"].producer.owner)
    total = f"{shop_order.total:,}".replace(",", ".")
    page = client.get(f"/ban-hang/don-hang/{shop_order.pk}/huy/").content.decode()
    assert f"Người mua đã trả {total}\u00a0₫: Tây Bắc Hub chuyển khoản hoàn lại cho họ" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ban-hang/don-hang/{shop_order.pk}/", {"to": "cancelled", "xac_nhan": "1"})
    (text,) = [text for phone, text in sms if phone == "+84912345678" and "huy" in text]
    assert f"Tien da tra {total}d se duoc san hoan lai" in text and len(text) <= 160


def test_unpaid_transfer_order_and_too_late_orders(client, world):
    waiting = _order(world, "vietqr")
    client.force_login(world["honey"].producer.owner)
    page = client.get(f"/ban-hang/don-hang/{waiting.pk}/huy/").content.decode()
    assert "Người mua chưa chuyển khoản" in page
    client.post(f"/ban-hang/don-hang/{waiting.pk}/", {"to": "cancelled", "xac_nhan": "1"})
    late = client.get(f"/ban-hang/don-hang/{waiting.pk}/huy/")
    assert late.status_code == 409 and "không hủy được nữa" in late.content.decode()
    assert 'name="xac_nhan"' not in late.content.decode()


def test_cancel_page_and_too_long_reason_are_guarded(client, world):
    shop_order = _order(world, "cod")
    client.force_login(world["tea"].producer.owner)  # another shop
    assert client.get(f"/ban-hang/don-hang/{shop_order.pk}/huy/").status_code == 403
    assert client.post(f"/ban-hang/don-hang/{shop_order.pk}/", {"to": "cancelled"}).status_code == 403
    assert client.get("/ban-hang/don-hang/999999/huy/").status_code == 404
    client.force_login(world["helper"])
    response = client.post(
        f"/ban-hang/don-hang/{shop_order.pk}/", {"to": "cancelled", "xac_nhan": "1", "reason": "x" * 201}, follow=True
    )
    assert "tối đa 200" in response.content.decode() or "200" in response.content.decode()
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED


def test_revoke_asks_first(client, world):
    owner = world["honey"].producer.owner
    delegation = world["honey"].producer.delegations.get()
    client.force_login(owner)
    listing = client.get("/ban-hang/uy-quyen/").content.decode()
    assert f'<form method="get" action="/ban-hang/uy-quyen/{delegation.pk}/thu-hoi/"' in listing
    page = client.get(f"/ban-hang/uy-quyen/{delegation.pk}/thu-hoi/").content.decode()
    assert "Nguyễn Thị Hoa không còn đăng sản phẩm" in page and "Họ không nhận SMS" in page
    assert client.post(f"/ban-hang/uy-quyen/{delegation.pk}/thu-hoi/").status_code == 200  # the page again
    delegation.refresh_from_db()
    assert delegation.revoked_at is None
    client.post(f"/ban-hang/uy-quyen/{delegation.pk}/thu-hoi/", {"xac_nhan": "1"})
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    client.force_login(world["helper"])  # the helper cannot even see the confirmation
    assert client.get(f"/ban-hang/uy-quyen/{delegation.pk}/thu-hoi/").status_code == 403


def test_photo_delete_asks_first(client, world):
    product = world["honey_product"]
    owner = world["honey"].producer.owner
    first = add_photo(actor=owner, product=product, data=jpeg_bytes(400, 300))
    add_photo(actor=owner, product=product, data=jpeg_bytes(400, 300))
    client.force_login(world["helper"])
    photos = client.get(f"/ban-hang/san-pham/{product.pk}/anh/").content.decode()
    assert f'<form method="get" action="/ban-hang/anh/{first.pk}/xoa/"><button class="btn danger small">' in photos
    page = client.get(f"/ban-hang/anh/{first.pk}/xoa/").content.decode()
    assert "không khôi phục được" in page and "Sản phẩm còn 1 ảnh" in page and first.thumb in page
    client.post(f"/ban-hang/anh/{first.pk}/xoa/")
    assert ProductPhoto.objects.filter(pk=first.pk).exists()
    response = client.post(f"/ban-hang/anh/{first.pk}/xoa/", {"xac_nhan": "1"})
    assert response.status_code == 302 and not ProductPhoto.objects.filter(pk=first.pk).exists()
    last = product.photos.get()
    assert "không còn ảnh nào" in client.get(f"/ban-hang/anh/{last.pk}/xoa/").content.decode()
    client.force_login(world["tea"].producer.owner)
    assert client.get(f"/ban-hang/anh/{last.pk}/xoa/").status_code == 403
