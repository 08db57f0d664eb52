"""GHTK adapter against answers in GHTK's documented shapes (fixtures/ghtk, written from the docs)."""

from __future__ import annotations

import datetime
import json

import pytest

from taybac.core.errors import DomainError
from taybac.logistics.carriers.base import Address, CarrierError, Parcel, ShipmentRequest
from taybac.logistics.carriers.ghtk import GHTK, STATUSES, TOKEN_HEADER
from taybac.logistics.carriers.http import Response
from tests.logistics.fixtures.transport import FakeTransport, fixture, ok

SAPA = Address(
    15, 2701, "Hộ Giàng A Páo", "0912345678", "Thôn 1", province_name="Lào Cai", district_name="Thị xã Sa Pa"
)
HANOI = Address(
    1, 4, "Nguyễn Thị Lan", "0987654321", "12 Hàng Bạc", province_name="Hà Nội", district_name="Quận Hoàn Kiếm"
)
PARCEL = Parcel(weight_g=1200, value=1_000_000, cod_amount=300_000)


def ghtk(transport: FakeTransport, sleeps: list[float] | None = None) -> GHTK:
    waits = sleeps if sleeps is not None else []
    return GHTK(token="tok-9", client_source="S123", webhook_token="hush", transport=transport, sleep=waits.append)


def test_quote_offers_the_means_ghtk_delivers_by() -> None:
    transport = FakeTransport().answer(
        "/services/shipment/fee", ok(fixture("ghtk", "fee_road.json")), ok(fixture("ghtk", "fee_fly_unavailable.json"))
    )
    (road,) = ghtk(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert (road.service, road.fee, road.insurance_fee, road.total) == ("road", 32_000, 5_000, 37_000)
    first = transport.sent[0]
    assert first.method == "GET" and first.headers["Token"] == "tok-9" and first.headers["X-Client-Source"] == "S123"
    assert "pick_district=Th%E1%BB%8B+x%C3%A3+Sa+Pa" in first.query and "weight=1200" in first.query


def test_quote_needs_legacy_names_and_says_when_nothing_delivers() -> None:
    with pytest.raises(DomainError) as unmapped:
        ghtk(FakeTransport()).quote(origin=SAPA, destination=Address(1, 4), parcel=PARCEL)
    assert unmapped.value.code == "address_unmapped"
    transport = FakeTransport().answer("/services/shipment/fee", ok(fixture("ghtk", "fee_fly_unavailable.json")))
    with pytest.raises(CarrierError, match="không giao tới"):
        ghtk(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)


def test_down_then_refusal_then_nonsense() -> None:
    sleeps: list[float] = []
    transport = FakeTransport().answer("/services/shipment/fee", Response(503, b""), OSError("refused"), TimeoutError())
    with pytest.raises(CarrierError) as down:
        ghtk(transport, sleeps).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
    assert down.value.code == "carrier_unavailable" and sleeps == [0.5, 1.0]

    transport = FakeTransport().answer("/services/shipment/cancel/S1.A1.17373471", ok(fixture("ghtk", "refused.json")))
    with pytest.raises(CarrierError, match="không thể hủy"):
        ghtk(transport).cancel(tracking_code="S1.A1.17373471")

    for body in (b"null", b'{"success": "yes"}', b'{"success": true, "fee": {"fee": "1e9", "delivery": true}}'):
        transport = FakeTransport().answer("/services/shipment/fee", ok(body))
        with pytest.raises(CarrierError) as bad:
            ghtk(transport).quote(origin=SAPA, destination=HANOI, parcel=PARCEL)
        assert bad.value.code == "carrier_bad_answer"


@pytest.mark.parametrize("answer", ["order.json", "order_numbers.json"])
def test_create_shipment(answer: str) -> None:
    transport = FakeTransport().answer("/services/shipment/order", ok(fixture("ghtk", answer)))
    shipment = ghtk(transport).create_shipment(request=ShipmentRequest("TBACDE3479", "road", SAPA, HANOI, PARCEL))
    assert (shipment.tracking_code, shipment.fee) == ("S1.A1.17373471", 37_000)
    sent = transport.sent[0]
    assert sent.query == "ver=1.5" and isinstance(sent.payload, dict)
    order = sent.payload["order"]
    assert (order["id"], order["pick_money"], order["district"], order["transport"]) == (
        "TBACDE3479",
        300_000,
        "Quận Hoàn Kiếm",
        "road",
    )
    assert sent.payload["products"][0]["weight"] == 1.2
    with pytest.raises(DomainError):
        ghtk(transport).create_shipment(request=ShipmentRequest("TBACDE3479", "teleport", SAPA, HANOI, PARCEL))


def test_label_track_cancel() -> None:
    transport = (
        FakeTransport()
        .answer(
            "/services/label/S1.A1.17373471", ok(fixture("ghtk", "label.pdf")), ok(fixture("ghtk", "refused.json"), 400)
        )
        .answer("/services/shipment/v2/S1.A1.17373471", ok(fixture("ghtk", "status.json")))
        .answer("/services/shipment/cancel/S1.A1.17373471", ok(fixture("ghtk", "success.json")))
    )
    carrier = ghtk(transport)
    assert carrier.label(tracking_code="S1.A1.17373471").content.startswith(b"%PDF")
    with pytest.raises(CarrierError, match="từ chối"):
        carrier.label(tracking_code="S1.A1.17373471")
    (event,) = carrier.track(tracking_code="S1.A1.17373471")
    assert (event.status, event.reference) == ("out_for_delivery", "TBACDE3479")
    assert event.at == datetime.datetime(2025, 12, 8, 1, 12, tzinfo=datetime.UTC)
    carrier.cancel(tracking_code="S1.A1.17373471")


def test_webhook() -> None:
    (event,) = ghtk(FakeTransport()).parse_webhook(headers={TOKEN_HEADER: "hush"}, body=fixture("ghtk", "webhook.json"))
    assert (event.tracking_code, event.status, event.carrier_status) == ("S1.A1.17373471", "delivered", "5")
    assert event.at == datetime.datetime(2025, 12, 8, 8, 18, 39, tzinfo=datetime.UTC)
    for headers in ({}, {TOKEN_HEADER: "hus"}, {TOKEN_HEADER: "hush "}):
        with pytest.raises(CarrierError) as refused:
            ghtk(FakeTransport()).parse_webhook(headers=headers, body=fixture("ghtk", "webhook.json"))
        assert refused.value.code == "webhook_refused"
    for change in ({"status_id": 77}, {"status_id": "5"}, {"action_time": "soon"}, {"label_id": 5}):
        body = json.dumps(json.loads(fixture("ghtk", "webhook.json")) | change).encode()
        with pytest.raises(CarrierError):
            ghtk(FakeTransport()).parse_webhook(headers={TOKEN_HEADER: "hush"}, body=body)


def test_every_documented_status_id_is_mapped() -> None:
    documented = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 20, 21, 123, 127, 128, 45, 49, 410}
    assert set(STATUSES) == documented
