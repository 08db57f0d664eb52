"""Stock reservation: one guarded UPDATE per variant, so two buyers can never take the same last jar.

`allocated = allocated + q WHERE quantity - allocated >= q` is atomic on SQLite (writers serialised by
IMMEDIATE transactions) and on PostgreSQL (row lock taken by the UPDATE); zero rows updated means out of
stock. Variants are reserved in id order so concurrent checkouts cannot deadlock.

Pre-orders: when a product takes pre-orders for an upcoming harvest and its stock cannot serve a line, the
line draws on the harvest quota instead, with the same guarded update on `harvest_allocated`. A line comes
wholly from one pool, which the order line records, so cancelling gives the units back to the right one.
"""

from __future__ import annotations

from django.db.models import F

from taybac.catalog.models import Variant
from taybac.core.errors import DomainError


class OutOfStock(DomainError):
    code = "out_of_stock"


def _take(variant_id: int, quantity: int, *, preorder: bool) -> bool:
    """One guarded UPDATE under the catalogue's on-sale rule (single-table: see catalog.models.VariantQuerySet)."""
    offered = Variant.objects.filter(pk=variant_id).offered()
    if preorder:
        return bool(offered.preorderable(quantity).update(harvest_allocated=F("harvest_allocated") + quantity))
    return bool(offered.in_stock(quantity).update(allocated=F("allocated") + quantity))


def reserve(wanted: dict[int, int], names: dict[int, str]) -> set[int]:
    """Reserve quantities per variant id, from stock or else from the harvest quota; return the variant ids
    served as pre-orders. Raises OutOfStock naming the first variant neither pool can serve.

    Must run inside the checkout's transaction: a failure rolls back the reservations made before it.
    """
    preordered: set[int] = set()
    for variant_id in sorted(wanted):
        quantity = wanted[variant_id]
        if _take(variant_id, quantity, preorder=False):
            continue
        if _take(variant_id, quantity, preorder=True):
            preordered.add(variant_id)
            continue
        raise OutOfStock(f"“{names[variant_id]}” không còn đủ {quantity} đơn vị.", field="lines")
    return preordered


def release(lines: list[tuple[int, int, bool]]) -> None:
    """Give reserved units back to the pool each line came from: (variant id, quantity, pre-order)."""
    for variant_id, quantity, preorder in sorted(lines):
        if preorder:
            Variant.objects.filter(pk=variant_id).update(harvest_allocated=F("harvest_allocated") - quantity)
        else:
            Variant.objects.filter(pk=variant_id).update(allocated=F("allocated") - quantity)


def ship(lines: list[tuple[int, int, bool]]) -> None:
    """The parcel left: stock lines leave the shelf (quantity and reservation drop); pre-order lines were
    filled from the harvest (the quota and its reservation drop)."""
    for variant_id, quantity, preorder in sorted(lines):
        if preorder:
            Variant.objects.filter(pk=variant_id).update(
                harvest_quota=F("harvest_quota") - quantity, harvest_allocated=F("harvest_allocated") - quantity
            )
        else:
            Variant.objects.filter(pk=variant_id).update(
                quantity=F("quantity") - quantity, allocated=F("allocated") - quantity
            )
