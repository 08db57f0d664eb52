"""Vietnam Post (VNPost), against the MyVNPost customer-partner API: a token from `POST /GetAccessToken`
(username, password, customerCode) sent in the `token` header; master data `getAllProvince`, `getAllDistrict`,
`getAllCommune`; fee `POST /ServicesCharge`; booking `POST /CreateOrder`; `POST /orderCancel`; `GET /getOrder`.
Addresses by VNPost's own pre-2025 province/district/commune codes (the `legacy_*` fields, filled from
`CarrierAreaCode` by logistics/addressing.py `for_carrier`).

VNPost's documentation (my-uat.vnpost.vn/static/) could not be read from here; field names and shapes were taken
from public integrations that cite it, read on 2026-12-06 (no code copied): github.com/hieukun1011/Shipping
(endpoint paths), a Drupal `shipping_integration` module (endpoint table, addon codes GTG021/PROP0018 and
GTG008/PROP0026 sent as "PROP:value", service codes, order record fields orderHdrID/originalID/itemCode/
mainFee/vasFee/totalFee, webhook `{data, sendDate, signature}` signed RSA-SHA256 over "MYVNP" + sendDate +
itemCode + status, and "re-authenticate once on 401/403"), a NestJS "Sakura" gateway (status codes 0-29 with
their names, `getOrder?type=1&code=` answering `results`, GetAccessToken answering {success, token}), and the
VTECHERP CarrierShipping DTOs (CreateOrder/ServicesCharge request fields). Run one UAT call per operation
before going live (docs/logistics.md, "Vietnam Post").
"""

from __future__ import annotations

import base64
import binascii
import datetime
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from taybac.core.errors import DomainError
from taybac.core.jsonparse import loads_bounded
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

PRODUCTION = "https://connect-my.vnpost.vn"
SANDBOX = "https://my-uat.vnpost.vn/MYVNP_API"
PREFIX = "/customer-partner"
NAME = "VNPost"
TOKEN_HEADER = "X-Taybac-Webhook-Token"
VN = datetime.timezone(datetime.timedelta(hours=7))
# The domestic services the hub offers, with VNPost's names; the fee answer has no delivery time, so the days are
# VNPost's usual inter-province times (an estimate, shown as such).
SERVICES: dict[str, tuple[str, int, int]] = {
    "CTN007": ("VNPost Tiết kiệm", 4, 6),
    "CTN009": ("VNPost Tiêu chuẩn", 3, 5),
    "ETN037": ("VNPost Nhanh", 2, 3),
    "ETN013": ("VNPost Hỏa tốc", 1, 2),
}
ADDON_COD, PROP_COD = "GTG021", "PROP0018"
ADDON_VALUE, PROP_VALUE = "GTG008", "PROP0026"
BOX_CM = 20  # VNPost asks for dimensions; the hub records weight only (VNPost re-weighs at acceptance)

S = TrackingStatus
STATUSES: dict[int, TrackingStatus | None] = {
    0: S.CREATED,  # Lưu nháp
    1: S.CREATED,  # Đã tạo
    2: S.CREATED,  # Bưu tá nhận yêu cầu thu gom
    3: S.CREATED,  # Chờ xác nhận
    4: S.CREATED,  # Đang lấy hàng
    5: S.CREATED,  # Lấy hàng không thành công (VNPost tries again)
    6: S.PICKED_UP,  # Đã lấy hàng
    7: S.PICKED_UP,  # Bưu cục đã nhận hàng
    8: S.CREATED,  # Lấy hàng thất bại
    9: S.CANCELLED,  # Hủy thu gom
    10: S.IN_TRANSIT,  # Đang vận chuyển
    11: S.AT_POST_OFFICE,  # Đã đến bưu cục phát
    12: S.OUT_FOR_DELIVERY,  # Đang giao hàng
    13: S.IN_TRANSIT,  # Chuyển tiếp
    14: S.DELIVERED,  # Đã giao hàng
    15: S.FAILED,  # Giao không thành công
    16: S.FAILED,  # Chờ để chuyển hoàn
    17: S.FAILED,  # Đã duyệt hoàn
    18: S.FAILED,  # Bắt đầu chuyển hoàn
    19: S.RETURNED,  # Trả hàng thành công
    20: S.RETURNED,  # Đã trả hàng một phần
    21: None,  # Đã trả tiền COD: money, not the parcel
    22: S.CANCELLED,  # Hủy giao hàng
    23: S.DELIVERED,  # Giao hàng thành công một phần
    24: S.FAILED,  # Đang chuyển hoàn
    28: None,  # Đã trả phí ship
    29: None,  # Đã trả phí hủy đơn hàng
}


