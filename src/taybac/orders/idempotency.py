"""Idempotency keys for checkout, scoped to the caller and stored with a hash of the request.

A key only means something to whoever sent it. The scope is the signed-in account (`user:<id>`); otherwise,
on the web pages, the browser's session (`session:<SHA-256 of the session key>`, never the key itself); otherwise
(an API client without an account, the CLI, the demo) the buyer's phone number (`phone:+84…`), the identity a
guest order is tracked by. (scope, key) is unique, so another caller's key is simply a new key: it never finds,
returns or reveals their order. Each order stores the SHA-256 of its canonical request — what the domain
understood, not the raw bytes — so the same key with another request is refused instead of answered with the
old order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from taybac.core.errors import DomainError
from taybac.orders.models import Order

SCOPE_MAX_LENGTH = 80  # "session:" + 64 hex digits


class IdempotencyKeyReused(DomainError):
    """The caller sent a key they already used, with a different request (a client bug, never a retry)."""

    code = "idempotency_key_reused"


def scope_for(*, user: Any, session_key: str | None = None, phone: str | None = None) -> str | None:
    """Whose keys these are: the account, else the session, else the buyer's phone (E.164); None if unknown."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    if session_key:
        return "session:" + hashlib.sha256(session_key.encode()).hexdigest()
    return f"phone:{phone}" if phone else None


def request_hash(
    *,
    lines: Mapping[int, int],
    name: str,
    phone: str,
    email: str,
    payment_method: str,
    delivery: tuple[int, int, str] | None,
    pickup_point: str | None,
    shipping_choices: Mapping[int, str] | None = None,
    voucher: str | None = None,
) -> str:
    """SHA-256 of the canonical checkout request: lines summed per variant and sorted, text trimmed, the phone
    in E.164, the address as (province code, commune code, street) or the pickup point's code, the shipping
    option chosen per shop. Two requests that would place the same order hash the same, whatever their JSON
    spacing, key order or phone format."""
    canonical = {
        "v": 1,
        "lines": sorted([int(v), int(q)] for v, q in lines.items()),
        "name": (name or "").strip(),
        "phone": phone,
        "email": (email or "").strip(),
        "payment_method": payment_method,
        "delivery": [int(delivery[0]), int(delivery[1]), (delivery[2] or "").strip()] if delivery else None,
        "pickup_point": pickup_point,
    }
    if shipping_choices:  # added with shipping options; absent, hashes stay what they were before
        canonical["shipping"] = sorted([int(shop), option] for shop, option in shipping_choices.items())
    if voucher:  # added with vouchers, likewise
        canonical["voucher"] = voucher
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def recorded(*, scope: str | None, key: str | None) -> Order | None:
    """The order this caller placed with this key (None without a scope or key); never another caller's."""
    if not scope or not key:
        return None
    return Order.objects.filter(idempotency_scope=scope, idempotency_key=key).first()


def ensure_same_request(order: Order, fingerprint: str) -> None:
    """A key found again must come with the request it was first sent with; another request is refused."""
    if order.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            "Mã Idempotency-Key này đã dùng cho một đơn khác; hãy dùng mã mới cho đơn mới.", field="idempotency_key"
        )
