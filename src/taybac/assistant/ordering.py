"""Ordering in the chat: the cart and delivery details gathered over messages, a confirmation summary with the
total from the cart quote (fees included), then the site's checkout (orders.checkout.place_order).

Home delivery to a street and 2025 commune, or collection at a pickup point the buyer picks from the nearest ones
of their commune (assistant/pickup.py). The order is placed with an idempotency key made when the summary was
shown, and the summary's total as `expected_total`: a channel that retries the confirmation gets the same order
back, and a price or fee that changed in between refuses the order instead of charging something the buyer did
not see. A VietQR order's reply carries the order page and its QR image, as the site's checkout links them.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from taybac.assistant import links, pickup
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
_HOME = ("giao tan nha", "giao tai nha", "giao ve nha", "ship tan nha", "giao tan noi")
_CONFIRM = {"dong y", "xac nhan", "ok", "oke", "dat luon", "dat di", "chot", "chot don", "ok dat", "dong y dat"}


def is_confirmation(text: str) -> bool:
    """A short yes to the summary: "đồng ý", "ok", "xác nhận", "chốt đơn"."""
    words = " ".join(w for w in expand_chat(text) if w not in {"a", "nha", "shop", "em", "minh", "nhe", "luon"})
    return words in _CONFIRM


def names_commune(text: str) -> bool:
    """Whether the message names a commune after "xã"/"phường" (known or not)."""
    return _COMMUNE.search(fold(text)) is not None


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


def _in_product_words(slots: Slots) -> bool:
    """Whether the old province read is the product's origin ("nấm hương Bắc Kạn"), not where to deliver."""
    place = " ".join(fold(slots.old_place).removeprefix("tinh ").removeprefix("thanh pho ").split())
    return bool(place) and f" {place} " in f" {' '.join(slots.product_words)} "


def remember_details(state: dict[str, Any], slots: Slots, text: str) -> None:
    """Keep the delivery details a message gives: name, phone, street, province and commune, payment method."""
    for name in ("name", "phone", "street", "payment"):
        if value := getattr(slots, name):
            state[name] = value
    if slots.province_code and not _in_product_words(slots):
        state["province_code"] = slots.province_code
    commune = read_commune(text, slots.province_code or state.get("province_code"))
    if commune:
        state["province_code"], state["commune_code"] = commune
        if slots.street and (cut := _UNIT_START.search(fold(slots.street))):
            state["street"] = slots.street[: cut.start()].strip(" ,") or slots.street  # the commune is stored apart
    elif slots.commune_code:
        state["commune_code"] = slots.commune_code
    joined = " ".join(expand_chat(text))
    if slots.pickup:
        state["pickup"] = True
    elif slots.street or any(h in joined for h in _HOME):
        state.pop("pickup", None)
        state.pop("pickup_point", None)


def choose_pickup(state: dict[str, Any], code: str) -> None:
    state["pickup"], state["pickup_point"] = True, code
    state.pop("choice", None)


def pickup_options(state: dict[str, Any], text: str) -> str:
    """The nearest active pickup points of the buyer's commune (or province) as a numbered list kept as the
    pending choice; one the message names exactly is chosen at once. Empty when none is known yet."""
    province = state.get("province_code")
    if not province:
        return ""
    points = pickup.nearest(province_code=province, commune_code=state.get("commune_code"))
    if not points:
        state.pop("pickup", None)
        return "Tỉnh này chưa có điểm nhận hàng trên hub; mình giao tận nhà nhé (gửi 'địa chỉ: số nhà, thôn/đường')."
    if named := pickup.named_in(text, points):
        choose_pickup(state, named.code)
        return ""
    state["choice"] = {"kind": "pickup", "options": [p.code for p in points]}
    listed = [f"{n}. {pickup.describe(p)}" for n, p in enumerate(points, 1)]
    return "\n".join(["Điểm nhận hàng gần bạn (nhắn số thứ tự, ví dụ 'số 1'):", *listed])


def add_line(state: dict[str, Any], *, variant_id: int, quantity: int) -> None:
    cart = [line for line in state.get("cart", []) if line["variant_id"] != variant_id]
    state["cart"] = [*cart, {"variant_id": variant_id, "quantity": quantity}][-MAX_LINES:]
    state.pop("pending", None)


def missing(state: dict[str, Any]) -> list[str]:
    labels = {"name": "tên người nhận", "phone": "số điện thoại"}
    if state.get("pickup"):
        labels["pickup_point"] = "điểm nhận hàng (xã/phường hoặc tỉnh của bạn để mình tìm bưu điện gần nhất)"
    else:
        labels["street"] = "số nhà, đường/thôn (sau chữ 'địa chỉ:'), hoặc nhắn 'nhận ở bưu điện'"
        labels["commune_code"] = "xã/phường (tên mới từ 7/2025) và tỉnh"
    labels["payment"] = "cách thanh toán (chuyển khoản VietQR hoặc COD)"
    return [label for key, label in labels.items() if not state.get(key)]