def _codes(address: Address, side: str) -> tuple[str, str, str]:
    """VNPost's province, district and commune codes of an address, or a clear refusal when unmapped."""
    codes = (address.legacy_province_code, address.legacy_district_code, address.legacy_ward_code)
    if not all(codes):
        raise DomainError(
            f"Địa chỉ {side} chưa có mã tỉnh, huyện và xã cũ mà VNPost cần.", field=side, code="address_unmapped"
        )
    return codes


def _when(value: Any) -> datetime.datetime:
    """VNPost writes local (UTC+7) times as 'dd/MM/yyyy HH:mm:ss' or ISO."""
    if not isinstance(value, str) or len(value) > 40:
        raise http.bad_answer(NAME, "thời gian sai kiểu")
    for parse in (
        lambda v: datetime.datetime.strptime(v, "%d/%m/%Y %H:%M:%S"),
        datetime.datetime.fromisoformat,
    ):
        try:
            moment = parse(value)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=VN)
    raise http.bad_answer(NAME, f"thời gian '{value}' không hợp lệ")


def _status(value: Any) -> tuple[int, TrackingStatus | None]:
    if isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit() and len(value) <= 4:
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value not in STATUSES:
        raise http.bad_answer(NAME, f"trạng thái '{str(value)[:40]}' không biết")
    return value, STATUSES[value]


def _addons(parcel: Parcel) -> list[dict[str, str]]:
    addons = []
    if parcel.cod_amount:
        addons.append({"code": ADDON_COD, "propValue": f"{PROP_COD}:{parcel.cod_amount}"})
    if parcel.value:
        addons.append({"code": ADDON_VALUE, "propValue": f"{PROP_VALUE}:{parcel.value}"})
    return addons


