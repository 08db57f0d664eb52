"""Telling people about orders: by SMS/Zalo behind one interface (producers may only have a feature phone) and
by e-mail through Django's e-mail backend when the person gave an address.

The demo defaults write SMS to the log and e-mail to the console. Messages are sent after the order's
transaction commits, never inside it, so a slow gateway cannot hold a stock lock or roll back an order.
"""
from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

from taybac.core.money import format_vnd
from taybac.core.text import strip_marks
from taybac.orders.codes import display
from taybac.orders.models import Order, PaymentMethod, ShopOrder
from taybac.regions.models import PickupPoint

logger = logging.getLogger("taybac.orders.notifications")


class MessageSender(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LogMessageSender:
    """Demo delivery: the SMS text appears in the server log."""

    def send(self, *, phone: str, text: str) -> None:
        logger.warning("SMS tới %s: %s", phone, text)


def _sender() -> MessageSender:
    return import_string(getattr(settings, "TAYBAC_SMS_SENDER", "taybac.orders.notifications.LogMessageSender"))()


def _notify(*, phone: str | None, email: str | None, sms: str, subject: str, body: str) -> None:
    """Queue one SMS (ASCII, short: cheap phones and gateways mangle diacritics) and one e-mail (full Vietnamese)."""
    if phone:
        transaction.on_commit(lambda: _safe(_sender().send, "SMS", phone, phone=phone, text=sms))
    if email:
        transaction.on_commit(lambda: _safe(send_mail, "e-mail", email, subject=f"Tây Bắc Hub: {subject}",
                                            message=body, from_email=None, recipient_list=[email]))


def _safe(send, channel: str, to: str, **kwargs) -> None:
    try:
        send(**kwargs)
    except Exception:  # a gateway failure must not break the buyer's request; it is logged for a retry
        logger.exception("Không gửi được %s tới %s", channel, to)


def _track_url(order: Order) -> str:
    return f"{settings.PUBLIC_URL}/tra-cuu/?ma={order.code}"


def order_placed(order: Order) -> None:
    """The buyer gets the order code; each shop's producer learns about the new order."""
    shop_orders = list(order.shop_orders.select_related("shop__producer__owner").prefetch_related("lines"))
    lines = "\n".join(f"- {so.shop.name} ({display(so.code)}): "
                      + ", ".join(f"{line.product_name} {line.variant_name} × {line.quantity}" for line in so.lines.all())
                      + f". Tổng {format_vnd(so.total)}." for so in shop_orders)
    _notify(phone=order.contact_phone, email=order.contact_email,
            sms=f"Tay Bac Hub: da nhan don {display(order.code)}. Tra cuu: /tra-cuu/ voi so dien thoai nay.",
            subject=f"đã nhận đơn {display(order.code)}",
            body=f"Chào {order.contact_name},\n\nTây Bắc Hub đã nhận đơn {display(order.code)}:\n{lines}\n\n"
                 f"{'Vui lòng chuyển khoản theo mã QR trên trang đơn hàng.' if order.payment_method == 'vietqr' else 'Bạn trả tiền khi nhận hàng.'}\n"
                 f"Tra cứu đơn (cần số điện thoại đặt hàng): {_track_url(order)}\n")
    for so in shop_orders:
        owner = so.shop.producer.owner
        waiting = " (cho thanh toan)" if so.reserved_until else " (thu tien khi giao)"
        _notify(phone=owner.phone, email=owner.email,
                sms=f"Tay Bac Hub: don moi {display(so.code)}, {format_vnd(so.items_total)}{waiting}.",
                subject=f"đơn mới {display(so.code)}",
                body=f"Gian hàng {so.shop.name} có đơn mới {display(so.code)}: {format_vnd(so.items_total)} tiền hàng"
                     f"{' — chờ người mua chuyển khoản' if so.reserved_until else ' — thu tiền khi giao'}.\n"
                     f"Xem và xử lý đơn trong Kênh người bán: {settings.PUBLIC_URL}/ban-hang/don-hang/\n")


def shop_order_paid(shop_order: ShopOrder) -> None:
    """The producer may pack now; the buyer knows the transfer arrived."""
    owner, order = shop_order.shop.producer.owner, shop_order.order
    _notify(phone=owner.phone, email=owner.email,
            sms=f"Tay Bac Hub: don {display(shop_order.code)} da thanh toan. Hay dong goi hang.",
            subject=f"đơn {display(shop_order.code)} đã thanh toán",
            body=f"Đơn {display(shop_order.code)} ({format_vnd(shop_order.total)}) đã được thanh toán. "
                 f"Hãy đóng gói hàng.\n")
    _notify(phone=None, email=order.contact_email, sms="",
            subject=f"đã nhận tiền đơn {display(shop_order.code)}",
            body=f"Chào {order.contact_name},\n\nTây Bắc Hub đã nhận {format_vnd(shop_order.total)} cho đơn "
                 f"{display(shop_order.code)} của {shop_order.shop.name}. Gian hàng sẽ đóng gói và gửi hàng.\n"
                 f"Tra cứu: {_track_url(order)}\n")


def shop_order_shipped(shop_order: ShopOrder) -> None:
    """The buyer learns the parcel is on its way (by SMS: many buyers check their phone, not e-mail)."""
    order = shop_order.order
    _notify(phone=order.contact_phone, email=order.contact_email,
            sms=f"Tay Bac Hub: don {display(shop_order.code)} dang duoc giao toi ban.",
            subject=f"đơn {display(shop_order.code)} đang được giao",
            body=f"Chào {order.contact_name},\n\nĐơn {display(shop_order.code)} của {shop_order.shop.name} "
                 f"đang được giao tới bạn.\nTra cứu: {_track_url(order)}\n")


def _ascii(text: str, limit: int) -> str:
    """Vietnamese to plain ASCII for SMS ("Bưu điện xã Bắc Hà" -> "Buu dien xa Bac Ha"), cut to `limit`."""
    return strip_marks(text).encode("ascii", "ignore").decode()[:limit].strip()


def shop_order_at_pickup(shop_order: ShopOrder, point: PickupPoint) -> None:
    """The parcel is at the post office: the buyer comes with the order code (and the cash, for COD)."""
    order = shop_order.order
    cod = order.payment_method == PaymentMethod.COD
    cash = f"{shop_order.total:,}".replace(",", ".") + "d"  # "350.000d": the ₫ sign is not ASCII
    hours = f"Giờ mở cửa: {point.opening_hours}.\n" if point.opening_hours else ""
    _notify(phone=order.contact_phone, email=order.contact_email,
            sms=f"Tay Bac Hub: don {display(shop_order.code)} da den {_ascii(point.name, 40)}. "
                f"Mang theo ma don de nhan hang{f', tra {cash}' if cod else ''}.",
            subject=f"đơn {display(shop_order.code)} đã đến {point.name}",
            body=f"Chào {order.contact_name},\n\nĐơn {display(shop_order.code)} của {shop_order.shop.name} đã đến "
                 f"{point.name} ({point.address}).\n{hours}"
                 f"Khi đến nhận, hãy đọc mã đơn {display(shop_order.code)} cho nhân viên bưu điện"
                 f"{f' và trả {format_vnd(shop_order.total)} tiền mặt' if cod else ''}.\n"
                 f"Tra cứu: {_track_url(order)}\n")
