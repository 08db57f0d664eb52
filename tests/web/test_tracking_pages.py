"""The parcel's journey on the buyer's order page and in the seller centre (templates/web/shipping/_tracking.html)."""

from __future__ import annotations

import html

import pytest

from taybac.fulfilment.tracking import apply_shipment_events
from taybac.logistics.models_shipping import ShipmentEvent
from taybac.web.order_links import order_url
from tests.fulfilment.tracking_world import booked, event, packed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_order():
    shop_order = packed_order()
    shipment = booked(shop_order, code="LBK6PK")
    apply_shipment_events(
        shipment=shipment,
        events=[event("picked_up", 10, text="Đã lấy hàng tại Sa Pa"), event("failed", 900, text="Khách hẹn lại")],
        source=ShipmentEvent.Source.WEBHOOK,
    )
    shop_order.refresh_from_db()
    return shop_order


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_buyer_sees_the_carrier_code_link_and_each_event_in_vietnamese(client, shop_order):
    page = text(client.get(order_url(shop_order.order.code)))
    assert "Hành trình đơn hàng" in page and "Giao Hàng Nhanh (GHN)" in page and "LBK6PK" in page
    assert 'href="https://donhang.ghn.vn/?order_code=LBK6PK"' in page
    assert "Hiện tại: <b>Giao không thành công</b>" in page
    # newest first, in Vietnam time (UTC+7)
    assert page.index("Khách hẹn lại") < page.index("Đã lấy hàng tại Sa Pa")
    assert "06:00 09/12/2025" in page and "15:10 08/12/2025" in page


def test_the_seller_sees_it_folded_in_the_order_list(client, shop_order):
    client.force_login(shop_order.shop.producer.owner)
    page = text(client.get("/ban-hang/don-hang/"))
    assert '<summary>Giao Hàng Nhanh (GHN) · <b class="nw">LBK6PK</b> · Giao không thành công</summary>' in page
    assert "Khách hẹn lại" in page


def test_an_order_never_booked_shows_no_journey(client):
    shop_order = packed_order(with_lot=False)
    assert "Hành trình đơn hàng" not in text(client.get(order_url(shop_order.order.code)))
