"""The reply to one understood message: Vietnamese text, the products it names, an order, a hand-over flag.

Facts come from assistant/grounding.py (catalogue selectors, the site's search, the cart quote) and from the
order look-up by code and phone (orders.lookup, with its bound on wrong guesses); nothing is invented: a product
the hub does not sell is said to be missing, and a question the records cannot answer is handed to a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from taybac.assistant import choices, grounding, ordering, pickup
from taybac.assistant.understanding import CONFIDENT, Understanding
from taybac.catalog.models import Product, Variant
from taybac.core.money import format_vnd
from taybac.core.text import fold_words
from taybac.orders.lookup import LookupLimited, find_order_code
from taybac.orders.models import Order, PaymentMethod, Status
from taybac.payments.selectors import order_due_for_buyer

STATUS_ORDER = [
    value for value, _ in Status.choices
]  # the earliest stage first: an order is as far as its slowest part
_ASPECTS = {
    "price": ("gia", "bao nhieu", "tien", "bn"),
    "stock": ("con hang", "con khong", "con may", "het hang", "con ko", "con k"),
    "season": ("mua nao", "khi nao co", "mua vu", "vao mua", "thu hoach"),
    "certificate": ("ocop", "sao", "chung nhan", "chi dan dia ly"),
    "origin": ("o dau", "nguon goc", "xuat xu", "san xuat"),
    "shipping": ("giao", "phi ship", "van chuyen", "may ngay"),
}


# Questions the records do not answer (use, storage, shelf life, authenticity): said so, and handed over.
_NOT_RECORDED = ("dung the nao", "dung de", "bao quan", "han su dung", "that khong", "cach dung", "tac dung")


@dataclass
class Reply:
    text: str
    intent: str
    products: list[Product] = field(default_factory=list)
    order: dict[str, str] | None = None
    handover: bool = False


def _aspects(joined: str) -> list[str]:
    return [name for name, keys in _ASPECTS.items() if any(f" {k} " in f" {joined} " for k in keys)]


def _products_for(understanding: Understanding, state: dict[str, Any]) -> tuple[list[Product], bool]:
    """Products the message names, else the one the conversation was last about."""
    words = understanding.slots.product_words
    if words:  # named: never swapped for the last product, even when the hub does not sell it
        return grounding.find_products(words)
    last = [p for pk in state.get("products", [])[:1] if (p := grounding.detailed(pk))]
    return last, bool(last)


def _not_sold(words: list[str], near: list[Product], intent: str) -> Reply:
    wanted = " ".join(words)
    offer = near or grounding.suggestions()
    lines = [f"• {p.name} ({p.get_absolute_url()})" for p in offer]
    head = f"Hiện hub chưa bán «{wanted}»." + (" Sản phẩm gần nhất hub có:" if near else " Hub đang có:")
    return Reply("\n".join([head, *lines]), intent, offer)


def _search(u: Understanding, state: dict[str, Any]) -> Reply:
    words = u.slots.product_words
    if not words:
        offer = grounding.suggestions()
        lines = [line for p in offer if (line := grounding.card_line(p))]
        return Reply("\n".join(["Hub đang có (đang vào mùa trước):", *lines]), u.intent, offer)
    found, exact = grounding.find_products(words)
    if not exact:
        return _not_sold(words, found, u.intent)
    lines = [line for p in found if (line := grounding.card_line(p))]
    return Reply("\n".join(["Hub có:", *lines]), u.intent, found)


def _product_question(u: Understanding, state: dict[str, Any], joined: str) -> Reply:
    found, exact = _products_for(u, state)
    if not exact:
        if u.slots.product_words:
            return _not_sold(u.slots.product_words, found, u.intent)
        return Reply("Bạn hỏi sản phẩm nào ạ? Gõ tên sản phẩm (ví dụ: mật ong, chè shan tuyết).", u.intent)
    product = grounding.detailed(found[0].pk)
    if product is None:
        return Reply("Sản phẩm này hiện không bán trên hub.", u.intent)
    today = timezone.localdate()
    unknown = any(k in joined for k in _NOT_RECORDED)
    aspects = _aspects(joined) or ([] if unknown else ["price"])
    lines: list[str] = []
    handover = False
    for aspect in aspects:
        if aspect in ("price", "stock"):
            lines += [line for line in grounding.price_lines(product) if line not in lines]
        elif aspect == "season":
            lines.append(grounding.season_text(product, today))
        elif aspect == "certificate":
            lines.append(grounding.certificate_text(product, today))
        elif aspect == "origin":
            lines.append(grounding.origin_text(product))
        elif aspect == "shipping":
            fee = grounding.shipping_text(
                product, province_code=state.get("province_code"), commune_code=state.get("commune_code")
            )
            lines.append(fee or "Phí và thời gian giao tùy nơi nhận: bạn gửi địa chỉ (xã/phường, tỉnh) để mình báo.")
    if not _aspects(joined) and u.confidence < CONFIDENT:
        handover = True
    if unknown:
        lines.append(
            f"Điều này trang sản phẩm chưa ghi, mình không chắc. Bạn hỏi thẳng {product.shop.name} "
            f"(/gian-hang/{product.shop.slug}/) hoặc chờ nhân viên trả lời nhé."
        )
        handover = True
    lines.append(f"Xem và đặt: {product.get_absolute_url()}")
    return Reply("\n".join(lines), u.intent, [product], handover=handover)


def _add_to_order(u: Understanding, state: dict[str, Any]) -> Reply:
    found, exact = _products_for(u, state)
    if not found:
        return Reply("Bạn muốn đặt sản phẩm nào ạ? Gõ tên và số lượng, ví dụ: 2 hũ mật ong.", u.intent)
    if not exact:
        return _not_sold(u.slots.product_words, found, u.intent)
    product = grounding.detailed(found[0].pk)
    if product is None:
        return Reply("Sản phẩm này hiện không bán trên hub.", u.intent)
    variant = grounding.pick_variant(product, u.slots.variant, u.slots.unit)
    quantity = _quantity(u)
    if variant is None:
        shown = list(product.variants.all())[: grounding.MAX_VARIANTS]
        options = [v.pk for v in shown]
        state["choice"] = {"kind": "variant", "product": product.pk, "options": options, "quantity": quantity}
        lines = [
            "Bạn chọn loại nào ạ? (nhắn ví dụ 'loại 500g' hoặc 'cái thứ 2')",
            *grounding.price_lines(product),
            f"Xem: {product.get_absolute_url()}",
        ]
        return Reply("\n".join(lines), u.intent, [product])
    return _added(product, variant, quantity, state, u.intent)


def _quantity(u: Understanding) -> int:
    q = u.slots.quantity
    return int(q) if q and q == int(q) else 1


def _added(product: Product, variant: Variant, quantity: int, state: dict[str, Any], intent: str) -> Reply:
    """The line put in the conversation's cart, its total from the variant's price, and the next step."""
    line = (
        f"• {product.name} – {variant.name}: {quantity} × {format_vnd(variant.price)} = "
        f"{format_vnd(quantity * variant.price)} (chưa gồm phí giao), {grounding.stock_text(variant, product)}"
    )
    ordering.add_line(state, variant_id=variant.pk, quantity=quantity)
    state.pop("choice", None)
    next_step, _ = ordering.summary(state)
    text = "\n".join(["Mình đã thêm vào đơn:", line, next_step, f"Hoặc đặt trên trang: {product.get_absolute_url()}"])
    return Reply(text, intent, [product])


def _out_of_range(joined: str, count: int, intent: str) -> Reply | None:
    """A position past the end of the list ("cái thứ 5" of two) is said so, never taken for another request."""
    if not choices.names_position(joined):
        return None
    return Reply(f"Danh sách chỉ có {count} lựa chọn: bạn nhắn số từ 1 đến {count} giúp mình nhé.", intent)


def _picked(u: Understanding, state: dict[str, Any], joined: str) -> Reply | None:
    """The answer to a message that picks one of the options listed last (a variant, a pickup point); None when
    it picks none of them (it is then answered as any message)."""
    choice = state.get("choice")
    if not choice or u.slots.street or u.slots.order_code:
        return None
    if choice["kind"] == "pickup":
        points = pickup.by_codes(choice["options"])
        at = choices.position(joined, len(points))
        point = points[at] if at is not None else pickup.named_in(joined, points)
        if point is None:
            return _out_of_range(joined, len(points), u.intent)
        ordering.choose_pickup(state, point.code)
        return _with_next_step(Reply(f"Mình ghi: nhận tại {pickup.describe(point)}.", "delivery_details"), state)
    product = grounding.detailed(choice["product"])
    if product is None:
        state.pop("choice", None)
        return None
    listed = {v.pk: v for v in product.variants.all()}
    variants = [listed[pk] for pk in choice["options"] if pk in listed]
    named = set(fold_words(" ".join([product.name, *(v.name for v in variants)]))) | choices.SIZE_WORDS
    if any(word not in named for word in u.slots.product_words):  # another product: not an answer to the list
        return None
    variant = choices.pick_variant(joined, variants, size=u.slots.variant, unit=u.slots.unit)
    if variant is None:
        return _out_of_range(joined, len(variants), u.intent)
    # "loại 1 lít" names the pack size, not a quantity: the quantity asked with the product stands
    quantity = _quantity(u) if u.slots.quantity and not u.slots.variant else int(choice.get("quantity") or 1)
    return _added(product, variant, quantity, state, "add_to_order")


def _delivery(u: Understanding) -> Reply:
    s = u.slots
    got = []
    if s.name:
        got.append(f"người nhận {s.name}")
    if s.phone:
        got.append(f"số điện thoại {s.phone.replace('+84', '0', 1)}")
    if s.street:
        got.append(f"địa chỉ {s.street}")
    if s.old_place and s.province_name and s.province_name not in s.old_place:
        got.append(f"nơi nhận {s.old_place} (nay thuộc {s.province_name})")
    elif s.province_name:
        got.append(f"nơi nhận {s.province_name}")
    if s.pickup:
        got.append("nhận tại điểm nhận hàng (bưu điện)")
    if s.payment:
        got.append(f"thanh toán: {PaymentMethod(s.payment).label}")
    head = "Mình đã ghi: " + ", ".join(got) + "." if got else "Bạn gửi giúp mình tên, số điện thoại và địa chỉ nhận."
    return Reply(head, u.intent)


def _order_status(u: Understanding, state: dict[str, Any], network: str) -> Reply:
    code = u.slots.order_code or state.get("order_code", "")
    phone = u.slots.phone or state.get("phone", "")
    if not code or not phone:
        need = " và ".join(x for x, have in (("mã đơn (TB…)", code), ("số điện thoại đặt hàng", phone)) if not have)
        return Reply(f"Bạn gửi giúp mình {need} để mình tra đơn nhé.", u.intent)
    try:
        found = find_order_code(code=code, phone=phone, network=network)
    except LookupLimited as limited:
        return Reply(limited.message, u.intent)
    due = order_due_for_buyer(code=found, phone=phone) if found else None
    if due is None:
        return Reply("Mình không tìm thấy đơn với mã và số điện thoại này. Bạn kiểm tra lại giúp mình nhé.", u.intent)
    parts = list(due.order.shop_orders.all())
    lines = [f"Đơn {due.order.code}:"] + [f"• {so.shop.name}: {Status(so.status).label}" for so in parts]
    slowest = min((so.status for so in parts), key=STATUS_ORDER.index) if parts else Status.PLACED
    lines.append(f"Tra cứu chi tiết: /tra-cuu/?ma={due.order.code}")
    return Reply("\n".join(lines), u.intent, order={"code": due.order.code, "status": str(slowest)})


def _with_next_step(reply: Reply, state: dict[str, Any], joined: str = "") -> Reply:
    """While a cart is open, a reply to delivery details goes on with the pickup points to choose from, what is
    missing, or the summary."""
    next_step, _ = ordering.summary(state, joined)
    if next_step:
        reply.text = f"{reply.text}\n{next_step}"
    return reply


def _only_a_place(u: Understanding, state: dict[str, Any], joined: str) -> bool:
    """With a cart open, a message that names where to deliver or collect ("xã Bắc Hà, Lào Cai", "nhận ở bưu
    điện") and no quantity is a delivery detail, whatever its place names look like to the classifier."""
    if not state.get("cart") or u.intent == "product_question" or u.slots.quantity is not None:
        return False
    return u.slots.pickup or bool(u.slots.province_code) or ordering.names_commune(joined)


def confirmed(state: dict[str, Any]) -> Reply:
    """The answer to "đồng ý": the order placed from the last summary, or the one already placed (a retry)."""
    if state.get("pending") and state.get("cart"):
        text, order = ordering.confirm(state)
        return Reply(text, "add_to_order", order=order)
    code = state["placed"]
    status = Order.objects.filter(code=code).values_list("shop_orders__status", flat=True).first() or "placed"
    return Reply(
        f"Đơn {code} đã đặt rồi. Tra cứu: /tra-cuu/?ma={code}", "add_to_order", order={"code": code, "status": status}
    )


def reply_to(u: Understanding, *, joined: str, state: dict[str, Any], network: str) -> Reply:
    """The answer to an understood message; `joined` is its folded words with chat spellings written out."""
    intent = u.intent
    if (picked := _picked(u, state, joined)) is not None:
        return picked
    if _only_a_place(u, state, joined):
        return _with_next_step(_delivery(u), state, joined)
    if intent == "greeting":
        return Reply(
            "Chào bạn! Mình là trợ lý của Tây Bắc Hub: hỏi giá, mùa vụ, OCOP của sản phẩm, tìm đặc sản, "
            "hay tra đơn (mã đơn + số điện thoại) đều được ạ.",
            intent,
        )
    if intent == "search":
        return _search(u, state)
    if intent == "product_question":
        return _product_question(u, state, joined)
    if intent == "add_to_order":
        return _add_to_order(u, state)
    if intent == "delivery_details":
        return _with_next_step(_delivery(u), state, joined)
    if intent == "payment" and state.get("cart") and u.slots.payment:
        return _with_next_step(Reply(f"Thanh toán: {PaymentMethod(u.slots.payment).label}.", intent), state)
    if intent == "payment":
        methods = " hoặc ".join(label for _, label in PaymentMethod.choices)
        return Reply(
            f"Hub nhận {methods}. Chuyển khoản: sau khi đặt, trang đơn hàng có mã VietQR đúng số tiền và nội dung "
            "là mã đơn. Bạn đã chuyển rồi thì gửi mã đơn + số điện thoại để mình tra.",
            intent,
        )
    if intent == "order_status":
        return _order_status(u, state, network)
    if intent == "complaint":
        return Reply(
            "Mình rất tiếc về chuyện này. Mình đã chuyển cuộc trò chuyện cho nhân viên hub, họ sẽ trả lời bạn sớm. "
            "Nếu có mã đơn, bạn gửi kèm mã đơn và số điện thoại nhé.",
            intent,
            handover=True,
        )
    if u.confidence < CONFIDENT:
        return Reply(
            "Mình chưa hiểu ý bạn. Mình đã báo nhân viên hub; bạn cũng có thể hỏi giá, mùa vụ hay tra đơn hàng.",
            intent,
            handover=True,
        )
    return Reply("Dạ vâng ạ. Bạn cần gì thêm cứ nhắn mình nhé.", intent)