def _destination(state: dict[str, Any]) -> dict[str, Any]:
    """The quote's and checkout's destination arguments: a pickup point's code, or the delivery address."""
    if state.get("pickup"):
        return {"pickup_point": state["pickup_point"]}
    return {"province_code": state["province_code"], "commune_code": state["commune_code"]}


def summary(state: dict[str, Any], text: str = "") -> tuple[str, bool]:
    """The next step: the pickup points to choose from, what is still missing, or the summary with the total to
    confirm (then True)."""
    if not state.get("cart"):
        return "", False
    if state.get("pickup") and not state.get("pickup_point") and (options := pickup_options(state, text)):
        return options, False
    need = missing(state)
    if need:
        return "Để đặt hàng, bạn gửi giúp mình: " + "; ".join(need) + ".", False
    lines = [LineRequest(line["variant_id"], line["quantity"]) for line in state["cart"]]
    try:
        quote = quote_cart(lines=lines, payment_method=state["payment"], **_destination(state))
    except DomainError as error:
        return f"Chưa tính được đơn: {error.message}", False
    if not quote.can_checkout or quote.total is None:
        return "Có sản phẩm trong giỏ không đặt được (hết hàng hoặc ngừng bán); bạn chọn lại giúp mình nhé.", False
    out = ["Xác nhận đơn hàng:"]
    for shop in quote.shops:
        for line in shop.lines:
            out.append(
                f"• {line.product_name} – {line.variant_name}: {line.quantity} × {format_vnd(line.unit_price)} = "
                f"{format_vnd(line.line_total)}"
            )
        out.append(f"  Phí giao ({shop.shop_name}): {format_vnd(shop.shipping_fee or 0)}")
    where = (
        f"nhận tại {quote.pickup_point.name} ({quote.pickup_point.address.street})"
        if quote.pickup_point
        else f"{state['street']}, {quote.commune.name if quote.commune else ''}"
    )
    out += [
        f"Tổng cộng: {format_vnd(quote.total)}",
        f"Người nhận: {state['name']}, {state['phone'].replace('+84', '0', 1)}, {where}",
        f"Thanh toán: {'chuyển khoản VietQR' if state['payment'] == 'vietqr' else 'khi nhận hàng (COD)'}",
        "Nhắn 'đồng ý' để đặt.",
    ]
    state["pending"] = {"total": quote.total, "key": secrets.token_hex(8)}
    return "\n".join(out), True


def confirm(state: dict[str, Any]) -> tuple[str, dict[str, str] | None]:
    """Place the order summarised last, once: the same key again returns the same order."""
    pending = state["pending"]
    try:
        order = place_order(
            buyer=None,
            lines=[LineRequest(line["variant_id"], line["quantity"]) for line in state["cart"]],
            contact=Contact(state["name"], state["phone"]),
            payment_method=state["payment"],
            **_checkout_destination(state),
            idempotency_key=f"assistant-{pending['key']}",
            expected_total=pending["total"],
        )
    except DomainError as error:
        state.pop("pending", None)
        return f"Chưa đặt được: {error.message}", None
    state.pop("pending", None)
    state["cart"] = []
    state["placed"] = order.code
    status = order.shop_orders.values_list("status", flat=True).first() or "placed"
    text = f"Đã đặt đơn {order.code}, tổng {format_vnd(pending['total'])}.\n" + payment_text(order.code, state)
    return text, {"code": order.code, "status": status}


def payment_text(code: str, state: dict[str, Any]) -> str:
    """How to pay: for VietQR the order page and the QR image as the site's checkout links them (assistant/links.py),
    for COD cash on delivery; and where to look the order up later."""
    if state.get("payment") == "vietqr":
        page, image = links.order_links(code)
        return (
            f"Bạn chuyển khoản đúng số tiền, nội dung là mã đơn {code}.\n"
            f"Mã VietQR (ảnh, quét bằng ứng dụng ngân hàng): {image}\n"
            f"Trang đơn hàng: {page}\n"
            f"Sau này tra cứu: /tra-cuu/?ma={code}"
        )
    return f"Bạn trả tiền khi nhận hàng.\nTra cứu: /tra-cuu/?ma={code}"


def _checkout_destination(state: dict[str, Any]) -> dict[str, Any]:
    if state.get("pickup"):
        return {"pickup_point": state["pickup_point"]}
    return {
        "delivery_address": AddressInput(
            province_code=state["province_code"], commune_code=state["commune_code"], street=state["street"]
        )
    }
