"""Ordering in the chat: the cart and delivery details gathered over messages, a confirmation summary with the
total from the cart quote (fees included), then the site's checkout (orders.checkout.place_order).

Home delivery only for now (a pickup point is chosen on the checkout page). The order is placed with an idempotency
key made when the summary was shown, and the summary's total as `expected_total`: a channel that retries the
confirmation gets the same order back, and a price or fee that changed in between refuses the order instead of
charging something the buyer did not see.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from taybac.assistant.understanding import Slots
from taybac.core.chat_text import expand_chat
from taybac.core.errors import DomainError
from taybac.core.money import format_vnd
from taybac.core.text import fold
from taybac.orders.checkout import AddressInput, Contact, LineRequest, place_order
from taybac.orders.quote import quote_cart
from taybac.regions.selectors import commune_search

MAX_LINES = 10
_COMMUNE = re.compile(
    r"\b(xa|phuong|p|x)\.?\s+([a-z0-9]+(?: [a-z0-9]+){0,3}?)(?=\s*(?:,|$|tinh|thanh pho|tp|huyen|quan))"
)
_UNIT_START = re.compile(r",?\s*\b(?:xa|phuong|p|x)\.?\s")
_CONFIRM = {"dong y", "xac nhan", "ok", "oke", "dat luon", "dat di", "chot", "chot don", "ok dat", "dong y dat"}


def is_confirmation(text: str) -> bool:
    """A short yes to the summary: "đồng ý", "ok", "xác nhận", "chốt đơn"."""
    words = " ".join(w for w in expand_chat(text) if w not in {"a", "nha", "shop", "em", "minh", "nhe", "luon"})
    return words in _CONFIRM


def read_commune(text: str, province_code: int | None) -> tuple[int, int] | None:
    """(province, commune) codes of a 2025 commune named after "xã"/"phường", inside the province when known;
    None unless exactly one commune has that name."""
    match = _COMMUNE.search(fold(text))
    if match is None:
        return None
    kind = "phuong" if match.group(1) in {"phuong", "p"} else "xa"
    wanted = f"{kind} {match.group(2)}"
    found = [c for c in commune_search(name=wanted, province_code=province_code, limit=5) if c.name_folded == wanted]
    return (found[0].province_id, found[0].code) if len(found) == 1 else None


def remember_details(state: dict[str, Any], slots: Slots, text: str) -> None:
    """Keep the delivery details a message gives: name, phone, street, province and commune, payment method."""
    for name in ("name", "phone", "street", "payment"):
        if value := getattr(slots, name):
            state[name] = value
    if slots.province_code:
        state["province_code"] = slots.province_code
    commune = read_commune(text, slots.province_code or state.get("province_code"))
    if commune:
        state["province_code"], state["commune_code"] = commune
        if slots.street and (cut := _UNIT_START.search(fold(slots.street))):
            state["street"] = slots.street[: cut.start()].strip(" ,") or slots.street  # the commune is stored apart
    elif slots.commune_code:
        state["commune_code"] = slots.commune_code


def add_line(state: dict[str, Any], *, variant_id: int, quantity: int) -> None:
    cart = [line for line in state.get("cart", []) if line["variant_id"] != variant_id]
    state["cart"] = [*cart, {"variant_id": variant_id, "quantity": quantity}][-MAX_LINES:]
    state.pop("pending", None)


def missing(state: dict[str, Any]) -> list[str]:
    labels = {
        "name": "tên người nhận",
        "phone": "số điện thoại",
        "street": "số nhà, đường/thôn (sau chữ 'địa chỉ:')",
        "commune_code": "xã/phường (tên mới từ 7/2025) và tỉnh",
        "payment": "cách thanh toán (chuyển khoản VietQR hoặc COD)",
    }
    return [label for key, label in labels.items() if not state.get(key)]


def summary(state: dict[str, Any]) -> tuple[str, bool]:
    """The next step: what is still missing, or the summary with the total to confirm (then True)."""
    if not state.get("cart"):
        return "", False
    need = missing(state)
    if need:
        return "Để đặt hàng, bạn gửi giúp mình: " + "; ".join(need) + ".", False
    lines = [LineRequest(line["variant_id"], line["quantity"]) for line in state["cart"]]
    try:
        quote = quote_cart(
            lines=lines,
            province_code=state["province_code"],
            commune_code=state["commune_code"],
            payment_method=state["payment"],
        )
    except DomainError as error:
        return f"Chưa tính được đơn: {error.message}", False
    if not quote.can_checkout or quote.total is None:
        return "Có sản phẩm trong giỏ không đặt được (hết hàng hoặc ngừng bán); bạn chọn lại giúp mình nhé.", False
    text = ["Xác nhận đơn hàng:"]
    for shop in quote.shops:
        for line in shop.lines:
            text.append(
                f"• {line.product_name} – {line.variant_name}: {line.quantity} × {format_vnd(line.unit_price)} = "
                f"{format_vnd(line.line_total)}"
            )
        text.append(f"  Phí giao ({shop.shop_name}): {format_vnd(shop.shipping_fee or 0)}")
    text += [
        f"Tổng cộng: {format_vnd(quote.total)}",
        f"Người nhận: {state['name']}, {state['phone'].replace('+84', '0', 1)}, {state['street']}",
        "Nhắn 'đồng ý' để đặt.",
    ]
    state["pending"] = {"total": quote.total, "key": secrets.token_hex(8)}
    return "\n".join(text), True


def confirm(state: dict[str, Any]) -> tuple[str, dict[str, str] | None]:
    """Place the order summarised last, once: the same key again returns the same order."""
    pending = state["pending"]
    try:
        order = place_order(
            buyer=None,
            lines=[LineRequest(line["variant_id"], line["quantity"]) for line in state["cart"]],
            contact=Contact(state["name"], state["phone"]),
            payment_method=state["payment"],
            delivery_address=AddressInput(
                province_code=state["province_code"], commune_code=state["commune_code"], street=state["street"]
            ),
            idempotency_key=f"assistant-{pending['key']}",
            expected_total=pending["total"],
        )
    except DomainError as error:
        state.pop("pending", None)
        return f"Chưa đặt được: {error.message}", None
    state.pop("pending", None)
    state["cart"] = []
    state["placed"] = order.code
    pay = (
        "Bạn chuyển khoản theo mã VietQR trên trang tra cứu đơn, nội dung là mã đơn."
        if state["payment"] == "vietqr"
        else "Bạn trả tiền khi nhận hàng."
    )
    status = order.shop_orders.values_list("status", flat=True).first() or "placed"
    text = f"Đã đặt đơn {order.code}, tổng {format_vnd(pending['total'])}. {pay} Tra cứu: /tra-cuu/?ma={order.code}"
    return text, {"code": order.code, "status": status}
