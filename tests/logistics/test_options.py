"""Shipping options at checkout (logistics/options.py): the hub's network always, GHN when configured (faked at
its HTTP transport with fixtures in GHN's documented shapes), a carrier that is down, slow or talks nonsense left
out, the COD fee settled on what the courier collects, and the option chosen is what the order records."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from taybac.logistics import addressing
from taybac.logistics.areas import sync_from
from taybac.logistics.carriers.base import Parcel
from taybac.logistics.carriers.ghn import GHN
from taybac.logistics.carriers.http import Response
from taybac.logistics.carriers.hub import HubNetwork
from taybac.logistics.models import RateTable, SenderAddress
from taybac.logistics.options import CarrierOptions
from taybac.orders.checkout import AddressInput, Contact, LineRequest, place_order
from taybac.orders.models import ShopOrder
from taybac.orders.quote import quote_cart
from taybac.orders.shipping import Destination, ShippingUnavailable, ShopParcel, StaleShippingChoice
from taybac.regions.models import Commune
from tests.factories import make_product
from tests.logistics.fixtures.transport import FakeTransport, fixture, ok
from tests.logistics.sender_world import DONG_VAN, Y_TY, settle_sender, shop_in
from tests.logistics.test_areas import ghn_master, write

pytestmark = pytest.mark.django_db
HA_NOI_COMMUNE = 70  # phường Hoàn Kiếm


def ghn_transport() -> FakeTransport:
    return (
        FakeTransport()
        .answer("/available-services", ok(fixture("ghn", "available_services.json")))
        .answer("/shipping-order/fee", ok(fixture("ghn", "fee.json")))
        .answer("/leadtime", ok(fixture("ghn", "leadtime.json")))
    )


def with_ghn(transport, deadline_s: float = 8.0) -> CarrierOptions:
    ghn = GHN(token="t", shop_id=885, transport=transport, sleep=lambda s: None)
    return CarrierOptions(carriers=lambda: {"hub": HubNetwork(), "ghn": ghn}, deadline_s=deadline_s)


@pytest.fixture
def honey(tmp_path: Path):
    """A 1.2 kg jar from a shop in xã Đồng Văn (GHN's codes synced), to a buyer in xã Y Tý."""
    sync_from(carrier="ghn", path=write(tmp_path, ghn_master()))
    shop = settle_sender(shop_in(DONG_VAN))
    return make_product(shop=shop, price=300_000, quantity=50, weight_grams=1200).variants.get()


def to_y_ty():
    return {"delivery_address": AddressInput(Commune.objects.get(pk=Y_TY).province_id, Y_TY, "Thôn Tả Gia Khâu")}


def place(variant, *, provider=None, choices=None, method="vietqr", quantity=1, expected=None):
    return place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, quantity)],
        contact=Contact("Lan", "0912345678"),
        payment_method=method,
        shipping_choices=choices,
        shipping=provider,
        expected_total=expected,
        **to_y_ty(),
    )


def test_the_hub_quote_is_what_checkout_charges_and_records(honey):
    order = place(honey, quantity=2)
    so = order.shop_orders.get()
    (hub,) = HubNetwork().quote(
        origin=addressing.origin_for(shop=honey.shop),
        destination=addressing.address(commune=Commune.objects.select_related("province").get(pk=Y_TY)),
        parcel=Parcel(weight_g=2400, value=600_000),
    )
    assert so.shipping_fee == hub.total and so.total == so.items_total + hub.total
    assert (so.shipping_carrier, so.shipping_service, so.shipping_service_name) == ("hub", "standard", hub.service_name)
    assert (so.shipping_eta_days_min, so.shipping_eta_days_max, so.shipping_cod_fee) == (2, 3, 0)  # in the region


def test_ghn_options_are_offered_beside_the_hub_and_the_chosen_one_is_recorded(honey):
    provider = with_ghn(ghn_transport())
    quote = quote_cart(
        lines=[LineRequest(honey.pk, 1)],
        province_code=Commune.objects.get(pk=Y_TY).province_id,
        commune_code=Y_TY,
        shipping=provider,
    )
    options = quote.shops[0].options
    assert [o.id for o in options] == ["hub:standard", "ghn:2", "ghn:5"]  # the hub first, then by fee
    assert quote.shops[0].chosen.id == "hub:standard"  # the default
    ghn = options[1]
    assert (ghn.fee, ghn.cod_fee, ghn.name, ghn.eta_days_min) == (47_500, 3_200, "GHN Hàng nhẹ", 3)
    chosen = quote_cart(
        lines=[LineRequest(honey.pk, 1)], commune_code=Y_TY, province_code=quote.province.pk,
        shipping_choices={honey.shop_id: "ghn:2"}, shipping=provider,
    )  # fmt: skip
    order = place(honey, provider=provider, choices=chosen.choices, expected=chosen.total)
    so = order.shop_orders.get()
    assert (so.shipping_carrier, so.shipping_service, so.shipping_fee, so.shipping_cod_fee) == (
        "ghn",
        "2",
        47_500,
        3_200,
    )
    assert so.total == chosen.total == 300_000 + 47_500


