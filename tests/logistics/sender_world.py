"""Shops for the sender's-address tests: one in xã Đồng Văn, which took in wards of two old districts (huyện Đồng
Văn 026 and huyện Mèo Vạc 027), and one in xã Y Tý (all of it from huyện Bát Xát)."""

from __future__ import annotations

from taybac.catalog.models import Shop
from taybac.logistics import legacy_address
from taybac.logistics.models import SenderAddress
from taybac.regions.models import Commune
from tests.factories import make_shop

DONG_VAN, Y_TY = 721, 2701


def shop_in(commune_code: int, name: str = "HTX Chè Đồng Văn") -> Shop:
    shop = make_shop(name=name)
    commune = Commune.objects.get(pk=commune_code)
    Shop.objects.filter(pk=shop.pk).update(commune=commune, province_id=commune.province_id)
    shop.refresh_from_db()
    return shop


def settle_sender(shop: Shop) -> Shop:
    """The seller has answered which old district their address was in (the first one offered), as a seller who
    sends through GHN, GHTK or Vietnam Post has; nothing to answer for a commune of one old district."""
    districts = legacy_address.legacy_districts_for(shop.commune_id)
    if len(districts) > 1:
        SenderAddress.objects.update_or_create(shop=shop, defaults={"legacy_district_code": districts[0].district_code})
    return shop
