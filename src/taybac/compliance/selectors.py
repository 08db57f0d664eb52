"""Reads for personal-data requests: everything the hub holds about one person, as plain JSON-able data
(the copy a person downloads, Law 91/2025/QH15 right of access), and the person's requests and consents.

Bounded: at most MAX_ROWS rows per section (the newest), so one export is a few MB at worst; a section cut short
says so (`"truncated": true`). Only rows that are this person's: their account, the orders they placed or that
carry their proven phone number, their reviews, addresses, consents, requests, their own audit entries and the
messages sent to their phone or e-mail; for a seller, their recorded identity (the number masked, never decrypted),
their shop's ledger and the tax withheld for them. Rows of other domains are read through those domains' selectors.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from taybac.accounts.identity import identity_view
from taybac.accounts.models import Delegation, Producer, SavedAddress, User
from taybac.compliance.models import ConsentRecord, DataRequest
from taybac.core.models import AuditEntry, OutboxMessage
from taybac.orders.models import Order, ReturnRequest, ShopOrder
from taybac.payments.selectors import ledger_of_owner, withholdings_of_owner
from taybac.reviews.models import Review

MAX_ROWS = 1000


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def _section(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"rows": rows[:MAX_ROWS], "truncated": len(rows) > MAX_ROWS}


def _first(queryset: QuerySet) -> list:
    return list(queryset[: MAX_ROWS + 1])


def orders_of(user: User) -> QuerySet[Order]:
    """The person's orders: placed signed in, or as a guest with the phone their sign-in proved."""
    mine = Q(buyer=user) | Q(contact_phone=user.phone) if user.phone else Q(buyer=user)
    return Order.objects.filter(mine).order_by("-created_at", "-id")


def _orders(user: User) -> dict[str, Any]:
    orders = _first(
        orders_of(user)
        .select_related("delivery_address__commune", "delivery_address__province", "pickup_point")
        .prefetch_related("shop_orders__shop", "shop_orders__lines")
    )
    rows = []
    for order in orders:
        shop_orders: list[ShopOrder] = list(order.shop_orders.all())
        rows.append(
            {
                "code": order.code,
                "created_at": _when(order.created_at),
                "contact_name": order.contact_name,
                "contact_phone": order.contact_phone,
                "contact_email": order.contact_email,
                "delivery_address": str(order.delivery_address) if order.delivery_address else None,
                "pickup_point": order.pickup_point.name if order.pickup_point else None,
                "payment_method": order.payment_method,
                "shop_orders": [
                    {
                        "code": so.code,
                        "shop": so.shop.name,
                        "status": so.status,
                        "total": so.total,
                        "lines": [
                            {"product": line.product_name, "variant": line.variant_name, "quantity": line.quantity}
                            for line in so.lines.all()
                        ],
                    }
                    for so in shop_orders
                ],
            }
        )
    return _section(rows)


def _seller_identity(producer: Producer | None) -> dict[str, Any] | None:
    """The identity recorded for payouts and the tax authority, with the number masked as on every page."""
    view = identity_view(producer) if producer is not None else None
    if view is None:
        return None
    return {
        "legal_name": view.legal_name,
        "id_kind": view.id_kind,
        "number": view.masked_number,
        "street": view.street,
        "commune": view.commune_name,
        "province": view.province_name,
    }


def export_data(user: User) -> dict[str, Any]:
    """Everything held about the user, by section (docs/compliance.md, "Personal data")."""
    producer = Producer.objects.filter(owner=user).select_related("province", "commune", "shop").first()
    contacts = [c for c in (user.phone, user.email) if c]
    return {
        "account": {
            "phone": user.phone,
            "full_name": user.full_name,
            "email": user.email,
            "role": user.role,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "producer": None
        if producer is None
        else {
            "name": producer.name,
            "kind": producer.kind,
            "province": producer.province.name,
            "commune": producer.commune.name,
            "shop": getattr(getattr(producer, "shop", None), "name", None),
        },
        "seller_identity": _seller_identity(producer),
        "ledger": _section(
            [
                {"kind": e.kind, "amount": e.amount, "at": _when(e.created_at), "note": e.note}
                for e in ledger_of_owner(owner=user, limit=MAX_ROWS + 1)
            ]
        ),
        "tax_withheld": _section(
            [
                {"period": w.period, "kind": w.kind, "revenue": w.revenue, "vat": w.vat, "pit": w.pit}
                for w in withholdings_of_owner(owner=user, limit=MAX_ROWS + 1)
            ]
        ),
        "saved_addresses": _section(
            [
                {"label": a.label, "name": a.name, "phone": a.phone, "address": f"{a.street}, {a.commune.name}"}
                for a in _first(SavedAddress.objects.filter(user=user).select_related("commune"))
            ]
        ),
        "orders": _orders(user),
        "returns": _section(
            [
                {"shop_order": r.shop_order.code, "reason": r.reason, "state": r.state, "at": _when(r.requested_at)}
                for r in _first(ReturnRequest.objects.filter(requested_by=user).select_related("shop_order"))
            ]
        ),
        "reviews": _section(
            [
                {"product": r.product.name, "stars": r.stars, "text": r.text, "at": _when(r.created_at)}
                for r in _first(Review.objects.filter(author=user).select_related("product"))
            ]
        ),
        "delegations": _section(
            [
                {"producer": d.producer.name, "delegate": str(d.delegate), "granted_at": _when(d.granted_at)}
                for d in _first(
                    Delegation.objects.filter(Q(delegate=user) | Q(producer__owner=user)).select_related(
                        "producer", "delegate"
                    )
                )
            ]
        ),
        "consents": _section(
            [
                {"purpose": c.purpose, "granted": c.granted, "wording": c.wording_version, "at": _when(c.created_at)}
                for c in _first(ConsentRecord.objects.filter(user=user))
            ]
        ),
        "data_requests": _section(
            [
                {"kind": r.kind, "status": r.status, "at": _when(r.created_at)}
                for r in _first(DataRequest.objects.filter(user=user))
            ]
        ),
        "activity": _section(
            [
                {"action": a.action, "target": f"{a.target_type}#{a.target_id}", "at": _when(a.created_at)}
                for a in _first(AuditEntry.objects.filter(actor=user))
            ]
        ),
        "messages": _section(
            [
                {"channel": m.channel, "to": m.recipient, "body": m.body, "status": m.status, "at": _when(m.created_at)}
                for m in _first(OutboxMessage.objects.filter(recipient__in=contacts, sensitive=False))
            ]
        ),
    }


def data_requests_of(user: User) -> list[DataRequest]:
    return list(DataRequest.objects.filter(user=user)[:20])
