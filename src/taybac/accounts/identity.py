"""Sellers' identity, read side: masked for pages, what is missing before a payout, and the clear number only for
the tax files. Writes are in accounts/identity_services.py.

Decree 85/2021/NĐ-CP (amending Decree 52/2013/NĐ-CP, art. 36 and 37) makes the platform collect each seller's name,
identity number and address and show the seller's name and address on their page; Decree 117/2025/NĐ-CP makes it
report sellers' information to the tax authority (as Decree 91/2022/NĐ-CP did before it). The hub pays nobody out
before it is recorded (payments/payouts).
"""

from __future__ import annotations

from dataclasses import dataclass

from taybac.accounts import identity_crypto
from taybac.accounts.identity_numbers import masked
from taybac.accounts.models import Producer, SellerIdentity

__all__ = ["IdentityView", "identity_view", "masked", "missing_for_payout", "tax_ids_for_producers"]

MISSING_ALL = ("họ tên theo giấy tờ", "số CCCD hoặc mã số thuế", "địa chỉ")


@dataclass(frozen=True)
class IdentityView:
    """What pages show: never the number, only its masked form."""

    legal_name: str
    id_kind: str
    id_kind_label: str
    masked_number: str
    street: str
    commune_name: str
    province_name: str
    synthetic: bool


def identity_view(producer: Producer) -> IdentityView | None:
    """The producer's identity for display (masked), or None when not recorded."""
    if Producer.identity.is_cached(producer):  # read with the shop (catalog.selectors.shop_by_slug): no query
        row = getattr(producer, "identity", None)
    else:
        row = SellerIdentity.objects.filter(producer=producer).select_related("commune__province").first()
    if row is None:
        return None
    return IdentityView(
        legal_name=row.legal_name,
        id_kind=row.id_kind,
        id_kind_label=SellerIdentity.IdKind(row.id_kind).label,
        masked_number=masked(row.number_last4),
        street=row.street,
        commune_name=row.commune.name,
        province_name=row.commune.province.name,
        synthetic=row.synthetic,
    )


def missing_for_payout(*, producer_id: int) -> tuple[str, ...]:
    """What the seller still has to record before the hub may pay them out (empty: nothing).

    Every field of SellerIdentity is required, so a row means legal name, number and address are all there."""
    return () if SellerIdentity.objects.filter(producer_id=producer_id).exists() else MISSING_ALL


def tax_ids_for_producers(producer_ids: list[int] | set[int] | tuple[int, ...]) -> dict[int, str]:
    """Clear identity numbers by producer id, for the tax declaration and the seller report only (the law needs
    the number there). Producers without an identity are absent from the result."""
    rows = SellerIdentity.objects.filter(producer_id__in=list(producer_ids)).values_list(
        "producer_id", "number_encrypted"
    )
    return {pid: identity_crypto.decrypt(blob, producer_id=pid) for pid, blob in rows}