class VNPost:
    code = "vnpost"
    name = NAME

    def __init__(
        self,
        *,
        username: str,
        password: str,
        customer_code: str,
        contract_code: str = "",
        webhook_public_key: str = "",
        webhook_token: str = "",
        base_url: str = PRODUCTION,
        transport: http.Transport = http.urllib_transport,
        sleep: Any = None,
    ) -> None:
        self.username, self.password = username, password
        self.customer_code, self.contract_code = customer_code, contract_code
        self.webhook_key = _public_key(webhook_public_key)
        self.webhook_token = webhook_token
        self._headers: dict[str, str] = {}
        self.client = http.Client(NAME, base_url, self._headers, transport)
        if sleep is not None:
            self.client.sleep = sleep

    # --- calls -------------------------------------------------------------------------------------------------

    def _authenticate(self) -> None:
        self._headers.pop("token", None)
        answer = self.client.json(
            "POST",
            f"{PREFIX}/GetAccessToken",
            payload={"username": self.username, "password": self.password, "customerCode": self.customer_code},
        )
        token = answer.get("token") if isinstance(answer, dict) else None
        if not isinstance(answer, dict) or answer.get("success") is not True or not isinstance(token, str):
            raise CarrierError(
                "VNPost không cấp mã truy cập: kiểm tra tài khoản, mật khẩu và mã khách hàng.", code="carrier_refused"
            )
        if not 10 <= len(token) <= 4000 or any(c in token for c in "\r\n"):
            raise http.bad_answer(NAME, "mã truy cập không hợp lệ")
        self._headers["token"] = token

    def _call(self, method: str, path: str, *, payload: Any = None, query: str = "") -> Any:
        """The JSON answer of one call; a refused token (401/403) is renewed once, then the call repeated."""
        if "token" not in self._headers:
            self._authenticate()
        answer = self.client.send(method, PREFIX + path, payload=payload, query=query)
        if answer.status in (401, 403):
            self._authenticate()
            answer = self.client.send(method, PREFIX + path, payload=payload, query=query)
            if answer.status in (401, 403):
                raise CarrierError("VNPost từ chối mã truy cập mới cấp.", code="carrier_refused")
        try:
            data = loads_bounded(answer.body)
        except ValueError as exc:
            raise http.bad_answer(NAME, f"không phải JSON (HTTP {answer.status})") from exc
        if answer.status >= 400:
            message = data.get("message") if isinstance(data, dict) else None
            text = message[:200] if isinstance(message, str) and message else f"HTTP {answer.status}"
            raise CarrierError(f"VNPost từ chối yêu cầu: {text}.", code="carrier_refused")
        return data

    def master_data(self, *, level: str) -> list[dict[str, Any]]:
        """VNPost's pre-2025 units (`province`, `district` or `commune`) for the area-code sync."""
        paths = {"province": "/getAllProvince", "district": "/getAllDistrict", "commune": "/getAllCommune"}
        rows = self._call("GET", paths[level])
        if not isinstance(rows, list):
            raise http.bad_answer(NAME, "danh mục địa bàn sai kiểu")
        return rows

    def _record(self, tracking_code: str) -> dict[str, Any]:
        """VNPost's current record of one parcel (by its item code)."""
        answer = self._call("GET", "/getOrder", query=urlencode({"type": 1, "code": tracking_code}))
        if isinstance(answer, list) and len(answer) == 1:
            answer = answer[0]
        rows = http.need(NAME, answer, "results", list)
        mine = [
            r for r in rows if isinstance(r, dict) and tracking_code in (r.get("itemCode"), r.get("originalItemCode"))
        ]
        if len(mine) != 1:
            raise CarrierError(f"VNPost không tìm thấy vận đơn {tracking_code}.", code="carrier_refused")
        return mine[0]

    # --- the Carrier interface ---------------------------------------------------------------------------------

    def _route(self, origin: Address, destination: Address) -> dict[str, str]:
        sp, sd, sc = _codes(origin, "gửi")
        rp, rd, rc = _codes(destination, "nhận")
        return {
            "senderProvinceCode": sp,
            "senderDistrictCode": sd,
            "senderCommuneCode": sc,
            "receiverProvinceCode": rp,
            "receiverDistrictCode": rd,
            "receiverCommuneCode": rc,
        }

    def quote(self, *, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        """One ServicesCharge call with no serviceCode: VNPost answers a row per service open to the account."""
        rows = self._call(
            "POST",
            "/ServicesCharge",
            payload={
                "scope": 1,
                "customerCode": self.customer_code,
                "contractCode": self.contract_code,
                "data": {
                    **self._route(origin, destination),
                    "weight": parcel.weight_g,
                    "length": BOX_CM,
                    "width": BOX_CM,
                    "height": BOX_CM,
                    "serviceCode": "",
                    "addonService": _addons(parcel),
                    "additionRequest": [],
                    "vehicle": "BO",
                },
            },
        )
        if not isinstance(rows, list):
            raise http.bad_answer(NAME, "bảng cước sai kiểu")
        quotes = []
        for row in rows:
            service = http.need(NAME, row, "serviceCode", str)
            if service not in SERVICES:
                continue
            total = http.money(NAME, row, "totalFee")
            extras = http.money(NAME, row, "vasFee") if "vasFee" in row else 0
            if total < extras:
                raise http.bad_answer(NAME, "tổng cước nhỏ hơn cước dịch vụ cộng thêm")
            name, low, high = SERVICES[service]
            # VNPost gives one vasFee for all extra services: shown as COD or insurance when it is only that one
            split = {"cod_fee": 0, "insurance_fee": 0, "surcharge": 0}
            only_cod, only_value = parcel.cod_amount and not parcel.value, parcel.value and not parcel.cod_amount
            split["cod_fee" if only_cod else "insurance_fee" if only_value else "surcharge"] = extras
            quotes.append(
                Quote(
                    carrier=self.code,
                    service=service,
                    service_name=name,
                    fee=total - extras,
                    eta_days_min=low,
                    eta_days_max=high,
                    **split,
                )
            )
        if not quotes:
            raise CarrierError("VNPost không có dịch vụ nào cho tuyến này.", code="carrier_no_service")
        return sorted(quotes, key=lambda q: (q.total, q.service))

    def create_shipment(self, *, request: ShipmentRequest) -> Shipment:
        if request.service not in SERVICES:
            raise DomainError("Dịch vụ VNPost không hợp lệ.", field="service")
        o, d, p = request.origin, request.destination, request.parcel
        record = self._call(
            "POST",
            "/CreateOrder",
            payload={
                "orderCreationStatus": 1,  # 1 publishes the order; 0 would leave a draft
                "customerCode": self.customer_code,
                "contractCode": self.contract_code,
                "informationOrder": {
                    **self._route(o, d),
                    "senderName": o.name,
                    "senderPhone": o.phone,
                    "senderAddress": o.street,
                    "receiverName": d.name,
                    "receiverPhone": d.phone,
                    "receiverAddress": d.street,
                    "serviceCode": request.service,
                    "saleOrderCode": request.reference,
                    "contentNote": (request.content or request.reference)[:500],
                    "deliveryInstruction": request.note[:500],
                    "weight": p.weight_g,
                    "length": BOX_CM,
                    "width": BOX_CM,
                    "height": BOX_CM,
                    "vehicle": "BO",
                    "addonService": _addons(p),
                    "additionRequest": [],
                },
            },
        )
        return Shipment(
            carrier=self.code,
            tracking_code=http.need(NAME, record, "itemCode", str),
            fee=http.money(NAME, record, "totalFee"),
            sort_code=record.get("bcpCode") if isinstance(record.get("bcpCode"), str) else "",
        )

    def cancel(self, *, tracking_code: str) -> None:
        """VNPost cancels by its original id: read it from the parcel's record first."""
        record = self._record(tracking_code)
        original = record.get("originalID") or record.get("originalId")
        if not isinstance(original, str | int) or isinstance(original, bool) or not str(original):
            raise http.bad_answer(NAME, "thiếu mã gốc của vận đơn")
        answer = self._call("POST", "/orderCancel", payload={"originalId": str(original)})
        if isinstance(answer, dict) and answer.get("success") is False:
            message = str(answer.get("message") or "")[:200]
            raise CarrierError(f"VNPost không hủy được đơn {tracking_code}: {message}.", code="carrier_refused")

    def label(self, *, tracking_code: str) -> Label:
        """The customer-partner API prints lists (exportListReport), not one label: the hub prints its own with
        VNPost's item code, which the post office scans."""
        raise CarrierError(f"VNPost không trả nhãn riêng cho đơn {tracking_code} qua API này.", code="carrier_no_label")

    def track(self, *, tracking_code: str) -> list[TrackingEvent]:
        """The current status (VNPost keeps the history on its portal); polled, and pushed by the webhook."""
        record = self._record(tracking_code)
        event = self._event(record, record.get("updatedDate"))
        return [event] if event else []

    def _event(self, record: Any, at: Any) -> TrackingEvent | None:
        code = http.need(NAME, record, "itemCode", str)
        number, status = _status(http.need(NAME, record, "status", (int, str)))
        if status is None:
            return None
        name = record.get("statusName")
        return TrackingEvent(
            tracking_code=code[:40],
            status=status,
            at=_when(at),
            carrier_status=str(number),
            description=name[:200] if isinstance(name, str) else "",
            reference=str(record.get("saleOrderCode") or "")[:40],
        )

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        """{data: [records], sendDate, signature}: the signature (base64 RSA-SHA256, PKCS#1 v1.5, VNPost's key)
        covers "MYVNP" + sendDate + the first record's itemCode + status; every record then becomes an event.
        When a secret is configured for the registered URL (`X-Taybac-Webhook-Token`), it must match too."""
        if self.webhook_key is None:
            raise CarrierError("Webhook VNPost bị từ chối: chưa cấu hình khóa công khai.", code="webhook_refused")
        given = http.header(headers, TOKEN_HEADER)
        if self.webhook_token and not http.token_matches(given=given, expected=self.webhook_token):
            raise CarrierError("Webhook VNPost bị từ chối: sai mã bí mật.", code="webhook_refused")
        payload = http.webhook_json(NAME, body)
        records = http.need(NAME, payload, "data", list)
        sent = http.need(NAME, payload, "sendDate", str)
        signature = http.need(NAME, payload, "signature", str)
        if not records or len(records) > 500:
            raise http.bad_answer(NAME, "webhook không có hoặc quá nhiều đơn")
        first = records[0]
        message = f"MYVNP{sent}{http.need(NAME, first, 'itemCode', str)}{http.need(NAME, first, 'status', (int, str))}"
        try:
            self.webhook_key.verify(
                base64.b64decode(signature, validate=True), message.encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except (InvalidSignature, binascii.Error, ValueError) as exc:
            raise CarrierError("Webhook VNPost bị từ chối: sai chữ ký.", code="webhook_refused") from exc
        events = [self._event(record, record.get("updatedDate") or sent) for record in records]
        return [e for e in events if e is not None]


def _public_key(pem: str) -> rsa.RSAPublicKey | None:
    """VNPost's webhook key (PEM); none configured refuses every callback."""
    if not pem.strip():
        return None
    try:
        key = serialization.load_pem_public_key(pem.strip().encode())
    except ValueError as exc:
        raise DomainError("TAYBAC_VNPOST_WEBHOOK_PUBLIC_KEY không phải khóa công khai PEM.") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise DomainError("TAYBAC_VNPOST_WEBHOOK_PUBLIC_KEY phải là khóa RSA.")
    return key
