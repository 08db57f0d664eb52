"""Giao Hàng Tiết Kiệm (GHTK), against its public API (docs.giaohangtietkiem.vn): headers `Token` and
`X-Client-Source`, answers {"success", "message", ...}; GHTK addresses by pre-2025 province/district/ward NAMES
(`legacy` names of the address). Webhooks are JSON {"label_id", "partner_id", "status_id", "action_time", ...}
posted to the URL registered with GHTK; it carries a secret the receiving view passes in `X-Taybac-Webhook-Token`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

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

PRODUCTION = "https://services.giaohangtietkiem.vn"
SANDBOX = "https://services-staging.ghtklab.com"
NAME = "GHTK"
TOKEN_HEADER = "X-Taybac-Webhook-Token"
SERVICES = {"road": "GHTK đường bộ", "fly": "GHTK đường bay"}
# GHTK's fee answer has no delivery time: the days shown are its usual inter-province times, an estimate.
ETA_DAYS = {"road": (3, 5), "fly": (1, 3)}
VN = datetime.timezone(datetime.timedelta(hours=7))

S = TrackingStatus
STATUSES: dict[int, TrackingStatus] = {
    -1: S.CANCELLED,
    1: S.CREATED,
    2: S.CREATED,
    12: S.CREATED,
    8: S.CREATED,
    128: S.CREATED,
    3: S.PICKED_UP,
    123: S.PICKED_UP,
    10: S.IN_TRANSIT,
    410: S.IN_TRANSIT,
    4: S.OUT_FOR_DELIVERY,
    5: S.DELIVERED,
    6: S.DELIVERED,
    45: S.DELIVERED,
    7: S.FAILED,
    127: S.FAILED,
    9: S.FAILED,
    49: S.FAILED,
    13: S.FAILED,
    20: S.FAILED,
    11: S.RETURNED,
    21: S.RETURNED,
}


def _names(address: Address, side: str) -> tuple[str, str, str]:
    if not address.province_name or not address.district_name:
        raise DomainError(
            f"Địa chỉ {side} chưa có tên tỉnh và quận/huyện cũ mà GHTK cần.", field=side, code="address_unmapped"
        )
    return address.province_name, address.district_name, address.ward_name


def _status(value: Any) -> TrackingStatus:
    try:
        return STATUSES[int(value)]
    except (TypeError, ValueError, KeyError) as exc:
        raise http.bad_answer(NAME, f"trạng thái '{str(value)[:20]}' không biết") from exc


def _when(value: Any) -> datetime.datetime:
    """GHTK writes ISO times with an offset in webhooks and "YYYY-MM-DD HH:MM:SS" (Vietnam time) elsewhere."""
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise http.bad_answer(NAME, f"thời gian '{str(value)[:40]}' không hợp lệ") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=VN)


class GHTK:
    code = "ghtk"
    name = NAME

    def __init__(
        self,
        *,
        token: str,
        client_source: str = "",
        webhook_token: str = "",
        base_url: str = PRODUCTION,
        transport: http.Transport = http.urllib_transport,
        sleep: Any = None,
    ) -> None:
        self.webhook_token = webhook_token
        headers = {"Token": token, **({"X-Client-Source": client_source} if client_source else {})}
        self.client = http.Client(NAME, base_url, headers, transport)
        if sleep is not None:
            self.client.sleep = sleep

    def _ok(self, method: str, path: str, *, payload: Any = None, query: str = "") -> dict[str, Any]:
        answer = self.client.json(method, path, payload=payload, query=query)
        if http.need(NAME, answer, "success", bool) is not True:
            message = answer.get("message") if isinstance(answer.get("message"), str) else ""
            raise CarrierError(f"GHTK từ chối yêu cầu: {message[:200] or 'không rõ lý do'}.", code="carrier_refused")
        return answer

    def quote(self, *, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        pick_province, pick_district, pick_ward = _names(origin, "gửi")
        province, district, ward = _names(destination, "nhận")
        quotes = []
        for transport, service_name in SERVICES.items():
            query = urlencode(
                {
                    "pick_province": pick_province,
                    "pick_district": pick_district,
                    "pick_ward": pick_ward,
                    "province": province,
                    "district": district,
                    "ward": ward,
                    "address": destination.street,
                    "weight": parcel.weight_g,
                    "value": parcel.value,
                    "transport": transport,
                    "deliver_option": "none",
                }
            )
            fee = http.need(NAME, self._ok("GET", "/services/shipment/fee", query=query), "fee", dict)
            if http.need(NAME, fee, "delivery", bool) is not True:
                continue  # GHTK does not deliver there by this means
            total = http.money(NAME, fee, "fee")
            days_min, days_max = ETA_DAYS[transport]
            quotes.append(
                Quote(
                    carrier=self.code,
                    service=transport,
                    service_name=service_name,
                    fee=total,
                    insurance_fee=http.money(NAME, fee, "insurance_fee"),
                    eta_days_min=days_min,
                    eta_days_max=days_max,
                )
            )
        if not quotes:
            raise CarrierError("GHTK không giao tới địa chỉ này.", code="carrier_no_service")
        return quotes

    def create_shipment(self, *, request: ShipmentRequest) -> Shipment:
        if request.service not in SERVICES:
            raise DomainError("Dịch vụ GHTK không hợp lệ.", field="service")
        pick_province, pick_district, pick_ward = _names(request.origin, "gửi")
        province, district, ward = _names(request.destination, "nhận")
        o, d, p = request.origin, request.destination, request.parcel
        answer = self._ok(
            "POST",
            "/services/shipment/order",
            query="ver=1.5",
            payload={
                "products": [
                    {"name": request.content[:200] or request.reference, "weight": p.weight_g / 1000, "quantity": 1}
                ],
                "order": {
                    "id": request.reference,
                    "pick_name": o.name,
                    "pick_tel": o.phone,
                    "pick_address": o.street,
                    "pick_province": pick_province,
                    "pick_district": pick_district,
                    "pick_ward": pick_ward,
                    "name": d.name,
                    "tel": d.phone,
                    "address": d.street,
                    "province": province,
                    "district": district,
                    "ward": ward,
                    "hamlet": "Khác",
                    "is_freeship": "1",  # the buyer paid shipping to the hub at checkout
                    "pick_money": p.cod_amount,
                    "value": p.value,
                    "note": request.note[:120],
                    "transport": request.service,
                },
            },
        )
        order = http.need(NAME, answer, "order", dict)
        fee = http.money(NAME, order, "fee") + (
            http.money(NAME, order, "insurance_fee") if "insurance_fee" in order else 0
        )
        return Shipment(carrier=self.code, tracking_code=http.need(NAME, order, "label", str), fee=fee)

    def cancel(self, *, tracking_code: str) -> None:
        self._ok("POST", f"/services/shipment/cancel/{quote(tracking_code, safe='')}")

    def label(self, *, tracking_code: str) -> Label:
        """GHTK answers the PDF itself (A6 portrait), or JSON explaining why not."""
        path = f"/services/label/{quote(tracking_code, safe='')}"
        answer = self.client.send("GET", path, query="original=portrait&page_size=A6")
        if answer.body.startswith(b"%PDF"):
            return Label(tracking_code=tracking_code, content=answer.body)
        self._refusal(answer.body)
        raise http.bad_answer(NAME, "nhãn không phải PDF")

    def _refusal(self, body: bytes) -> None:
        try:
            data = http.webhook_json(NAME, body)
        except CarrierError:
            return
        if isinstance(data, dict) and data.get("success") is False:
            raise CarrierError(f"GHTK từ chối yêu cầu: {str(data.get('message') or '')[:200]}.", code="carrier_refused")

    def track(self, *, tracking_code: str) -> list[TrackingEvent]:
        """GHTK gives the current status only (its history comes by webhook)."""
        order = http.need(
            NAME, self._ok("GET", f"/services/shipment/v2/{quote(tracking_code, safe='')}"), "order", dict
        )
        status_id = http.need(NAME, order, "status", (str, int))
        return [
            TrackingEvent(
                tracking_code=http.need(NAME, order, "label_id", str),
                status=_status(status_id),
                at=_when(http.need(NAME, order, "modified", str)),
                carrier_status=str(status_id),
                description=str(order.get("status_text") or "")[:200],
                reference=str(order.get("partner_id") or "")[:40],
            )
        ]

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        if not http.token_matches(given=http.header(headers, TOKEN_HEADER), expected=self.webhook_token):
            raise CarrierError("Webhook GHTK bị từ chối: sai mã bí mật.", code="webhook_refused")
        payload = http.webhook_json(NAME, body)
        status_id = http.need(NAME, payload, "status_id", int)
        return [
            TrackingEvent(
                tracking_code=http.need(NAME, payload, "label_id", str),
                status=_status(status_id),
                at=_when(http.need(NAME, payload, "action_time", str)),
                carrier_status=str(status_id),
                description=str(payload.get("reason") or "")[:200],
                reference=str(payload.get("partner_id") or "")[:40],
            )
        ]
