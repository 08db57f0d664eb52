"""Shipping fees per shop order: a zone/weight table behind a small policy interface.

The logistics work replaces ZoneWeightRates with carrier rates; checkout only knows `ShippingPolicy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from taybac.regions.models import Province


class ShippingPolicy(Protocol):
    def fee(self, *, from_province: int, to_province: int, to_in_region: bool, weight_grams: int) -> int: ...


@dataclass(frozen=True)
class ZoneWeightRates:
    """First kilogram by zone, then a price per started extra kilogram (integer đồng)."""

    same_province: tuple[int, int] = (18_000, 4_000)
    same_region: tuple[int, int] = (25_000, 6_000)
    nationwide: tuple[int, int] = (35_000, 9_000)

    def fee(self, *, from_province: int, to_province: int, to_in_region: bool, weight_grams: int) -> int:
        if from_province == to_province:
            first, extra = self.same_province
        elif to_in_region:
            first, extra = self.same_region
        else:
            first, extra = self.nationwide
        extra_kg = max(0, -(-(weight_grams - 1000) // 1000))
        return first + extra * extra_kg


def default_policy() -> ShippingPolicy:
    return ZoneWeightRates()


def shop_fee(*, policy: ShippingPolicy, from_province: int, to: Province, weight_grams: int) -> int:
    """One shop order's delivery fee to `to` (the address's or the pickup point's province).

    The cart's quote (orders/quote.py) and checkout (orders/checkout.py) both price through here, so the fee a
    buyer is shown before placing an order is the fee the order charges.
    """
    return policy.fee(
        from_province=from_province, to_province=to.pk, to_in_region=to.in_region, weight_grams=weight_grams
    )
