"""GHN adapter against answers in GHN's documented shapes (fixtures/ghn, written from the docs): quotes, booking,
cancel, label, tracking, webhooks and their refusals, and what happens when GHN is down or answers nonsense."""

from __future__ import annotations

import datetime
import json

import pytest

from taybac.core.errors import DomainError
from taybac.logistics.carriers.base import Address, CarrierError, Parcel, ShipmentRequest, TrackingStatus
from taybac.logistics.carriers.ghn import GHN, STATUSES, TOKEN_HEADER
from taybac.logistics.carriers.http import Response
from tests.logistics.fixtures.transport import FakeTransport, fixture, ok

SAPA = Address(
    15, 2701, "Hộ Giàng A Páo", "0912345678", "Thôn 1", legacy_district_code="1923", legacy_ward_code="80213"
)
HANOI = Address(
    1, 4, "Nguyễn Thị Lan", "0987654321", "12 Hàng Bạc", legacy_district_code="1442", legacy_ward_code="20109"
)
PARCEL = Parcel(weight_g=1200, value=1_000_000, cod_amount=300_000)


def ghn(transport: FakeTransport, sleeps: list[float] | None = None) -> GHN:
    waits = sleeps if sleeps is not None else []
    return GHN(token="tok-123", shop_id=885, webhook_token="s3cret", transport=transport, sleep=waits.append)


def quoting() -> FakeTransport:
    return (
        FakeTransport()
        .answer("/available-services", ok(fixture("ghn", "available_services.json")))
        .answer("/shipping-order/fee", ok(fixture("ghn", "fee.json")))
        .answer("/leadtime", ok(fixture("ghn", "leadtime.json")))
    )


