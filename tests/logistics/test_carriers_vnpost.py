"""Vietnam Post adapter against answers in the MyVNPost customer-partner shapes (fixtures/vnpost): token and its
renewal, quotes, booking, cancel, tracking, signed webhooks, and VNPost being down or answering nonsense."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from taybac.core.errors import DomainError
from taybac.logistics import carriers
from taybac.logistics.carriers.base import Address, CarrierError, Parcel, ShipmentRequest, TrackingStatus
from taybac.logistics.carriers.http import Response
from taybac.logistics.carriers.vnpost import STATUSES, VNPost
from tests.logistics.fixtures.transport import FakeTransport, fixture, ok

SAPA = Address(15, 2701, "Hộ Giàng A Páo", "0912345678", "Thôn 1", "31", "3110", "311012")
HANOI = Address(1, 4, "Nguyễn Thị Lan", "0987654321", "12 Hàng Bạc", "10", "1010", "101003")
PARCEL = Parcel(weight_g=1200, cod_amount=300_000)
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PEM = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def vnpost(transport: FakeTransport, sleeps: list[float] | None = None) -> VNPost:
    waits = sleeps if sleeps is not None else []
    return VNPost(
        username="hub",
        password="pw",
        customer_code="C000368268",
        webhook_public_key=PEM.decode(),
        transport=transport,
        sleep=waits.append,
    )


def with_token(transport: FakeTransport) -> FakeTransport:
    return transport.answer("/GetAccessToken", ok(fixture("vnpost", "token.json")))


def test_quote_signs_in_once_and_lists_the_hubs_services_cheapest_first() -> None:
    transport = with_token(FakeTransport()).answer("/ServicesCharge", ok(fixture("vnpost", "services_charge.json")))
    carrier = vnpost(transport)
    quotes = carrier.quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    carrier.quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert [(q.service, q.service_name, q.total) for q in quotes] == [
        ("CTN007", "VNPost Tiết kiệm", 34_020),
        ("ETN037", "VNPost Nhanh", 47_040),
    ]  # PTN001 (over 30 kg) is not offered
    assert (quotes[0].fee, quotes[0].cod_fee, quotes[0].eta_days_min, quotes[0].eta_days_max) == (28_520, 5_500, 4, 6)
    assert [s.path for s in transport.sent].count("/customer-partner/GetAccessToken") == 1
    sign_in = transport.sent[0]
    assert sign_in.payload == {"username": "hub", "password": "pw", "customerCode": "C000368268"}
    charge = transport.sent[1]
    assert charge.headers["token"] == "CCBM0a0WqkVPAvIDw3ph+fake-token-1"
    assert charge.payload["scope"] == 1 and charge.payload["customerCode"] == "C000368268"
    data = charge.payload["data"]
    assert (data["senderProvinceCode"], data["senderDistrictCode"], data["senderCommuneCode"]) == (
        "31",
        "3110",
        "311012",
    )
    assert (data["receiverCommuneCode"], data["weight"], data["serviceCode"]) == ("101003", 1200, "")
    assert data["addonService"] == [{"code": "GTG021", "propValue": "PROP0018:300000"}]


def test_an_expired_token_is_renewed_once_and_the_call_repeated() -> None:
    transport = (
        FakeTransport()
        .answer(
            "/GetAccessToken",
            ok(fixture("vnpost", "token.json")),
            ok(b'{"success": true, "token": "second-token-xyz"}'),
        )
        .answer(
            "/ServicesCharge",
            Response(401, b'{"message": "Token het han"}'),
            ok(fixture("vnpost", "services_charge.json")),
        )
    )
    quotes = vnpost(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert len(quotes) == 2
    charges = [s for s in transport.sent if s.path.endswith("/ServicesCharge")]
    assert [c.headers["token"] for c in charges] == ["CCBM0a0WqkVPAvIDw3ph+fake-token-1", "second-token-xyz"]


def test_a_token_refused_twice_is_reported_not_looped() -> None:
    transport = with_token(FakeTransport()).answer("/ServicesCharge", Response(401, b"{}"))
    with pytest.raises(CarrierError) as refused:
        vnpost(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert refused.value.code == "carrier_refused"
    assert len([s for s in transport.sent if s.path.endswith("/ServicesCharge")]) == 2


def test_wrong_credentials_are_a_clear_refusal() -> None:
    transport = FakeTransport().answer("/GetAccessToken", ok(fixture("vnpost", "token_refused.json")))
    with pytest.raises(CarrierError) as refused:
        vnpost(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert refused.value.code == "carrier_refused" and "mã khách hàng" in refused.value.message


def test_timeouts_are_retried_then_reported() -> None:
    sleeps: list[float] = []
    transport = with_token(FakeTransport()).answer("/ServicesCharge", TimeoutError())
    with pytest.raises(CarrierError) as down:
        vnpost(transport, sleeps).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert down.value.code == "carrier_unavailable" and "VNPost không trả lời kịp sau 3 lần thử" in down.value.message
    assert sleeps == [0.5, 1.0]


def test_a_5xx_then_success_recovers() -> None:
    transport = with_token(FakeTransport()).answer(
        "/ServicesCharge", Response(502, b"<html>Bad gateway</html>"), ok(fixture("vnpost", "services_charge.json"))
    )
    assert len(vnpost(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)) == 2


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"<html>maintenance</html>", "không phải JSON"),
        (b'{"serviceCode": "CTN007"}', "bảng cước sai kiểu"),
        (b'[{"serviceCode": "CTN007", "totalFee": -5}]', "không hợp lệ"),
        (b'[{"serviceCode": "CTN007", "totalFee": 1000, "vasFee": 5000}]', "nhỏ hơn"),
        (b'[{"totalFee": 1000}]', "serviceCode"),
    ],
)
def test_nonsense_answers_are_refused(body: bytes, why: str) -> None:
    transport = with_token(FakeTransport()).answer("/ServicesCharge", ok(body))
    with pytest.raises(CarrierError) as bad:
        vnpost(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert bad.value.code == "carrier_bad_answer" and why in bad.value.message


def test_a_4xx_carries_vnposts_message() -> None:
    transport = with_token(FakeTransport()).answer(
        "/ServicesCharge", Response(400, fixture("vnpost", "error_400.json"))
    )
    with pytest.raises(CarrierError) as refused:
        vnpost(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert refused.value.code == "carrier_refused" and "Mã xã nhận không hợp lệ" in refused.value.message


def test_an_address_without_vnpost_codes_is_refused_before_any_call() -> None:
    transport = FakeTransport()
    with pytest.raises(DomainError) as refused:
        vnpost(transport).quote(origin=SAPA, destination=Address(1, 4), parcel=PARCEL)
    assert refused.value.code == "address_unmapped" and transport.sent == []


def test_create_shipment_books_with_our_reference_and_keeps_vnposts_item_code() -> None:
    transport = with_token(FakeTransport()).answer("/CreateOrder", ok(fixture("vnpost", "create_order.json")))
    request = ShipmentRequest("TB-2026-000123", "CTN007", SAPA, HANOI, PARCEL, content="Chè Shan tuyết 500 g")
    shipment = vnpost(transport).create_shipment(request=request)
    assert (shipment.carrier, shipment.tracking_code, shipment.fee, shipment.sort_code) == (
        "vnpost",
        "EL123456789VN",
        34_020,
        "310000",
    )
    order = transport.sent[-1].payload
    assert order["orderCreationStatus"] == 1
    info = order["informationOrder"]
    assert (info["saleOrderCode"], info["serviceCode"], info["receiverName"], info["senderCommuneCode"]) == (
        "TB-2026-000123",
        "CTN007",
        "Nguyễn Thị Lan",
        "311012",
    )


def test_an_unknown_service_is_refused() -> None:
    with pytest.raises(DomainError):
        vnpost(FakeTransport()).create_shipment(request=ShipmentRequest("R", "XYZ", SAPA, HANOI, PARCEL))


def test_cancel_reads_the_original_id_then_cancels() -> None:
    transport = (
        with_token(FakeTransport())
        .answer("/getOrder", ok(fixture("vnpost", "get_order.json")))
        .answer("/orderCancel", ok(fixture("vnpost", "cancel.json")))
    )
    vnpost(transport).cancel(tracking_code="EL123456789VN")
    lookup, cancel = transport.sent[-2], transport.sent[-1]
    assert lookup.method == "GET" and lookup.query == "type=1&code=EL123456789VN"
    assert cancel.payload == {"originalId": "23060910551234"}


def test_a_refused_cancel_says_why() -> None:
    transport = (
        with_token(FakeTransport())
        .answer("/getOrder", ok(fixture("vnpost", "get_order.json")))
        .answer("/orderCancel", ok(fixture("vnpost", "cancel_refused.json")))
    )
    with pytest.raises(CarrierError) as refused:
        vnpost(transport).cancel(tracking_code="EL123456789VN")
    assert "không thể hủy" in refused.value.message


def test_track_gives_the_current_status_in_our_words() -> None:
    transport = with_token(FakeTransport()).answer("/getOrder", ok(fixture("vnpost", "get_order.json")))
    [event] = vnpost(transport).track(tracking_code="EL123456789VN")
    assert (event.status, event.carrier_status, event.description, event.reference) == (
        TrackingStatus.IN_TRANSIT,
        "10",
        "Đang vận chuyển",
        "TB-2026-000123",
    )
    assert event.at == datetime.datetime(2026, 12, 7, 7, 5, tzinfo=datetime.UTC)


def test_track_of_a_parcel_vnpost_does_not_know() -> None:
    transport = with_token(FakeTransport()).answer("/getOrder", ok(b'[{"results": []}]'))
    with pytest.raises(CarrierError):
        vnpost(transport).track(tracking_code="EL000000000VN")


def test_label_is_printed_by_the_hub() -> None:
    with pytest.raises(CarrierError) as refused:
        vnpost(FakeTransport()).label(tracking_code="EL123456789VN")
    assert refused.value.code == "carrier_no_label" and "EL123456789VN" in refused.value.message


def test_every_documented_status_maps_and_money_only_statuses_make_no_event() -> None:
    assert sorted(STATUSES) == [*range(25), 28, 29]
    assert {STATUSES[n] for n in (21, 28, 29)} == {None}
    assert STATUSES[14] is TrackingStatus.DELIVERED and STATUSES[11] is TrackingStatus.AT_POST_OFFICE


def _webhook(records: list[dict], *, key: rsa.RSAPrivateKey = KEY, sent: str = "07/12/2026 15:00:00") -> bytes:
    first = records[0]
    message = f"MYVNP{sent}{first['itemCode']}{first['status']}".encode()
    signature = base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()
    return json.dumps({"data": records, "sendDate": sent, "signature": signature}).encode()


RECORDS = [
    {"itemCode": "EL123456789VN", "status": 14, "statusName": "Đã giao hàng", "saleOrderCode": "TB-2026-000123"},
    {"itemCode": "EL123456790VN", "status": 21, "statusName": "Đã trả tiền COD"},
]


def test_a_signed_webhook_becomes_events() -> None:
    events = vnpost(FakeTransport()).parse_webhook(headers={}, body=_webhook(RECORDS))
    assert [(e.tracking_code, e.status) for e in events] == [("EL123456789VN", TrackingStatus.DELIVERED)]
    assert events[0].at == datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)


def test_a_webhook_signed_by_another_key_or_altered_is_refused() -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    carrier = vnpost(FakeTransport())
    with pytest.raises(CarrierError) as forged:
        carrier.parse_webhook(headers={}, body=_webhook(RECORDS, key=other))
    assert forged.value.code == "webhook_refused"
    altered = json.loads(_webhook(RECORDS))
    altered["data"][0]["status"] = 19
    with pytest.raises(CarrierError):
        carrier.parse_webhook(headers={}, body=json.dumps(altered).encode())


def test_without_a_configured_key_every_webhook_is_refused() -> None:
    carrier = VNPost(username="u", password="p", customer_code="c", transport=FakeTransport())
    with pytest.raises(CarrierError) as refused:
        carrier.parse_webhook(headers={}, body=_webhook(RECORDS))
    assert refused.value.code == "webhook_refused"


def test_a_webhook_with_an_unknown_status_is_a_bad_answer() -> None:
    with pytest.raises(CarrierError) as bad:
        vnpost(FakeTransport()).parse_webhook(headers={}, body=_webhook([{"itemCode": "EL1VN", "status": 77}]))
    assert bad.value.code == "carrier_bad_answer"


def test_a_key_that_is_not_pem_is_refused_at_configuration() -> None:
    with pytest.raises(DomainError):
        VNPost(username="u", password="p", customer_code="c", webhook_public_key="not a key")


def test_a_configured_url_secret_must_match_as_well_as_the_signature() -> None:
    carrier = VNPost(
        username="u", password="p", customer_code="c", webhook_public_key=PEM.decode(), webhook_token="s3cret"
    )
    with pytest.raises(CarrierError) as refused:
        carrier.parse_webhook(headers={"X-Taybac-Webhook-Token": "wrong"}, body=_webhook(RECORDS))
    assert refused.value.code == "webhook_refused"
    events = carrier.parse_webhook(headers={"x-taybac-webhook-token": "s3cret"}, body=_webhook(RECORDS))
    assert [e.status for e in events] == [TrackingStatus.DELIVERED]


def test_vnpost_is_offered_only_with_all_three_credentials(settings) -> None:
    settings.TAYBAC_GHN_TOKEN = settings.TAYBAC_GHTK_TOKEN = ""
    settings.TAYBAC_VNPOST_USERNAME, settings.TAYBAC_VNPOST_PASSWORD = "hub", "pw"
    settings.TAYBAC_VNPOST_CUSTOMER_CODE = ""
    assert "vnpost" not in carriers.configured()
    settings.TAYBAC_VNPOST_CUSTOMER_CODE = "C000368268"
    settings.TAYBAC_VNPOST_SANDBOX = "1"
    carrier = carriers.configured()["vnpost"]
    assert isinstance(carrier, VNPost) and carrier.client.base_url.startswith("https://my-uat.vnpost.vn/")
