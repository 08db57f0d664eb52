"""orders/shipping.py: the provider logistics registers, which option applies (the buyer's, else the hub
network's cheapest), bounded choices, idempotent replays that include the choices, and — over random carts,
destinations, payment methods and choices among the hub's and GHN's options — the figures quoted are the
figures charged and recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taybac.core.errors import DomainError
from taybac.logistics.options import CarrierOptions
from taybac.orders.checkout import AddressInput, Contact, LineRequest, place
from taybac.orders.idempotency import IdempotencyKeyReused
from taybac.orders.quote import quote_cart
from taybac.orders.shipping import (
    ShippingOption,
    StaleShippingChoice,
    choose,
    default_option,
    provider,
    validate_choices,
)
from taybac.regions.models import Commune, PickupPoint
from taybac.regions.services import create_address
from tests.factories import make_product
from tests.logistics.fixtures.transport import FakeTransport
from tests.logistics.sender_world import DONG_VAN, Y_TY, settle_sender, shop_in
from tests.logistics.test_areas import ghn_master, write
from tests.logistics.test_options import ghn_transport, with_ghn

pytestmark = pytest.mark.django_db
LAO_CAI = 15
HOME = AddressInput(LAO_CAI, Y_TY, "Thôn Tả Gia Khâu")


def option(carrier: str, service: str, fee: int, eta_max: int = 3) -> ShippingOption:
    return ShippingOption(carrier, carrier.upper(), service, f"{carrier} {service}", fee, 0, 1, eta_max)


def test_logistics_registers_the_carriers_provider():
    assert isinstance(provider(), CarrierOptions)


def test_the_default_is_the_hub_networks_cheapest_and_a_choice_applies_while_offered():
    offered = [option("ghn", "2", 20_000), option("hub", "express", 40_000), option("hub", "standard", 30_000)]
    assert default_option(options=offered).id == "hub:standard"  # the hub's cheapest, not the cheapest overall
    assert choose(options=offered, choice="ghn:2", strict=True).id == "ghn:2"
    assert choose(options=offered, choice="ghtk:road", strict=False).id == "hub:standard"
    with pytest.raises(StaleShippingChoice) as stale:
        choose(options=offered, choice="ghtk:road", strict=True, shop_name="HTX Chè")
    assert stale.value.code == "conflict" and "cho HTX Chè không còn" in stale.value.message
    assert option("hub", "standard", 1, eta_max=1).eta == "1 ngày" and offered[0].eta == "1–3 ngày"


@pytest.mark.parametrize(
    "choices",
    [
        {1: "hub"},
        {1: "x" * 65 + ":a"},
        {True: "hub:standard"},
        {"1": "hub:standard"},
        dict.fromkeys(range(51), "hub:a"),
    ],
)
def test_malformed_or_too_many_choices_are_refused(choices):
    with pytest.raises(DomainError) as refused:
        validate_choices(choices=choices)
    assert refused.value.field == "shipping_choices"


@pytest.fixture
def world(tmp_path: Path):
    """Two shops (one in xã Đồng Văn, whose GHN codes are synced; one elsewhere in Lào Cai, whose are not: the hub
    alone), products 300 g to 2.6 kg, and a post office in xã Y Tý, where the buyers are."""
    from taybac.logistics.areas import sync_from

    sync_from(carrier="ghn", path=write(tmp_path, ghn_master()))
    elsewhere = Commune.objects.filter(province_id=LAO_CAI).exclude(pk=Y_TY).order_by("code").first()
    shops = [settle_sender(shop_in(DONG_VAN)), settle_sender(shop_in(elsewhere.pk, "Hộ A"))]
    variants = [
        make_product(
            shop=shop, name=f"Sản phẩm {i}-{j}", price=45_000 * (i + j + 1), quantity=500, weight_grams=g
        ).variants.get()
        for i, shop in enumerate(shops)
        for j, g in enumerate((300 + 900 * i, 1_100 + 1_500 * i))
    ]
    address = create_address(province_code=LAO_CAI, commune_code=Y_TY, street="Trung tâm xã")
    PickupPoint.objects.create(code="BD-YT", name="Bưu điện Y Tý", address=address)
    return variants


def test_a_replay_keeps_working_and_the_key_is_bound_to_the_choices(world):
    lines = [LineRequest(world[0].pk, 1)]
    common = {"buyer": None, "lines": lines, "contact": Contact("Lan", "0912345678"), "payment_method": "vietqr"}
    where = {"delivery_address": HOME, "idempotency_key": "k-1"}
    first = place(**common, **where, shipping_choices={world[0].shop_id: "ghn:2"}, shipping=with_ghn(ghn_transport()))
    assert first.order.shop_orders.get().shipping_carrier == "ghn"
    down = with_ghn(FakeTransport().answer("/available-services", TimeoutError()))
    again = place(**common, **where, shipping_choices={world[0].shop_id: "ghn:2"}, shipping=down)
    assert again.replayed and again.order == first.order  # a replay asks no carrier, so GHN being down is fine
    with pytest.raises(IdempotencyKeyReused):
        place(**common, **where, shipping_choices={world[0].shop_id: "hub:standard"}, shipping=down)


carts = st.dictionaries(st.integers(min_value=0, max_value=3), st.integers(min_value=1, max_value=6), min_size=1)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cart=carts, pickup=st.booleans(), cash=st.booleans(), picks=st.lists(st.integers(0, 2), min_size=2, max_size=2))
def test_quoted_options_are_what_the_order_charges_and_records(world, cart, pickup, cash, picks):
    lines = [LineRequest(world[i].pk, quantity) for i, quantity in sorted(cart.items())]
    where = {"pickup_point": "BD-YT"} if pickup else {"province_code": LAO_CAI, "commune_code": Y_TY}
    method = "cod" if cash else "vietqr"
    provider = with_ghn(ghn_transport())
    offered = quote_cart(lines=lines, payment_method=method, shipping=provider, **where)
    by_shop = {s.shop_id: [o.id for o in s.options] for s in offered.shops}
    if world[0].shop_id in by_shop:  # the Đồng Văn shop is offered GHN's services too; the other the hub alone
        assert by_shop[world[0].shop_id] == ["hub:standard", "ghn:2", "ghn:5"]
    if world[2].shop_id in by_shop:
        assert by_shop[world[2].shop_id] == ["hub:standard"]
    choices = {s.shop_id: s.options[pick % len(s.options)].id for s, pick in zip(offered.shops, picks, strict=False)}
    quote = quote_cart(lines=lines, payment_method=method, shipping=provider, shipping_choices=choices, **where)
    assert quote.choices == choices
    sid = transaction.savepoint()
    try:
        destination = {"pickup_point": "BD-YT"} if pickup else {"delivery_address": HOME}
        order = place(
            buyer=None,
            lines=lines,
            contact=Contact("Lan", "0912345678"),
            payment_method=method,
            shipping_choices=quote.choices,
            shipping=provider,
            expected_total=quote.total,
            **destination,
        ).order
        recorded = {
            so.shop_id: (f"{so.shipping_carrier}:{so.shipping_service}", so.shipping_fee, so.shipping_cod_fee, so.total)
            for so in order.shop_orders.all()
        }
        quoted = {s.shop_id: (s.chosen.id, s.chosen.fee, s.chosen.cod_fee, s.total) for s in quote.shops}
        assert recorded == quoted
        assert sum(so.total for so in order.shop_orders.all()) == quote.total
    finally:
        transaction.savepoint_rollback(sid)
