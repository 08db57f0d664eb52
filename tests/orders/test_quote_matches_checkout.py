"""The quote a buyer sees before placing an order (orders.quote.quote_cart) is what the order charges: the same
fee per shop and the same grand total, for home delivery and for collection at a post office, over random carts
(shops in several provinces, weights across kilogram steps, quantities) and destinations."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taybac.core.errors import DomainError
from taybac.orders.checkout import AddressInput, Contact, LineRequest, TotalChanged, place_order
from taybac.orders.models import ShopOrder
from taybac.orders.quote import quote_cart
from taybac.orders.shipping import ZoneWeightRates
from taybac.regions.models import Commune, PickupPoint
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db
SHOP_PROVINCES = (15, 14, 1)  # two in the region and Hà Nội
DESTINATIONS = (1, 15, 14, 79)  # Hà Nội, in-region provinces, Hồ Chí Minh City (nationwide)


@pytest.fixture
def world(db):
    """Three shops with two products each (weights 300 g to 2.6 kg), and a post office in each destination."""
    variants = []
    for i, code in enumerate(SHOP_PROVINCES):
        shop = make_shop(name=f"Gian hàng {i}", province_code=code)
        for j, grams in enumerate((300 + 700 * i, 1_100 + 750 * i)):
            product = make_product(
                shop=shop, name=f"Sản phẩm {i}-{j}", price=45_000 * (i + j + 1), quantity=500, weight_grams=grams
            )
            variants.append(product.variants.get())
    points = {}
    for code in DESTINATIONS:
        commune = Commune.objects.filter(province_id=code).order_by("code").first()
        address = create_address(province_code=code, commune_code=commune.code, street="Bưu điện")
        points[code] = PickupPoint.objects.create(
            code=f"BD-{code}", name=f"Bưu điện {commune.name}", address=address, opening_hours="7:00–17:00"
        )
    return variants, points


carts = st.dictionaries(st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=7), min_size=1)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cart=carts, destination=st.sampled_from(DESTINATIONS), pickup=st.booleans(), cash=st.booleans())
def test_quoted_fees_and_total_are_what_the_order_charges(world, cart, destination, pickup, cash):
    variants, points = world
    lines = [LineRequest(variants[i].pk, quantity) for i, quantity in sorted(cart.items())]
    method = "cod" if cash else "vietqr"
    sid = transaction.savepoint()
    try:
        if pickup:
            quote = quote_cart(lines=lines, pickup_point=points[destination].code, payment_method=method)
            where = {"pickup_point": points[destination].code}
        else:
            commune = Commune.objects.filter(province_id=destination).order_by("code").first()
            quote = quote_cart(lines=lines, province_code=destination, commune_code=commune.code, payment_method=method)
            where = {"delivery_address": AddressInput(destination, commune.code, "12 Hàng Bạc")}
        assert quote.total is not None and quote.province.pk == destination
        order = place_order(
            buyer=None,
            lines=lines,
            contact=Contact("Lan", "0912345678"),
            payment_method=method,
            shipping_choices=quote.choices,
            expected_total=quote.total,
            **where,
        )
        charged = {so.shop_id: (so.items_total, so.shipping_fee, so.total) for so in order.shop_orders.all()}
        quoted = {s.shop_id: (s.items_total, s.shipping_fee, s.total) for s in quote.shops}
        assert charged == quoted
        assert sum(total for *_, total in charged.values()) == quote.total
        assert quote.shipping_total == sum(fee for _, fee, _ in charged.values())
    finally:
        transaction.savepoint_rollback(sid)


def test_pickup_and_home_delivery_in_the_same_province_cost_the_same(world):
    variants, points = world
    lines = [LineRequest(variants[0].pk, 2), LineRequest(variants[3].pk, 1)]
    commune = points[15].address.commune_id
    home = quote_cart(lines=lines, province_code=15, commune_code=commune)
    office = quote_cart(lines=lines, pickup_point=points[15].code)
    assert [s.shipping_fee for s in home.shops] == [s.shipping_fee for s in office.shops]
    assert office.pickup_point == points[15] and home.pickup_point is None


def test_the_default_fee_is_the_hub_networks_seeded_zone_fee(world):
    """With the seeded rate table the hub's network charges the zone/weight fee: a shop in Lào Cai (15)
    sending 2 × 300 g to Hồ Chí Minh City pays the nationwide first kilogram."""
    variants, points = world
    quote = quote_cart(lines=[LineRequest(variants[0].pk, 2)], pickup_point=points[79].code)
    expected = ZoneWeightRates().fee(from_province=15, to_province=79, to_in_region=False, weight_grams=600)
    assert quote.shops[0].shipping_fee == expected == ZoneWeightRates().nationwide[0]
    assert quote.shops[0].chosen.id == "hub:standard" and quote.choices == {variants[0].shop_id: "hub:standard"}


def test_a_post_office_outside_the_province_or_closed_is_refused(world):
    variants, points = world
    lines = [LineRequest(variants[0].pk, 1)]
    with pytest.raises(DomainError, match="không thuộc tỉnh"):
        quote_cart(lines=lines, province_code=1, pickup_point=points[15].code)
    PickupPoint.objects.filter(pk=points[14].pk).update(is_active=False)
    with pytest.raises(DomainError) as refused:
        quote_cart(lines=lines, pickup_point=points[14].code)
    assert refused.value.code == "not_found"


def test_an_order_that_would_charge_another_total_is_refused_and_leaves_nothing(world):
    variants, _ = world
    lines = [LineRequest(variants[0].pk, 1)]
    quote = quote_cart(lines=lines, province_code=15, commune_code=Commune.objects.filter(province_id=15).first().pk)
    with pytest.raises(TotalChanged, match="Tổng tiền vừa thay đổi"):
        place_order(
            buyer=None,
            lines=lines,
            contact=Contact("Lan", "0912345678"),
            payment_method="vietqr",
            delivery_address=AddressInput(1, 70, "12 Hàng Bạc"),  # but sent to Hà Nội: another fee
            expected_total=quote.total,
        )
    assert not ShopOrder.objects.exists()
    variants[0].refresh_from_db()
    assert variants[0].allocated == 0
