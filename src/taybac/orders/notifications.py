"""Telling people about orders: by SMS (producers may only have a feature phone) and by e-mail when the person gave
an address. Every message goes through the outbox (core/outbox.py): it is stored in the order's own transaction
(nothing is sent for an order that rolled back), sent after commit by the job runner and retried on failure.

SMS texts are GSM-7 without Vietnamese marks, money as "350.000d", and fit one 160-character segment for usual
orders (core/sms.py); their links are absolute, from TAYBAC_PUBLIC_URL. E-mails are in full Vietnamese.
"""

from __future__ import annotations

from django.conf import settings

from taybac.core import outbox
from taybac.core.money import format_vnd
from taybac.core.sms import money
from taybac.orders.codes import display
from taybac.orders.models import Order, PaymentMethod, ShopOrder
from taybac.regions.models import PickupPoint


def _messages(*, phone: str | None, email: str | None, sms: str, subject: str, body: str) -> list[outbox.Message]:
    """One SMS (when there is a phone) and one e-mail (when there is an address) for one person."""
    found = [outbox.sms(phone=phone, text=sms)] if phone else []
    if email:
        found.append(outbox.email(address=email, subject=f"Tây Bắc Hub: {subject}", body=body))
    return found


def _track_url(order: Order) -> str:
    return f"{settings.PUBLIC_URL}/tra-cuu/?ma={order.code}"


def _seller_orders_url() -> str:
    return f"{settings.PUBLIC_URL}/ban-hang/don-hang/"


def order_placed(order: Order) -> None:
    """The buyer gets the order code; each shop's producer learns about the new order."""
    shop_orders = list(order.shop_orders.select_related("shop__producer__owner").prefetch_related("lines"))
    lines = "\n".join(
        f"- {so.shop.name} ({display(so.code)}): "
        + ", ".join(f"{line.product_name} {line.variant_name} × {line.quantity}" for line in so.lines.all())
        + f". Tổng {format_vnd(so.total)}."
        for so in shop_orders
    )
    total = sum(so.total for so in shop_orders)
    how_to_pay = (
        f"Vui lòng chuyển khoản một lần {format_vnd(total)} cho cả đơn (nội dung {order.code}) theo mã QR trên "
        "trang đơn hàng."
        if order.payment_method == "vietqr"
        else "Bạn trả tiền khi nhận hàng."
    )
    point = order.pickup_point
    # The post office is named in the SMS too (buyers read SMS, not e-mail); its name is cut to 40 characters and
    # the phone reminder dropped so that the text stays one segment.
    sms = (
        f"Tay Bac Hub: da nhan don {display(order.code)}, nhan tai {point.name[:40].strip()}. "
        f"Tra cuu: {_track_url(order)}"
        if point
        else f"Tay Bac Hub: da nhan don {display(order.code)}. Tra cuu (can so dien thoai nay): {_track_url(order)}"
    )
    where = ""
    if point:
        hours = f" Giờ mở cửa: {point.opening_hours}." if point.opening_hours else ""
        where = f"Nhận hàng tại {point.name} ({point.address}).{hours}\n"
    messages = _messages(
        phone=order.contact_phone,
        email=order.contact_email,
        sms=sms,
        subject=f"đã nhận đơn {display(order.code)}",
        body=f"Chào {order.contact_name},\n\nTây Bắc Hub đã nhận đơn {display(order.code)}:\n{lines}\n\n"
        f"{where}{how_to_pay}\n"
        f"Tra cứu đơn (cần số điện thoại đặt hàng): {_track_url(order)}\n",
    )
    for so in shop_orders:
        owner = so.shop.producer.owner
        waiting = " (cho thanh toan)" if so.reserved_until else " (thu tien khi giao)"
        messages += _messages(
            phone=owner.phone,
            email=owner.email,
            sms=f"Tay Bac Hub: don moi {display(so.code)}, {money(so.items_total)}{waiting}. "
            f"Xem: {_seller_orders_url()}",
            subject=f"đơn mới {display(so.code)}",
            body=f"Gian hàng {so.shop.name} có đơn mới {display(so.code)}: {format_vnd(so.items_total)} tiền hàng"
            f"{' — chờ người mua chuyển khoản' if so.reserved_until else ' — thu tiền khi giao'}.\n"
            f"Xem và xử lý đơn trong Kênh người bán: {_seller_orders_url()}\n",
        )
    outbox.enqueue(messages)


