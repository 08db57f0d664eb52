"""Carrier addresses from the hub's records: the 2025 province + commune, plus the pre-2025 units the carriers
still route by (logistics/legacy_address.py), the sender's remembered district choice and each carrier's own codes.

Checkout (quotes), the seller centre and the post office (booking) build every `carriers.base.Address` here, so a
parcel is quoted and booked with the same old district and ward.
"""

from __future__ import annotations

import dataclasses

from taybac.catalog.models import Shop
from taybac.core.errors import DomainError
from taybac.logistics import areas, legacy_address
from taybac.logistics.carriers.base import Address
from taybac.logistics.carriers.hub import HubNetwork
from taybac.logistics.legacy_address import LegacyUnit
from taybac.logistics.models import SenderAddress
from taybac.regions.models import Commune


def _legacy_unit(commune_code: int, district_code: str = "") -> LegacyUnit | None:
    """The old ward a parcel to `commune_code` is addressed to: in the chosen old district when there is one,
    a ward that went whole into the commune before a split one. None for a commune the data does not know."""
    try:
        units = legacy_address.legacy_units_for(commune_code)
    except DomainError:  # an unknown commune has no old units; the carrier then refuses clearly
        return None
    if district_code:
        units = [u for u in units if u.district_code == district_code] or units
    units = sorted(units, key=lambda u: (not u.whole, u.district_code, u.ward_code or ""))
    return units[0] if units else None


def address(
    *, commune: Commune, street: str = "", name: str = "", phone: str = "", legacy_district_code: str = ""
) -> Address:
    """A carrier address for a commune (with its province loaded), with GSO old-unit codes and names."""
    unit = _legacy_unit(commune.pk, legacy_district_code)
    return Address(
        province_code=commune.province_id,
        commune_code=commune.pk,
        name=name,
        phone=phone,
        street=street,
        legacy_province_code=unit.province_code if unit else "",
        legacy_district_code=unit.district_code if unit else "",
        legacy_ward_code=(unit.ward_code or "") if unit else "",
        province_name=unit.province_name if unit else commune.province.name,
        district_name=unit.district_name if unit else "",
        ward_name=(unit.ward_name or "") if unit else commune.name,
    )


def origin_for(*, shop: Shop, phone: str = "") -> Address:
    """Where a shop's parcels leave from: its commune, and the street and old district it told us once."""
    sender = SenderAddress.objects.filter(shop=shop).first()
    chosen = sender.legacy_district_code if sender else ""
    origin = address(
        commune=shop.commune,
        street=sender.street if sender else "",
        name=shop.name,
        phone=phone,
        legacy_district_code=chosen,
    )
    if not chosen and origin.legacy_district_code and legacy_address.is_ambiguous(shop.commune_id):
        return dataclasses.replace(origin, legacy_unsettled=True)
    return origin


def for_carrier(address: Address, carrier_code: str) -> Address:
    """The address as `carrier_code` routes it: GHN's DistrictID/WardCode or VNPost's province/district/commune
    codes in the `legacy_*` fields (from `CarrierAreaCode`); unchanged for carriers that use GSO names (GHTK) or
    none (the hub). A clear refusal when the carrier's codes for that old ward were never synced, or when the
    sender's old district is still a guess (the seller answers once at /ban-hang/dia-chi-gui-hang/)."""
    if carrier_code == HubNetwork.code:
        return address
    if address.legacy_unsettled:
        raise DomainError(
            "Xã/phường của người gửi trước năm 2025 thuộc nhiều quận/huyện: người bán cần chọn huyện cũ ở trang "
            "“Địa chỉ gửi hàng” trước khi gửi qua hãng vận chuyển.",
            code="sender_district_unknown",
        )
    if carrier_code not in areas.CARRIERS:
        return address
    row = areas.carrier_codes(carrier_code, address.legacy_district_code, address.legacy_ward_code)
    if row is None or not address.legacy_district_code:
        place = ", ".join(n for n in (address.ward_name, address.district_name, address.province_name) if n)
        raise DomainError(
            f"Chưa có mã địa bàn của {areas.CARRIERS[carrier_code]} cho {place or 'địa chỉ này'}; "
            "nhà vận hành cần chạy `taybac logistics sync-areas`.",
            code="carrier_area_unmapped",
        )
    return dataclasses.replace(
        address,
        legacy_province_code=row.carrier_province,
        legacy_district_code=row.carrier_district,
        legacy_ward_code=row.carrier_ward,
    )
