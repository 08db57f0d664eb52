"""The hub's own network (commune post offices and the daily run): the default carrier, priced from the active
rate table in our database, so it quotes and books with no network connection at all."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db.models import Q

from taybac.core.errors import DomainError
from taybac.logistics import selectors
from taybac.logistics.carriers.base import (
    Address,
    CarrierError,
    Label,
    Parcel,
    Quote,
    Shipment,
    ShipmentRequest,
    TrackingEvent,
)
from taybac.logistics.rates import NoRate, price, zone_for
from taybac.regions.models import Commune

SERVICE = "standard"
SERVICE_NAME = "Mạng lưới bưu điện xã Tây Bắc Hub"
_REFERENCE = re.compile(r"^[A-Z0-9-]{4,40}$")


class HubNetwork:
    """Quotes and books on the hub's network. Its tracking events are recorded by the post offices' own pages
    (hand-over, arrival), not received by webhook; the shipment records they attach to come with item 3."""

    code = "hub"
    name = "Tây Bắc Hub"

    def quote(self, *, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        found = dict(
            Commune.objects.filter(
                Q(pk=origin.commune_code, province_id=origin.province_code)
                | Q(pk=destination.commune_code, province_id=destination.province_code)
            ).values_list("pk", "province__in_region")
        )
        if origin.commune_code not in found:
            raise DomainError("Không tìm thấy xã/phường gửi hàng trong tỉnh đã chọn.", field="origin")
        if destination.commune_code not in found:
            raise DomainError("Không tìm thấy xã/phường nhận hàng trong tỉnh đã chọn.", field="destination")
        zone = zone_for(
            from_province=origin.province_code,
            from_commune=origin.commune_code,
            to_province=destination.province_code,
            to_commune=destination.commune_code,
            to_in_region=found[destination.commune_code],
        )
        table = selectors.active_table()
        try:
            p = price(
                table,
                zone=zone,
                weight_g=parcel.weight_g,
                value=parcel.value,
                cod_amount=parcel.cod_amount,
                remote=selectors.is_remote(commune_code=destination.commune_code),
            )
        except NoRate as exc:
            raise CarrierError("Bảng giá vận chuyển đang dùng thiếu khung cho kiện hàng này.") from exc
        return [
            Quote(
                carrier=self.code,
                service=SERVICE,
                service_name=SERVICE_NAME,
                fee=p.fee,
                cod_fee=p.cod_fee,
                insurance_fee=p.insurance_fee,
                surcharge=p.surcharge,
                eta_days_min=p.eta_days_min,
                eta_days_max=p.eta_days_max,
            )
        ]

    def create_shipment(self, *, request: ShipmentRequest) -> Shipment:
        """On our own network the shop order's code is the tracking code: the post office scans it."""
        if request.service != SERVICE:
            raise DomainError("Dịch vụ vận chuyển không hợp lệ.", field="service")
        reference = request.reference.replace(" ", "").upper()
        if not _REFERENCE.match(reference):
            raise DomainError("Mã đơn gửi hàng không hợp lệ.", field="reference")
        (quote,) = self.quote(origin=request.origin, destination=request.destination, parcel=request.parcel)
        return Shipment(carrier=self.code, tracking_code=reference, fee=quote.total)

    def cancel(self, *, tracking_code: str) -> None:
        """Nothing to tell a third party: the shipment record's own status is the cancellation (item 3)."""

    def label(self, *, tracking_code: str) -> Label:
        raise CarrierError("Nhãn của mạng lưới Tây Bắc Hub được in từ trang đơn hàng của người bán.")

    def track(self, *, tracking_code: str) -> list[TrackingEvent]:
        """The post offices' records are the tracking; they are read from the shipment, not asked of a carrier."""
        return []

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        raise CarrierError("Mạng lưới Tây Bắc Hub không nhận cập nhật qua webhook.", code="webhook_refused")
