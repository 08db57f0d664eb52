"""Giao Hàng Nhanh (GHN), against its public API v2 (api.ghn.vn/home/docs): headers `Token` and `ShopId`, the
envelope {"code", "message", "data"}; addresses by GHN's pre-2025 DistrictID and WardCode (`legacy_*` fields).

Webhooks: GHN posts JSON ({"OrderCode", "Status", "Time", "Type", ...}) to the URL registered in its portal and
signs nothing, so the hub registers a URL carrying a secret token; the receiving view passes that token in the
`X-Taybac-Webhook-Token` header, compared here in constant time, together with the payload's ShopID.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from taybac.core.errors import DomainError
from taybac.logistics.carriers import http
from taybac.logistics.carriers.base import (
    Address,
    CarrierError,
    Label,
    Parcel,
    Quote,
    Shipment,
    ShipmentRequest,
    TrackingEvent,
    TrackingStatus,
)

PRODUCTION = "https://online-gateway.ghn.vn/shiip/public-api"
SANDBOX = "https://dev-online-gateway.ghn.vn/shiip/public-api"
NAME = "GHN"
TOKEN_HEADER = "X-Taybac-Webhook-Token"
# GHN requires dimensions; the hub records weight only, so a small box is declared (GHN re-weighs at pick-up).
BOX_CM = 20
MAX_SERVICES = 3

S = TrackingStatus
STATUSES: dict[str, TrackingStatus] = {
    "ready_to_pick": S.CREATED,
    "picking": S.CREATED,
    "money_collect_picking": S.CREATED,
    "picked": S.PICKED_UP,
    "storing": S.IN_TRANSIT,
    "transporting": S.IN_TRANSIT,
    "sorting": S.IN_TRANSIT,
    "delivering": S.OUT_FOR_DELIVERY,
    "money_collect_delivering": S.OUT_FOR_DELIVERY,
    "delivered": S.DELIVERED,
    "delivery_fail": S.FAILED,
    "waiting_to_return": S.FAILED,
    "return": S.FAILED,
    "return_transporting": S.FAILED,
    "return_sorting": S.FAILED,
    "returning": S.FAILED,
    "return_fail": S.FAILED,
    "returned": S.RETURNED,
    "cancel": S.CANCELLED,
    "exception": S.FAILED,
    "damage": S.FAILED,
    "lost": S.FAILED,
}
SERVICE_TYPES = {2: "GHN Hàng nhẹ", 5: "GHN Hàng nặng"}


def _district(address: Address, side: str) -> tuple[int, str]:
    """GHN's DistrictID and WardCode of an address, or a clear refusal when the mapping has not given them."""
    if not address.legacy_district_code.isdigit() or not address.legacy_ward_code:
        raise DomainError(
            f"Địa chỉ {side} chưa có mã quận/huyện và phường/xã cũ mà GHN cần.", field=side, code="address_unmapped"
        )
    return int(address.legacy_district_code), address.legacy_ward_code


def _when(value: Any) -> datetime.datetime:
    if not isinstance(value, str):
        raise http.bad_answer(NAME, "thời gian sai kiểu")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise http.bad_answer(NAME, f"thời gian '{value[:40]}' không hợp lệ") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _status(value: Any) -> TrackingStatus:
    if not isinstance(value, str) or value not in STATUSES:
        raise http.bad_answer(NAME, f"trạng thái '{str(value)[:40]}' không biết")
    return STATUSES[value]


