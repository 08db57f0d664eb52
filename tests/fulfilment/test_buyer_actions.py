"""The buyer's cancel (before packing) and return request (within RETURN_DAYS of delivery), and the shop's answer:
who may, what happens to stock and money, who is told."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.conf import settings
from django.utils import timezone

from taybac.accounts.selectors import NotAllowed
from taybac.core.models import AuditEntry, OutboxMessage
from taybac.fulfilment.buyer import BuyerActionError, answer_return, cancel_by_buyer
from taybac.fulfilment.services import deliver_shop_order, pack_shop_order
from taybac.orders.models import ReturnRequest, ShopOrder, Status
from taybac.orders.returns import RETURN_DAYS, ReturnError, owns_order, request_return
from taybac.payments.payouts import record_refund, refundable
from taybac.payments.providers.base import BankTransfer
from taybac.payments.reconciliation import record_transfer
from tests.factories import make_shop, make_user
from tests.fulfilment.parcels import placed_order, shipped_order

pytestmark = pytest.mark.django_db


def _available(shop_order: ShopOrder) -> int:
    """Units on hand that no open order has reserved."""
    variant = shop_order.lines.get().variant
    variant.refresh_from_db()
    return variant.quantity - variant.allocated


def _sms_to(phone: str) -> list[str]:
    return list(OutboxMessage.objects.filter(channel="sms", recipient=phone).values_list("body", flat=True))


def _pay(shop_order: ShopOrder) -> None:
    """The buyer's bank transfer arrives with the shop order's payment code in the memo."""
    record_transfer(
        transfer=BankTransfer(
            provider="test",
            transaction_id=uuid.uuid4().hex,
            account_number=settings.TAYBAC_HUB_BANK_ACCOUNT,
            amount=shop_order.total,
            direction="in",
            memo=f"CK {shop_order.code}",
            occurred_at=timezone.now(),
        )
    )


def _buyer_with_phone(phone: str):
    user = make_user()
    user.phone = phone
    user.save(update_fields=["phone"])
    return user


def _delivered(**placed) -> ShopOrder:
    shop_order = shipped_order(None, payment_method="cod", **placed)
    owner = shop_order.shop.producer.owner
    return deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)


def test_the_buyer_cancels_before_packing_stock_returns_and_both_sides_are_told():
    shop_order = placed_order(None, payment_method="cod", quantity=3)
    before = _available(shop_order)
    buyer = _buyer_with_phone("+84912345678")  # the phone the guest order was placed with, proven by sign-in
    cancelled = cancel_by_buyer(shop_order=shop_order, actor=buyer, holds_link=False, reason="Đặt nhầm")
    assert cancelled.status == Status.CANCELLED and _available(shop_order) == before + 3
    assert any("da huy don" in text for text in _sms_to("+84912345678"))
    owner_phone = shop_order.shop.producer.owner.phone
    assert any("nguoi mua da huy" in text for text in _sms_to(owner_phone))
    entry = AuditEntry.objects.get(action="shop_order.cancelled")
    assert entry.actor == buyer and "Đặt nhầm" in entry.detail["note"]


def test_a_paid_cancelled_order_becomes_refundable_and_the_sms_says_so():
    shop_order = placed_order(None, payment_method="vietqr")
    ShopOrder.objects.filter(pk=shop_order.pk).update(status=Status.AWAITING_PAYMENT)
    _pay(shop_order)
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED
    cancel_by_buyer(shop_order=shop_order, actor=None, holds_link=True)
    shop_order.refresh_from_db()
    assert refundable(shop_order=shop_order) == shop_order.total
    assert any("se duoc hoan" in text for text in _sms_to(shop_order.order.contact_phone))
    record_refund(shop_order=shop_order, amount=shop_order.total, reference="FT1", key="r1", actor=make_user())
    assert refundable(shop_order=shop_order) == 0


def test_a_stranger_cannot_cancel_and_a_packed_order_cannot_be_cancelled_by_the_buyer():
    shop_order = placed_order(None, payment_method="cod")
    with pytest.raises(NotAllowed):
        cancel_by_buyer(shop_order=shop_order, actor=make_user(), holds_link=False)
    with pytest.raises(NotAllowed):
        cancel_by_buyer(shop_order=shop_order, actor=None, holds_link=False)
    pack_shop_order(actor=shop_order.shop.producer.owner, shop_order=shop_order)
    with pytest.raises(BuyerActionError, match="không hủy được"):
        cancel_by_buyer(shop_order=shop_order, actor=None, holds_link=True)
    shop_order.refresh_from_db()
    assert shop_order.status == Status.PACKED and not OutboxMessage.objects.filter(body__contains="da huy").exists()


def test_owns_order_by_account_or_by_proven_phone():
    shop_order = placed_order(None, payment_method="cod", phone="0912345678")
    order = shop_order.order
    assert owns_order(order=order, user=_buyer_with_phone("+84912345678"))
    assert not owns_order(order=order, user=_buyer_with_phone("+84987654321"))
    assert not owns_order(order=order, user=None)


def test_return_request_within_the_window_and_the_shop_accepts_with_a_refund():
    shop_order = _delivered()
    with pytest.raises(ReturnError, match="lý do"):
        request_return(shop_order=shop_order, actor=None, holds_link=True, reason="x")
    request = request_return(shop_order=shop_order, actor=None, holds_link=True, reason="Hàng bị dập khi giao")
    owner = shop_order.shop.producer.owner
    assert any("yeu cau tra don" in text for text in _sms_to(owner.phone))
    with pytest.raises(ReturnError, match="đã có yêu cầu"):
        request_return(shop_order=shop_order, actor=None, holds_link=True, reason="Lần nữa đây")
    answered = answer_return(actor=owner, return_request=request, accept=True)
    shop_order.refresh_from_db()
    assert answered.state == ReturnRequest.State.ACCEPTED and shop_order.status == Status.RETURNED
    assert refundable(shop_order=shop_order) == shop_order.total  # the cash collected goes back
    assert any("dong y tra don" in text for text in _sms_to(shop_order.order.contact_phone))
    with pytest.raises(BuyerActionError, match="đã được trả lời"):
        answer_return(actor=owner, return_request=request, accept=False, answer="Đổi ý rồi")


def test_the_shop_refuses_with_a_reason_and_the_buyer_reads_it():
    shop_order = _delivered()
    request = request_return(shop_order=shop_order, actor=None, holds_link=True, reason="Không đúng mô tả")
    owner = shop_order.shop.producer.owner
    with pytest.raises(BuyerActionError, match="lý do từ chối"):
        answer_return(actor=owner, return_request=request, accept=False, answer="")
    answer_return(actor=owner, return_request=request, accept=False, answer="Hàng đúng như ảnh, đã kiểm tra")
    shop_order.refresh_from_db()
    assert shop_order.status == Status.DELIVERED
    assert any("tu choi" in text and "da kiem tra" in text for text in _sms_to(shop_order.order.contact_phone))


def test_only_the_shop_answers_and_only_the_buyer_asks():
    shop_order = _delivered()
    with pytest.raises(NotAllowed):
        request_return(shop_order=shop_order, actor=make_user(), holds_link=False, reason="Không phải đơn của tôi")
    request = request_return(shop_order=shop_order, actor=None, holds_link=True, reason="Hàng bị dập khi giao")
    other_owner = make_shop(name="Gian hàng khác").producer.owner
    with pytest.raises(NotAllowed):
        answer_return(actor=other_owner, return_request=request, accept=True)
    request.refresh_from_db()
    assert request.state == ReturnRequest.State.REQUESTED


def test_no_return_before_delivery_nor_after_the_window():
    shipped = shipped_order(None, payment_method="cod")
    with pytest.raises(ReturnError, match="sau khi đã nhận hàng"):
        request_return(shop_order=shipped, actor=None, holds_link=True, reason="Chưa nhận được hàng")
    shop_order = _delivered(phone="0987654321")
    late = timezone.now() - datetime.timedelta(days=RETURN_DAYS, minutes=1)
    AuditEntry.objects.filter(action="shop_order.delivered", target_id=str(shop_order.pk)).update(created_at=late)
    with pytest.raises(ReturnError, match=f"quá {RETURN_DAYS} ngày"):
        request_return(shop_order=shop_order, actor=None, holds_link=True, reason="Hàng bị dập khi giao")
    assert not ReturnRequest.objects.exists()
