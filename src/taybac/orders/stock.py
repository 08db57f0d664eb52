"""Stock reservation: one guarded UPDATE per variant, so two buyers can never take the same last jar.

`allocated = allocated + q WHERE quantity - allocated >= q` is atomic on SQLite (writers serialised by
IMMEDIATE transactions) and on PostgreSQL (row lock taken by the UPDATE); zero rows updated means out of
stock. Variants are reserved in id order so concurrent checkouts cannot deadlock.
"""
from __future__ import annotations

from django.db.models import F

from taybac.catalog.models import Variant
from taybac.core.errors import DomainError


class OutOfStock(DomainError):
    code = "out_of_stock"


def reserve(wanted: dict[int, int], names: dict[int, str]) -> None:
    """Reserve quantities per variant id; raise OutOfStock naming the first variant that cannot be served.

    Must run inside the checkout's transaction: a failure rolls back the reservations made before it.
    """
    for variant_id in sorted(wanted):
        quantity = wanted[variant_id]
        updated = (Variant.objects.filter(pk=variant_id, is_active=True,
                                          quantity__gte=F("allocated") + quantity)
                   .update(allocated=F("allocated") + quantity))
        if updated == 0:
            raise OutOfStock(f"“{names[variant_id]}” không còn đủ {quantity} đơn vị.", field="lines")


def release(wanted: dict[int, int]) -> None:
    """Give reserved units back (cancellation, expiry); never below zero thanks to the check constraint."""
    for variant_id in sorted(wanted):
        Variant.objects.filter(pk=variant_id).update(allocated=F("allocated") - wanted[variant_id])
