"""A lot with a whole story: fresh leaves harvested, dried into a new lot, packed, inspected, sold and delivered."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from taybac.accounts.models import Producer
from taybac.catalog.services import create_shop, set_ocop_certificate
from taybac.fulfilment.services import deliver_shop_order, pack_shop_order, ship_shop_order
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from taybac.traceability.order_steps import record_order_step
from taybac.traceability.services import (
    record_harvest,
    record_inspection,
    record_packing,
    record_processing,
)
from tests.factories import make_producer, make_product

TODAY = datetime.date.today()


def sell_and_deliver(variant, lot, owner, quantity=2):
    """An order of `quantity` of the lot: shipped, received at a commune post office, delivered."""
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, quantity)],
        contact=Contact("Lan", "0912345678"),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    shop_order = order.shop_orders.get()
    pack_shop_order(actor=owner, shop_order=shop_order)
    ship_shop_order(actor=owner, shop_order=shop_order, lots={shop_order.lines.get().pk: lot.pk})
    point = PickupPoint.objects.filter(code="BD-HANGBAC").first() or PickupPoint.objects.create(
        code="BD-HANGBAC",
        name="Bưu điện Hàng Bạc",
        address=create_address(province_code=1, commune_code=70, street="1 Hàng Bạc"),
    )
    with transaction.atomic():  # record_order_step runs inside its caller's transaction
        record_order_step(shop_order=shop_order, step="receiving", actor=None, pickup_point=point)
    deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    return shop_order


@pytest.fixture
def story(db):
    """A cooperative in Lào Cai: leaves (GPS, VietGAP) → dried tea (OCOP 4★) → 3 cartons → inspected → sold."""
    producer = make_producer(name="HTX Chè Shan tuyết Suối Giàng", province_code=15, kind=Producer.Kind.COOPERATIVE)
    owner = producer.owner
    shop = create_shop(actor=owner, producer=producer, name="HTX Chè Shan tuyết Suối Giàng")
    leaves_variant = make_product(shop=shop, name="Chè búp tươi", category_slug="che", unit="kg").variants.get()
    tea = make_product(shop=shop, name="Chè Shan tuyết sao tay", category_slug="che", unit="gói", quantity=20)
    tea_variant = tea.variants.get()
    set_ocop_certificate(
        actor=owner,
        product=tea,
        stars=4,
        issuer="UBND tỉnh Lào Cai",
        number="312/QĐ-UBND",
        issued_on=TODAY - datetime.timedelta(days=100),
        expires_on=TODAY + datetime.timedelta(days=900),
    )
    leaves = record_harvest(
        actor=owner,
        variant=leaves_variant,
        harvested_on=TODAY - datetime.timedelta(days=6),
        quantity=120,
        unit="kg",
        latitude="22.33640",
        longitude="103.84380",
        practices="Chè cổ thụ, không phun thuốc, hái một tôm hai lá.",
        certificates=["VietGAP số 12/2026/VG"],
        code="LA-0601",
    )
    dried = record_processing(
        actor=owner,
        inputs=[(leaves, 120)],
        variant=tea_variant,
        quantity=60,
        unit="gói",
        produced_on=TODAY - datetime.timedelta(days=5),
        practices="Sao tay trên chảo gang.",
        code="SAY-0601",
    )
    record_packing(actor=owner, lot=dried, cartons=3, per_carton=20)
    record_inspection(
        actor=owner,
        lot=dried,
        passed=True,
        inspector="Trung tâm Kiểm nghiệm Lào Cai",
        note="Không phát hiện dư lượng thuốc bảo vệ thực vật.",
    )
    sell_and_deliver(tea_variant, dried, owner)
    return {
        "owner": owner,
        "producer": producer,
        "shop": shop,
        "tea": tea,
        "tea_variant": tea_variant,
        "leaves": leaves,
        "dried": dried,
        "leaves_variant": leaves_variant,
    }
