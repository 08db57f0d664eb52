"""Orders from a live session (docs/selling-events.md, "Livestream selling"): a buyer's order from the live page,
and "chốt đơn" comments read as draft orders that the producer confirms in one tap.

Both place a real order through orders.checkout with the live-only price (never above the variant's price) and
stock reserved in the same transaction; confirming a draft twice returns the same order (idempotency key
"live-draft-<id>")."""

from __future__ import annotations

from django.db import transaction

from taybac.accounts.models import User
from taybac.accounts.phone import normalize_phone
from taybac.accounts.selectors import require_can_manage
from taybac.campaigns.live_models import ChatMessage, DraftOrder, LiveProduct, LiveSession
from taybac.core import audit
from taybac.core.chat_orders import parse_order_comment
from taybac.core.errors import DomainError
from taybac.orders.checkout import MAX_QUANTITY, AddressInput, Contact, LineRequest, place
from taybac.orders.models import Order, PaymentMethod


class LiveOrderError(DomainError):
    """An order from a live session that cannot be placed; the message is for the buyer or the producer."""


def current_price(*, product: LiveProduct, session: LiveSession) -> int:
    """What a buyer pays now: the live price while the session is live and the product pinned."""
    if session.status == LiveSession.Status.LIVE and product.pinned and product.live_price:
        return min(product.live_price, product.variant.price)
    return product.variant.price


def _product(session: LiveSession, product_id: int) -> LiveProduct:
    product = LiveProduct.objects.select_related("variant").filter(session=session, pk=product_id).first()
    if product is None:
        raise LiveOrderError("Sản phẩm không có trong buổi phát.", field="product")
    return product


def order_from_page(
    *,
    buyer: User | None,
    session: LiveSession,
    product_id: int,
    quantity: int,
    name: str,
    phone: str,
    payment_method: str,
    pickup_point: str,
    session_key: str | None,
    idempotency_key: str | None,
) -> Order:
    """The live page's order form: one product at its current price (the replay keeps selling its products at
    their usual price), collected at a commune pickup point."""
    product = _product(session, product_id)
    if not (1 <= quantity <= MAX_QUANTITY):
        raise LiveOrderError(f"Số lượng từ 1 đến {MAX_QUANTITY}.", field="quantity")
    price = current_price(product=product, session=session)
    return place(
        buyer=buyer,
        lines=[LineRequest(variant_id=product.variant_id, quantity=quantity)],
        contact=Contact(name=name, phone=phone),
        payment_method=payment_method,
        pickup_point=pickup_point,
        session_key=session_key,
        idempotency_key=idempotency_key,
        unit_prices={product.variant_id: price},
    ).order


def drafts_from_comment(*, message: ChatMessage) -> list[DraftOrder]:
    """Draft orders when the comment reads as one ("chốt A2 x3 0912345678", core/chat_orders.py), one per
    product line, with the phone written in it (else the commenter's account phone). A line in a fraction
    ("nửa cân") is left to the producer, who sees the comment in the chat."""
    session = message.session
    products = {p.code.upper(): p for p in LiveProduct.objects.select_related("variant").filter(session=session)}
    parsed = parse_order_comment(message.text, list(products))
    if parsed is None:
        return []
    phone = parsed.phone or (message.author.phone if message.author and message.author.phone else "")
    try:
        phone = normalize_phone(phone)
    except DomainError:
        return []
    drafts = []
    for line in parsed.lines:
        product = products.get(line.code.upper())
        if product is None or line.quantity != int(line.quantity) or not (1 <= line.quantity <= MAX_QUANTITY):
            continue
        drafts.append(
            DraftOrder(
                session=session,
                message=message,
                product=product,
                quantity=int(line.quantity),
                unit_price=current_price(product=product, session=session),
                phone=phone,
                name=message.name,
            )
        )
    return DraftOrder.objects.bulk_create(drafts) if drafts else []


def confirm_draft(
    *, actor: User, draft: DraftOrder, payment_method: str = PaymentMethod.COD, pickup_point: str | None = None
) -> Order:
    """One tap: place the draft as a real order at the price the buyer saw, delivered to the commenter's saved
    default address when they have one, else collected at the chosen pickup point. Idempotent."""
    require_can_manage(actor, draft.session.shop.producer)
    if draft.status == DraftOrder.Status.REJECTED:
        raise LiveOrderError("Đơn nháp này đã bị bỏ qua.")
    author = draft.message.author
    address: AddressInput | None = None
    if author is not None:
        saved = author.saved_addresses.filter(is_default=True).select_related("commune").first()
        if saved is not None:
            address = AddressInput(
                province_code=saved.commune.province_id, commune_code=saved.commune_id, street=saved.street
            )
    if address is None and not pickup_point:
        raise LiveOrderError("Chọn điểm nhận hàng cho đơn này.", field="pickup_point")
    with transaction.atomic():
        draft = DraftOrder.objects.select_for_update().select_related("product").get(pk=draft.pk)
        if draft.order_id is not None:
            return draft.order  # type: ignore[return-value]
        order = place(
            buyer=author,
            lines=[LineRequest(variant_id=draft.product.variant_id, quantity=draft.quantity)],
            contact=Contact(name=draft.name, phone=draft.phone),
            payment_method=payment_method,
            delivery_address=address,
            pickup_point=None if address is not None else pickup_point,
            idempotency_key=f"live-draft-{draft.pk}",
            session_key=f"live-{draft.session_id}",
            unit_prices={draft.product.variant_id: draft.unit_price},
        ).order
        draft.order = order
        draft.status = DraftOrder.Status.CONFIRMED
        draft.save(update_fields=["order", "status"])
        audit.record(actor=actor, action="live.draft_confirmed", target=order, detail={"draft": draft.pk})
    return order


@transaction.atomic
def reject_draft(*, actor: User, draft: DraftOrder) -> DraftOrder:
    require_can_manage(actor, draft.session.shop.producer)
    DraftOrder.objects.filter(pk=draft.pk, status=DraftOrder.Status.DRAFT).update(status=DraftOrder.Status.REJECTED)
    draft.refresh_from_db()
    return draft
