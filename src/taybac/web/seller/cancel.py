"""What cancelling a shop order does, said before the seller confirms it (the confirmation page).

Every sentence here follows what the code really does: taybac.orders.lifecycle.advance gives the reserved
stock back, taybac.fulfilment.services.cancel_shop_order tells the buyer by SMS (and e-mail when they gave
one), taybac.payments.payouts makes what they paid refundable by the hub, and a transfer arriving after the
cancellation is kept as "late" by the reconciliation for the operators to send back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from taybac.core.money import format_vnd
from taybac.orders.codes import display
from taybac.orders.lifecycle import allowed_next
from taybac.orders.models import PaymentMethod, ShopOrder, Status
from taybac.web.templatetags.store import unit_text

NBSP = "\u00a0"  # "700.000 ₫" on one line


@dataclass(frozen=True)
class CancelPreview:
    allowed: bool
    consequences: list[str | SafeString]  # SafeString: escaped HTML keeping codes and units on one line


def cancel_preview(shop_order: ShopOrder) -> CancelPreview:
    """The consequences of cancelling `shop_order` now, in the words the page shows (three queries)."""
    if Status.CANCELLED not in allowed_next(status=shop_order.status):
        return CancelPreview(False, [f"Đơn đang ở trạng thái “{shop_order.get_status_display()}”: không hủy được nữa."])
    order = shop_order.order
    lines = format_html_join(
        ", ",
        '<span class="nw">{} ×</span> {} – {}',
        ((li.quantity, li.product_name, unit_text(li.variant_name)) for li in shop_order.lines.all()),
    )
    told = "SMS và e-mail" if order.contact_email else "SMS"
    paid = (shop_order.payments.aggregate(total=Sum("amount"))["total"] or 0) - (
        shop_order.refunds.aggregate(total=Sum("amount"))["total"] or 0
    )
    if paid > 0:
        money = (
            f"Người mua đã trả {format_vnd(paid).replace(' ', NBSP)}: Tây Bắc Hub chuyển khoản hoàn lại cho họ, "
            "và khoản bán này bị trừ khỏi tiền sàn trả cho gian hàng."
        )
    elif order.payment_method == PaymentMethod.COD:
        money = "Đơn thu tiền khi giao: người mua chưa trả gì, không có khoản nào phải hoàn."
    else:
        money = (
            "Người mua chưa chuyển khoản. Nếu họ vẫn chuyển sau khi hủy, khoản đó được giữ lại "
            "để bộ phận vận hành của sàn hoàn trả."
        )
    return CancelPreview(
        True,
        [
            format_html(
                'Người mua ({}) nhận {} báo gian hàng đã hủy đơn <span class="nw">{}</span>.',
                order.contact_name,
                told,
                display(shop_order.code),
            ),
            money,
            format_html("Hàng đã giữ cho đơn trở lại tồn kho ngay: {}.", lines),
            "Đơn chuyển sang “Đã hủy” và không thể khôi phục; việc hủy được ghi vào nhật ký gian hàng.",
        ],
    )