def shop_order_paid(shop_order: ShopOrder) -> None:
    """The producer may pack now; the buyer knows the transfer arrived."""
    owner, order = shop_order.shop.producer.owner, shop_order.order
    messages = _messages(
        phone=owner.phone,
        email=owner.email,
        sms=f"Tay Bac Hub: don {display(shop_order.code)} da thanh toan. Hay dong goi hang. "
        f"Xem: {_seller_orders_url()}",
        subject=f"đơn {display(shop_order.code)} đã thanh toán",
        body=f"Đơn {display(shop_order.code)} ({format_vnd(shop_order.total)}) đã được thanh toán. "
        f"Hãy đóng gói hàng.\n",
    )
    messages += _messages(
        phone=None,
        email=order.contact_email,
        sms="",
        subject=f"đã nhận tiền đơn {display(shop_order.code)}",
        body=f"Chào {order.contact_name},\n\nTây Bắc Hub đã nhận {format_vnd(shop_order.total)} cho đơn "
        f"{display(shop_order.code)} của {shop_order.shop.name}. Gian hàng sẽ đóng gói và gửi hàng.\n"
        f"Tra cứu: {_track_url(order)}\n",
    )
    outbox.enqueue(messages)


def shop_order_shipped(shop_order: ShopOrder) -> None:
    """The buyer learns the parcel is on its way (by SMS: many buyers check their phone, not e-mail)."""
    order = shop_order.order
    outbox.enqueue(
        _messages(
            phone=order.contact_phone,
            email=order.contact_email,
            sms=f"Tay Bac Hub: don {display(shop_order.code)} dang duoc giao toi ban. Tra cuu: {_track_url(order)}",
            subject=f"đơn {display(shop_order.code)} đang được giao",
            body=f"Chào {order.contact_name},\n\nĐơn {display(shop_order.code)} của {shop_order.shop.name} "
            f"đang được giao tới bạn.\nTra cứu: {_track_url(order)}\n",
        )
    )


def shop_order_at_pickup(shop_order: ShopOrder, point: PickupPoint) -> None:
    """The parcel is at the post office: the buyer comes with the order code (and the cash, for COD)."""
    order = shop_order.order
    cod = order.payment_method == PaymentMethod.COD
    hours = f"Giờ mở cửa: {point.opening_hours}.\n" if point.opening_hours else ""
    outbox.enqueue(
        _messages(
            phone=order.contact_phone,
            email=order.contact_email,
            # No link: the point's name (cut to 40 characters) and the cash keep it within one segment.
            sms=f"Tay Bac Hub: don {display(shop_order.code)} da den {point.name[:40].strip()}. "
            f"Mang theo ma don de nhan hang{f', tra {money(shop_order.total)}' if cod else ''}.",
            subject=f"đơn {display(shop_order.code)} đã đến {point.name}",
            body=f"Chào {order.contact_name},\n\nĐơn {display(shop_order.code)} của {shop_order.shop.name} đã đến "
            f"{point.name} ({point.address}).\n{hours}"
            f"Khi đến nhận, hãy đọc mã đơn {display(shop_order.code)} cho nhân viên bưu điện"
            f"{f' và trả {format_vnd(shop_order.total)} tiền mặt' if cod else ''}.\n"
            f"Tra cứu: {_track_url(order)}\n",
        )
    )


def shop_order_cancelled(shop_order: ShopOrder, *, refund: int) -> None:
    """The seller cancelled: the buyer learns it by SMS (and e-mail), with what they paid and will get back."""
    order = shop_order.order
    back = f" Tien da tra {money(refund)} se duoc san hoan lai." if refund else ""
    outbox.enqueue(
        _messages(
            phone=order.contact_phone,
            email=order.contact_email,
            sms=f"Tay Bac Hub: don {display(shop_order.code)} da bi gian hang huy.{back} Tra cuu: {_track_url(order)}",
            subject=f"đơn {display(shop_order.code)} đã bị hủy",
            body=f"Chào {order.contact_name},\n\n{shop_order.shop.name} đã hủy đơn {display(shop_order.code)}"
            f" ({format_vnd(shop_order.total)}): gian hàng không giao được đơn này.\n"
            + (
                f"Bạn đã trả {format_vnd(refund)}; Tây Bắc Hub sẽ chuyển khoản hoàn lại số tiền này.\n"
                if refund
                else "Bạn chưa trả tiền cho đơn này nên không có khoản nào phải hoàn.\n"
            )
            + f"Tra cứu: {_track_url(order)}\n",
        )
    )
