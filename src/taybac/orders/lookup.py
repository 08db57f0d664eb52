"""The order look-up by code and phone (/tra-cuu/), with a bound on wrong guesses per client network.

An order code is 8 random characters, so guessing a code + phone pair is already hopeless; the bound keeps
a script from using the form as an oracle for "which phone placed this order" when it holds a code (a parcel
label, a screenshot). Only wrong pairs count: a buyer who types their own order right is never refused.
Counts are database rows, so every server process shares them (as the sign-in limits do, accounts/otp.py).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from taybac.accounts.phone import PhoneError, normalize_phone
from taybac.core.errors import DomainError
from taybac.orders.models import LookupFailure, Order

FAILURES_PER_NETWORK = 20  # wrong code + phone pairs per client network (IPv4 address or IPv6 /64) …
WINDOW = timedelta(minutes=10)  # … in any 10-minute window
KEEP = timedelta(days=1)


class LookupLimited(DomainError):
    """Too many wrong pairs from this network; `retry_after` is in seconds."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def find_order_code(*, code: str, phone: str, network: str) -> str | None:
    """The order's code if `code` and `phone` (any usual format) belong to one order, else None (and the miss is
    counted). Raises LookupLimited, before looking, once the network used up its wrong pairs."""
    now = timezone.now()
    recent = LookupFailure.objects.filter(network=network[:64], created_at__gt=now - WINDOW)
    if recent.count() >= FAILURES_PER_NETWORK:
        oldest = recent.order_by("-created_at").values_list("created_at", flat=True)[FAILURES_PER_NETWORK - 1]
        wait = max(1, math.ceil((oldest + WINDOW - now).total_seconds()))
        raise LookupLimited(
            f"Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau {math.ceil(wait / 60)} phút.", retry_after=wait
        )
    code = "".join(ch for ch in code.upper() if ch.isalnum())[:20]
    try:
        normalized = normalize_phone(phone)
    except PhoneError:
        normalized = ""
    found = (
        Order.objects.filter(code=code, contact_phone=normalized).values_list("code", flat=True).first()
        if code and normalized
        else None
    )
    if found is None:
        with transaction.atomic():
            LookupFailure.objects.filter(created_at__lt=now - KEEP).delete()
            LookupFailure.objects.create(network=network[:64], created_at=now)
    return found


def prune_lookup_failures(*, before: datetime) -> int:
    """Delete the counted wrong look-ups made before `before` (retention; each look-up also prunes past KEEP)."""
    deleted, _ = LookupFailure.objects.filter(created_at__lt=before).delete()
    return deleted
