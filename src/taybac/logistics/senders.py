"""The shop's dispatch address as carriers need it, asked once and remembered (docs/logistics.md, "The sender's
address"): a street line, the pre-2025 district when the shop's 2025 commune spans several (carriers still route
by old districts), and an optional GPS pin for pickup runs.

The seller centre page calls `save_sender_address`; booking and checkout read it through addressing.origin_for.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.catalog.models import Shop
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.logistics import legacy_address
from taybac.logistics.legacy_address import LegacyDistrict
from taybac.logistics.models import SenderAddress

MAX_STREET = 200
# Vietnam's bounding box, islands included (Hoàng Sa, Trường Sa, Phú Quốc, Côn Đảo): a pin outside is a typo
LAT_RANGE = (Decimal("8.0"), Decimal("23.5"))
LON_RANGE = (Decimal("102.0"), Decimal("117.5"))
PLACES = Decimal("0.000001")


def sender_address_of(*, shop: Shop) -> SenderAddress | None:
    return SenderAddress.objects.filter(shop=shop).first()


def district_choices(*, shop: Shop) -> list[LegacyDistrict]:
    """The old districts a sender in this shop's commune may choose from (one when there is nothing to ask)."""
    try:
        return legacy_address.legacy_districts_for(shop.commune_id)
    except DomainError:
        return []


def needs_district_choice(*, shop: Shop) -> bool:
    """True when a carrier booking needs the sender's old district and nobody has told us yet."""
    if len(district_choices(shop=shop)) < 2:
        return False
    sender = sender_address_of(shop=shop)
    return sender is None or not sender.legacy_district_code


def _street(value: str) -> str:
    street = " ".join(value.split())
    if len(street) > MAX_STREET:
        raise DomainError(f"Địa chỉ tối đa {MAX_STREET} ký tự.", field="street", code="street_too_long")
    if any(ord(c) < 32 for c in street):
        raise DomainError("Địa chỉ có ký tự không hợp lệ.", field="street", code="invalid_street")
    return street


def _pin(latitude: Decimal | None, longitude: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    if latitude is None and longitude is None:
        return None, None
    if latitude is None or longitude is None:
        raise DomainError("Cần cả vĩ độ và kinh độ, hoặc để trống cả hai.", field="latitude", code="pin_incomplete")
    try:
        lat, lon = Decimal(latitude).quantize(PLACES, ROUND_HALF_UP), Decimal(longitude).quantize(PLACES, ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError("Vĩ độ, kinh độ phải là số.", field="latitude", code="pin_not_number") from None
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        raise DomainError(
            "Vị trí này nằm ngoài Việt Nam: vĩ độ phải từ 8 đến 23,5 và kinh độ từ 102 đến 117,5.",
            field="latitude",
            code="pin_outside_vietnam",
        )
    return lat, lon


def save_sender_address(
    *,
    actor: User,
    shop: Shop,
    street: str,
    legacy_district_code: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
) -> SenderAddress:
    """Remember where the shop's parcels leave from. Only its owner or a helper it delegated to may do it; the old
    district is required (and checked) only where the commune spans several, and ignored elsewhere."""
    require_can_manage(actor, shop.producer)
    street = _street(street)
    district = ""
    if len(district_choices(shop=shop)) > 1:
        if not legacy_district_code:
            raise DomainError(
                "Hãy chọn huyện cũ (trước năm 2025) của địa chỉ này.",
                field="legacy_district_code",
                code="legacy_district_required",
            )
        try:
            district = legacy_address.check_district_choice(shop.commune_id, legacy_district_code).district_code
        except DomainError as error:
            raise DomainError(error.message, field="legacy_district_code", code=error.code) from None
    lat, lon = _pin(latitude, longitude)
    with transaction.atomic():
        sender, created = SenderAddress.objects.select_for_update().update_or_create(
            shop=shop,
            defaults={
                "street": street,
                "legacy_district_code": district,
                "latitude": lat,
                "longitude": lon,
                "updated_by": actor,
            },
        )
        audit.record(
            actor=actor,
            on_behalf_of=shop.producer.owner,
            action="sender_address.created" if created else "sender_address.updated",
            target=sender,
            detail={"legacy_district_code": district, "pin": lat is not None},
        )
    return sender
