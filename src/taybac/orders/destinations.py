"""Where a cart goes, as the quote and checkout both need it: a typed delivery address or an active pickup point,
resolved to the commune the carriers price to (a post office's own commune and street for collection)."""

from __future__ import annotations

from dataclasses import dataclass

from taybac.core.errors import DomainError
from taybac.orders.shipping import Destination
from taybac.regions.models import Address, Commune, PickupPoint


@dataclass(frozen=True)
class AddressInput:
    """A delivery address as typed; it is stored inside the order's transaction, so a refused or replayed
    checkout leaves no stray address behind."""

    province_code: int
    commune_code: int
    street: str


class UnknownPickupPoint(DomainError):
    """No active pickup point has this code (the API answers 404)."""

    code = "not_found"


PICKUP_CODE_MAX = 32  # regions.PickupPoint.code's max_length


def active_pickup_point(*, code: str) -> PickupPoint:
    """The active pickup point with this code, with its address's commune and province (priced to them).

    A code no pickup point can have (too long, control characters: PostgreSQL refuses a NUL in a query) is
    refused before the query, without echoing it."""
    if not 1 <= len(code) <= PICKUP_CODE_MAX or not code.isprintable():
        raise UnknownPickupPoint("Mã điểm nhận hàng không hợp lệ. Vui lòng chọn điểm khác.", field="pickup_point")
    point = (
        PickupPoint.objects.select_related("address__province", "address__commune__province")
        .filter(code=code, is_active=True)
        .first()
    )
    if point is None:
        raise UnknownPickupPoint(
            f"Không có điểm nhận hàng mã “{code}” đang hoạt động. Vui lòng chọn điểm khác.", field="pickup_point"
        )
    return point


def destination_commune(*, province_code: int, commune_code: int) -> Commune:
    """The delivery commune, with its province, checked to lie in the chosen province."""
    commune = Commune.objects.select_related("province").filter(pk=commune_code).first()
    if commune is None:
        raise DomainError("Không tìm thấy xã/phường.", field="commune_code")
    if commune.province_id != province_code:
        raise DomainError("Xã/phường không thuộc tỉnh đã chọn.", field="commune_code")
    return commune


def destination_for(
    *, delivery_address: Address | AddressInput | None, pickup_point: PickupPoint | None
) -> Destination:
    """Where the carriers price to: the address's commune, or the pickup point's (with its street)."""
    if pickup_point is not None:
        return Destination(commune=pickup_point.address.commune, street=pickup_point.address.street)
    if isinstance(delivery_address, AddressInput):
        if not (delivery_address.street or "").strip():  # create_address refuses it too; say it before pricing
            raise DomainError("Vui lòng nhập số nhà, thôn/bản.", field="delivery")
        commune = destination_commune(
            province_code=delivery_address.province_code, commune_code=delivery_address.commune_code
        )
        return Destination(commune=commune, street=delivery_address.street.strip())
    if delivery_address is None:  # place() refuses this first; kept so that no other caller can slip past
        raise DomainError("Vui lòng nhập địa chỉ giao hàng hoặc chọn bưu điện nhận hàng.", field="delivery")
    commune = Commune.objects.select_related("province").get(pk=delivery_address.commune_id)
    return Destination(commune=commune, street=delivery_address.street)