def test_quote_lists_each_service_with_its_fees_and_delivery_days() -> None:
    transport = quoting()
    quotes = ghn(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert [(q.service, q.service_name) for q in quotes] == [("2", "Hàng nhẹ"), ("5", "Hàng nặng")]
    first = quotes[0]
    assert (first.fee, first.cod_fee, first.insurance_fee, first.surcharge) == (36_300, 3_200, 5_000, 3_000)
    assert first.total == 47_500  # GHN's own total
    assert (first.eta_days_min, first.eta_days_max) == (3, 3)
    fee_call = next(s for s in transport.sent if s.path.endswith("/shipping-order/fee"))
    assert fee_call.headers["Token"] == "tok-123" and fee_call.headers["ShopId"] == "885"
    assert fee_call.payload == {
        "from_district_id": 1923,
        "from_ward_code": "80213",
        "to_district_id": 1442,
        "to_ward_code": "20109",
        "service_id": 53320,
        "service_type_id": 2,
        "weight": 1200,
        "insurance_value": 1_000_000,
        "cod_value": 300_000,
    }


def test_quote_needs_the_legacy_district_and_ward() -> None:
    unmapped = Address(1, 4, legacy_district_code="", legacy_ward_code="")
    with pytest.raises(DomainError) as refused:
        ghn(FakeTransport()).quote(origin=SAPA, destination=unmapped, parcel=PARCEL)
    assert refused.value.code == "address_unmapped"


def test_timeouts_are_retried_with_backoff_then_reported() -> None:
    sleeps: list[float] = []
    transport = FakeTransport().answer("/available-services", TimeoutError(), TimeoutError(), TimeoutError())
    with pytest.raises(CarrierError) as down:
        ghn(transport, sleeps).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert down.value.code == "carrier_unavailable" and "không trả lời kịp sau 3 lần thử" in down.value.message
    assert len(transport.sent) == 3 and sleeps == [0.5, 1.0]


def test_a_5xx_then_success_recovers() -> None:
    transport = quoting().answer(
        "/available-services",
        Response(502, b"Bad Gateway"),
        OSError("reset"),
        ok(fixture("ghn", "available_services.json")),
    )
    assert len(ghn(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)) == 2


def test_a_4xx_is_not_retried_and_shows_ghns_message() -> None:
    transport = FakeTransport().answer("/shipping-order/create", ok(fixture("ghn", "error_400.json"), status=400))
    request = ShipmentRequest("TBACDE3479", "2", SAPA, HANOI, PARCEL)
    with pytest.raises(CarrierError) as refused:
        ghn(transport).create_shipment(request=request)
    assert "Số điện thoại người nhận không hợp lệ" in refused.value.message and len(transport.sent) == 1


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b"<html>502 Bad Gateway</html>", "không phải JSON"),
        (b'{"code": 200, "message": "Success"}', "thiếu trường 'data'"),
        (b'{"code": 200, "data": {"total": [1], "insurance_fee": 0}}', "sai kiểu"),
        (b'{"code": 200, "data": {"total": "abc", "insurance_fee": 0}}', "không hợp lệ"),
        (b'{"code": 200, "data": {"total": -1, "insurance_fee": 0}}', "không hợp lệ"),
        (b'{"code": 200, "data": {"total": 1000, "insurance_fee": 5000}}', "nhỏ hơn"),
        (b"[" * 5000, "không phải JSON"),
    ],
)
def test_nonsense_answers_are_clear_errors(body: bytes, what: str) -> None:
    transport = quoting().answer("/shipping-order/fee", ok(body))
    with pytest.raises(CarrierError) as bad:
        ghn(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert bad.value.code == "carrier_bad_answer" and what in bad.value.message


def test_create_shipment_sends_the_documented_fields() -> None:
    transport = FakeTransport().answer("/shipping-order/create", ok(fixture("ghn", "create.json")))
    shipment = ghn(transport).create_shipment(
        request=ShipmentRequest("TBACDE3479", "2", SAPA, HANOI, PARCEL, content="Chè Shan tuyết")
    )
    assert (shipment.tracking_code, shipment.fee, shipment.sort_code) == ("LBK6PK", 41_300, "190-G-01-A3")
    assert shipment.expected_delivery == datetime.datetime(2025, 12, 9, 16, 59, 59, tzinfo=datetime.UTC)
    sent = transport.sent[0].payload
    assert isinstance(sent, dict)
    assert sent["client_order_code"] == "TBACDE3479" and sent["service_type_id"] == 2
    assert (sent["to_district_id"], sent["to_ward_code"], sent["cod_amount"], sent["weight"]) == (
        1442,
        "20109",
        300_000,
        1200,
    )


def test_cancel_label_and_track() -> None:
    transport = (
        FakeTransport()
        .answer("/switch-status/cancel", ok(fixture("ghn", "cancel.json")), ok(fixture("ghn", "cancel_refused.json")))
        .answer("/a5/gen-token", ok(fixture("ghn", "gen_token.json")))
        .answer("/shipping-order/detail", ok(fixture("ghn", "detail.json")))
    )
    carrier = ghn(transport)
    carrier.cancel(tracking_code="LBK6PK")
    with pytest.raises(CarrierError, match="đã được lấy"):
        carrier.cancel(tracking_code="LBK6PK")
    label = carrier.label(tracking_code="LBK6PK")
    assert label.url == "https://online-gateway.ghn.vn/a5/public-api/printA5?token=b0aa6bb2-5a8a-11ec-ac64-422c37c6de1b"
    events = carrier.track(tracking_code="LBK6PK")
    assert [e.status for e in events] == ["created", "picked_up", "in_transit", "out_for_delivery"]
    assert events[0].reference == "TBACDE3479" and events[-1].at.tzinfo is not None


def test_webhook_status_change_becomes_our_status() -> None:
    body = fixture("ghn", "webhook_switch_status.json")
    (event,) = ghn(FakeTransport()).parse_webhook(headers={TOKEN_HEADER.lower(): "s3cret"}, body=body)
    assert (event.tracking_code, event.status, event.carrier_status) == ("LBK6PK", "out_for_delivery", "delivering")
    assert event.reference == "TBACDE3479" and event.at == datetime.datetime(2025, 12, 8, 0, 30, tzinfo=datetime.UTC)


def test_webhook_updates_without_a_status_change_give_no_event() -> None:
    body = fixture("ghn", "webhook_update_weight.json")
    assert ghn(FakeTransport()).parse_webhook(headers={TOKEN_HEADER: "s3cret"}, body=body) == []


@pytest.mark.parametrize("headers", [{}, {TOKEN_HEADER: "wrong"}, {TOKEN_HEADER: ""}, {"Token": "s3cret"}])
def test_webhook_without_the_secret_is_refused(headers: dict[str, str]) -> None:
    with pytest.raises(CarrierError) as refused:
        ghn(FakeTransport()).parse_webhook(headers=headers, body=fixture("ghn", "webhook_switch_status.json"))
    assert refused.value.code == "webhook_refused"


def test_webhook_refused_when_no_secret_is_configured() -> None:
    carrier = GHN(token="t", shop_id=885, webhook_token="", transport=FakeTransport())
    with pytest.raises(CarrierError):
        carrier.parse_webhook(headers={TOKEN_HEADER: ""}, body=fixture("ghn", "webhook_switch_status.json"))


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"ShopID": 999}, "webhook_refused"),
        ({"Status": "teleported"}, "carrier_bad_answer"),
        ({"Time": "yesterday"}, "carrier_bad_answer"),
        ({"OrderCode": None}, "carrier_bad_answer"),
    ],
)
def test_webhook_with_a_wrong_shop_or_nonsense_is_refused(change: dict[str, object], code: str) -> None:
    payload = json.loads(fixture("ghn", "webhook_switch_status.json")) | change
    with pytest.raises(CarrierError) as refused:
        ghn(FakeTransport()).parse_webhook(headers={TOKEN_HEADER: "s3cret"}, body=json.dumps(payload).encode())
    assert refused.value.code == code


def test_every_documented_ghn_status_maps_to_one_of_ours() -> None:
    documented = """ready_to_pick picking cancel money_collect_picking picked storing transporting sorting delivering
        money_collect_delivering delivered delivery_fail waiting_to_return return return_transporting return_sorting
        returning return_fail returned exception damage lost""".split()
    assert set(STATUSES) == set(documented)
    assert STATUSES["delivered"] is TrackingStatus.DELIVERED and STATUSES["returned"] is TrackingStatus.RETURNED
    assert STATUSES["cancel"] is TrackingStatus.CANCELLED