def test_a_sender_who_has_not_named_the_old_district_is_offered_the_hub_only(honey):
    """GHN would price and route from a guessed district: it waits until the seller answers once."""
    SenderAddress.objects.filter(shop_id=honey.shop_id).delete()
    quote = quote_cart(
        lines=[LineRequest(honey.pk, 1)],
        province_code=Commune.objects.get(pk=Y_TY).province_id,
        commune_code=Y_TY,
        shipping=with_ghn(ghn_transport()),
    )
    assert [o.id for o in quote.shops[0].options] == ["hub:standard"]


def test_a_carrier_that_is_down_slow_or_talks_nonsense_is_left_out(honey):
    parcel = [ShopParcel(shop=honey.shop, weight_grams=1200, items_total=300_000, cash_on_delivery=False)]
    where = Destination(commune=Commune.objects.select_related("province").get(pk=Y_TY))
    down = FakeTransport().answer("/available-services", TimeoutError("timed out"))
    nonsense = ghn_transport().answer("/shipping-order/fee", ok(json.dumps({"code": 200, "data": {"x": 1}}).encode()))

    def slow(**request) -> Response:
        time.sleep(1.5)
        return ok(fixture("ghn", "available_services.json"))

    for transport, deadline in ((down, 8.0), (nonsense, 8.0), (slow, 0.3)):
        started = time.monotonic()
        options = with_ghn(transport, deadline_s=deadline).options(parcels=parcel, destination=where)
        assert [o.id for o in options[honey.shop_id]] == ["hub:standard"]
        assert time.monotonic() - started < 1.2  # the slow carrier is not waited for
    assert len(down.sent) == 3  # GHN's client retried before giving up


def test_a_choice_no_longer_offered_is_refused_and_nothing_is_kept(honey):
    quote = quote_cart(
        lines=[LineRequest(honey.pk, 1)], commune_code=Y_TY, province_code=Commune.objects.get(pk=Y_TY).province_id,
        shipping_choices={honey.shop_id: "ghn:2"}, shipping=with_ghn(ghn_transport()),
    )  # fmt: skip
    assert quote.choices == {honey.shop_id: "ghn:2"}
    down = with_ghn(FakeTransport().answer("/available-services", OSError("refused")))
    with pytest.raises(StaleShippingChoice, match="không còn"):
        place(honey, provider=down, choices=quote.choices, expected=quote.total)
    honey.refresh_from_db()
    assert not ShopOrder.objects.exists() and honey.allocated == 0
    # the quote, unlike checkout, falls back to the default and shows it
    again = quote_cart(
        lines=[LineRequest(honey.pk, 1)], commune_code=Y_TY, province_code=quote.province.pk,
        shipping_choices=quote.choices, shipping=down,
    )  # fmt: skip
    assert again.shops[0].chosen.id == "hub:standard" and again.total != quote.total


def test_cash_on_delivery_fee_is_priced_on_what_the_courier_collects(honey):
    RateTable.objects.filter(is_active=True).update(cod_percent_bp=150, cod_min_fee=5_000)  # 1.5 %, at least 5,000
    cash = quote_cart(
        lines=[LineRequest(honey.pk, 3)], commune_code=Y_TY, province_code=Commune.objects.get(pk=Y_TY).province_id,
        payment_method="cod",
    )  # fmt: skip
    transfer = quote_cart(lines=[LineRequest(honey.pk, 3)], commune_code=Y_TY, province_code=cash.province.pk)
    hub_cash, hub_transfer = cash.shops[0].chosen, transfer.shops[0].chosen
    assert hub_transfer.cod_fee == 0 and hub_cash.fee == hub_transfer.fee + hub_cash.cod_fee
    collected = 900_000 + hub_cash.fee  # the shop order's total: items + delivery, the COD fee included
    assert hub_cash.cod_fee == -(-collected * 150 // 10_000)  # settled: 1.5 % of the total it is part of
    order = place(honey, method="cod", quantity=3, expected=cash.total)
    so = order.shop_orders.get()
    assert (so.shipping_fee, so.shipping_cod_fee, so.total) == (hub_cash.fee, hub_cash.cod_fee, collected)


def test_when_even_the_hubs_network_cannot_price_checkout_says_so_in_vietnamese(honey):
    RateTable.objects.update(is_active=False)
    with pytest.raises(ShippingUnavailable, match="Chưa tính được phí giao hàng cho HTX Chè Đồng Văn"):
        quote_cart(lines=[LineRequest(honey.pk, 1)], commune_code=HA_NOI_COMMUNE, province_code=1)
    with pytest.raises(ShippingUnavailable):
        place(honey)
    honey.refresh_from_db()
    assert not ShopOrder.objects.exists() and honey.allocated == 0
