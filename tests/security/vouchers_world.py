"""Producer A's voucher and a hub voucher for the matrix rows of the voucher pages (docs/selling-events.md,
"Vouchers"): made in a row's `before` through the real services, read by the row's URL."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from taybac.orders.models import Voucher
from taybac.orders.vouchers import create_voucher
from tests.security.conftest import World

_made: dict[int, Voucher] = {}


def _voucher(w: World, *, hub: bool) -> None:
    now = timezone.now()
    actor = w.users["operator"] if hub else w.shop.producer.owner
    assert actor is not None
    _made[id(w)] = create_voucher(
        actor=actor, shop=None if hub else w.shop, code="HUBX" if hub else "SHOPA", kind="fixed", value=10_000,
        starts_at=now, ends_at=now + datetime.timedelta(days=3), total_limit=10,
    )  # fmt: skip


def shop_voucher(client: Any, w: World) -> None:
    _voucher(w, hub=False)


def hub_voucher(client: Any, w: World) -> None:
    _voucher(w, hub=True)


def stop_url(prefix: str):
    return lambda w: f"/{prefix}/ma-giam-gia/{_made[id(w)].pk}/ngung/"


def form(w: World) -> dict[str, Any]:
    today = datetime.date.today()
    return {
        "code": "MOI10", "kind": "fixed", "value": "10000", "min_subtotal": "0", "starts": today.isoformat(),
        "ends": (today + datetime.timedelta(days=5)).isoformat(), "total_limit": "50", "per_buyer_limit": "1",
    }  # fmt: skip