class GHN:
    code = "ghn"
    name = NAME

    def __init__(
        self,
        *,
        token: str,
        shop_id: int,
        webhook_token: str = "",
        base_url: str = PRODUCTION,
        transport: http.Transport = http.urllib_transport,
        sleep: Any = None,
    ) -> None:
        self.shop_id = shop_id
        self.webhook_token = webhook_token
        self.base_url = base_url
        self.client = http.Client(NAME, base_url, {"Token": token, "ShopId": str(shop_id)}, transport)
        if sleep is not None:
            self.client.sleep = sleep

    def _data(self, path: str, payload: Any) -> Any:
        """`data` of a successful answer; GHN's own message when it refuses (code other than 200)."""
        answer = self.client.json("POST", path, payload=payload)
        code = http.need(NAME, answer, "code", int)
        if code != 200:
            message = answer.get("message") if isinstance(answer.get("message"), str) else ""
            raise CarrierError(f"GHN từ chối yêu cầu: {message[:200] or f'mã {code}'}.", code="carrier_refused")
        return http.need(NAME, answer, "data", (dict, list))

    def master_data(self, *, level: str, parent: int | None = None) -> list[Any]:
        """GHN's pre-2025 units for the area-code sync: provinces, a province's districts or a district's wards."""
        path, key = {
            "province": ("/master-data/province", ""),
            "district": ("/master-data/district", "province_id"),
            "ward": ("/master-data/ward", "district_id"),
        }[level]
        answer = self.client.json("GET", path, query=f"{key}={parent}" if key else "")
        if http.need(NAME, answer, "code", int) != 200:
            raise CarrierError("GHN từ chối trả danh mục địa bàn.", code="carrier_refused")
        rows = answer.get("data") or []
        if not isinstance(rows, list):
            raise http.bad_answer(NAME, "danh mục địa bàn sai kiểu")
        return rows

    def quote(self, *, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        from_district, from_ward = _district(origin, "gửi")
        to_district, to_ward = _district(destination, "nhận")
        services = self._data(
            "/v2/shipping-order/available-services",
            {"shop_id": self.shop_id, "from_district": from_district, "to_district": to_district},
        )
        if not isinstance(services, list):
            raise http.bad_answer(NAME, "danh sách dịch vụ sai kiểu")
        quotes = []
        for service in services[:MAX_SERVICES]:
            service_id = http.need(NAME, service, "service_id", int)
            type_id = http.need(NAME, service, "service_type_id", int)
            route = {
                "from_district_id": from_district,
                "from_ward_code": from_ward,
                "to_district_id": to_district,
                "to_ward_code": to_ward,
                "service_id": service_id,
            }
            fee = self._data(
                "/v2/shipping-order/fee",
                {
                    **route,
                    "service_type_id": type_id,
                    "weight": parcel.weight_g,
                    "insurance_value": parcel.value,
                    "cod_value": parcel.cod_amount,
                },
            )
            lead = self._data("/v2/shipping-order/leadtime", route)
            total = http.money(NAME, fee, "total")
            insurance = http.money(NAME, fee, "insurance_fee")
            cod = http.money(NAME, fee, "cod_fee") if "cod_fee" in fee else 0
            remote = sum(
                http.money(NAME, fee, k) for k in ("pick_remote_areas_fee", "deliver_remote_areas_fee") if k in fee
            )
            if total < insurance + cod + remote:
                raise http.bad_answer(NAME, "tổng phí nhỏ hơn các khoản phí")
            seconds = http.need(NAME, lead, "leadtime", int) - http.need(NAME, lead, "order_date", int)
            days = max(1, -(-seconds // 86_400))
            name = service.get("short_name") if isinstance(service.get("short_name"), str) else ""
            quotes.append(
                Quote(
                    carrier=self.code,
                    service=str(type_id),
                    service_name=name or SERVICE_TYPES.get(type_id, f"GHN dịch vụ {type_id}"),
                    fee=total - insurance - cod - remote,
                    cod_fee=cod,
                    insurance_fee=insurance,
                    surcharge=remote,
                    eta_days_min=days,
                    eta_days_max=days,
                )
            )
        if not quotes:
            raise CarrierError("GHN không có dịch vụ nào cho tuyến này.", code="carrier_no_service")
        return quotes

    def create_shipment(self, *, request: ShipmentRequest) -> Shipment:
        if not request.service.isdigit():
            raise DomainError("Dịch vụ GHN không hợp lệ.", field="service")
        from_district, from_ward = _district(request.origin, "gửi")
        to_district, to_ward = _district(request.destination, "nhận")
        o, d, p = request.origin, request.destination, request.parcel
        data = self._data(
            "/v2/shipping-order/create",
            {
                "payment_type_id": 1,  # the shop pays GHN; the buyer paid the hub at checkout
                "required_note": "KHONGCHOXEMHANG",
                "client_order_code": request.reference,
                "from_name": o.name,
                "from_phone": o.phone,
                "from_address": o.street,
                "from_ward_code": from_ward,
                "from_district_id": from_district,
                "to_name": d.name,
                "to_phone": d.phone,
                "to_address": d.street,
                "to_ward_code": to_ward,
                "to_district_id": to_district,
                "cod_amount": p.cod_amount,
                "insurance_value": p.value,
                "content": request.content[:2000],
                "note": request.note[:500],
                "weight": p.weight_g,
                "length": BOX_CM,
                "width": BOX_CM,
                "height": BOX_CM,
                "service_type_id": int(request.service),
                "items": [{"name": request.content[:200] or request.reference, "quantity": 1, "weight": p.weight_g}],
            },
        )
        code = http.need(NAME, data, "order_code", str)
        expected = data.get("expected_delivery_time")
        return Shipment(
            carrier=self.code,
            tracking_code=code,
            fee=http.money(NAME, data, "total_fee"),
            expected_delivery=_when(expected) if expected else None,
            sort_code=data.get("sort_code") if isinstance(data.get("sort_code"), str) else "",
        )

    def cancel(self, *, tracking_code: str) -> None:
        results = self._data("/v2/switch-status/cancel", {"order_codes": [tracking_code]})
        mine = [r for r in results if isinstance(r, dict) and r.get("order_code") == tracking_code]
        if not mine:
            raise http.bad_answer(NAME, "không có kết quả cho đơn cần hủy")
        if mine[0].get("result") is not True:
            message = str(mine[0].get("message") or "")[:200]
            raise CarrierError(f"GHN không hủy được đơn {tracking_code}: {message}.", code="carrier_refused")

    def label(self, *, tracking_code: str) -> Label:
        """GHN prints from a one-time token: the label is the URL of its A5 print page."""
        data = self._data("/v2/a5/gen-token", {"order_codes": [tracking_code]})
        token = http.need(NAME, data, "token", str)
        parts = urlsplit(self.base_url)
        return Label(
            tracking_code=tracking_code,
            url=f"{parts.scheme}://{parts.netloc}/a5/public-api/printA5?token={token}",
            content_type="text/html",
        )

    def track(self, *, tracking_code: str) -> list[TrackingEvent]:
        data = self._data("/v2/shipping-order/detail", {"order_code": tracking_code})
        log = data.get("log") or []
        if not isinstance(log, list):
            raise http.bad_answer(NAME, "nhật ký trạng thái sai kiểu")
        reference = data.get("client_order_code") if isinstance(data.get("client_order_code"), str) else ""
        return [
            TrackingEvent(
                tracking_code=tracking_code,
                status=_status(http.need(NAME, entry, "status", str)),
                at=_when(http.need(NAME, entry, "updated_date", str)),
                carrier_status=entry["status"],
                reference=reference,
            )
            for entry in log
        ]

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        """Status changes only (Type create/switch_status); weight, COD and fee updates carry no status."""
        if not http.token_matches(given=http.header(headers, TOKEN_HEADER), expected=self.webhook_token):
            raise CarrierError("Webhook GHN bị từ chối: sai mã bí mật.", code="webhook_refused")
        payload = http.webhook_json(NAME, body)
        if http.need(NAME, payload, "ShopID", int) != self.shop_id:
            raise CarrierError("Webhook GHN bị từ chối: không phải cửa hàng của hub.", code="webhook_refused")
        kind = http.need(NAME, payload, "Type", str)
        if kind.lower() not in ("create", "switch_status"):
            return []
        status = http.need(NAME, payload, "Status", str)
        return [
            TrackingEvent(
                tracking_code=http.need(NAME, payload, "OrderCode", str),
                status=_status(status),
                at=_when(http.need(NAME, payload, "Time", str)),
                carrier_status=status,
                description=str(payload.get("Description") or payload.get("Reason") or "")[:200],
                reference=str(payload.get("ClientOrderCode") or "")[:40],
            )
        ]
