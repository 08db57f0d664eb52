"""Order writes after checkout that run on a schedule or for the buyer: cancellation, expiry of unpaid holds, and
the de-identification of orders past their accounting period (the period is decided in taybac.compliance)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import User
from taybac.orders.lifecycle import TransitionError, advance
from taybac.orders.models import Order, ShopOrder, Status
from taybac.regions.services import wipe_streets

DEIDENTIFIED = "(đã khử nhận dạng)"  # an erased order's contact name and delivery street


def cancel_shop_order(*, shop_order: ShopOrder, actor: User | None, reason: str = "") -> ShopOrder:
    """Cancel before packing; the reserved stock returns at once."""
    return advance(shop_order=shop_order, to=Status.CANCELLED, actor=actor, note=reason)


def expire_reservations(*, now: datetime | None = None) -> int:
    """Cancel unpaid transfer orders whose hold has run out; returns how many were cancelled."""
    now = now or timezone.now()
    due = ShopOrder.objects.filter(status=Status.AWAITING_PAYMENT, reserved_until__lt=now)
    expired = 0
    for shop_order in due.only("pk"):
        with transaction.atomic():
            current = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
            if (
                current.status != Status.AWAITING_PAYMENT
                or current.reserved_until is None
                or current.reserved_until >= now
            ):
                continue  # paid or changed meanwhile
            try:
                advance(shop_order=current, to=Status.CANCELLED, actor=None, note="reservation expired")
            except TransitionError:
                continue
            expired += 1
    return expired


@transaction.atomic
def deidentify_orders_before(*, cutoff: datetime, limit: int) -> int:
    """At most `limit` orders made before `cutoff` lose who they were for: contact, buyer, delivery street and
    idempotency key; amounts, dates and products stay for statistics. Idempotent; how many orders."""
    ids = list(
        Order.objects.filter(created_at__lt=cutoff)
        .exclude(contact_name=DEIDENTIFIED)
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    address_ids = Order.objects.filter(pk__in=ids, delivery_address__isnull=False).values_list(
        "delivery_address", flat=True
    )
    wipe_streets(address_ids=list(address_ids), street=DEIDENTIFIED)
    return Order.objects.filter(pk__in=ids).update(
        contact_name=DEIDENTIFIED,
        contact_phone="",
        contact_email="",
        buyer=None,
        idempotency_scope="",
        idempotency_key=None,
        request_hash="",
    )
