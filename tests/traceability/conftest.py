"""Shared traceability fixtures: a small tea history for the log tests, two sellers for the capture-scope tests."""

from __future__ import annotations

import datetime

import pytest

from taybac.traceability.services import record_harvest, record_inspection, record_packing, record_processing
from tests import factories


@pytest.fixture
def tea_history(shop):
    """Lot A (harvest 0, inspection 2, cartons 3-4, input of C), lot B (harvest 1, input of C), lot C (processed, 5)."""
    owner, today = shop.producer.owner, datetime.date.today()
    tea = factories.make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", unit="kg").variants.get()
    dried = factories.make_product(shop=shop, name="Chè sấy", category_slug="che").variants.get()
    a = record_harvest(actor=owner, variant=tea, harvested_on=today, quantity=100, unit="kg", code="A-1")
    b = record_harvest(actor=owner, variant=tea, harvested_on=today, quantity=60, unit="kg", code="B-1")
    record_inspection(actor=owner, lot=a, passed=True, inspector="HTX Suối Giàng")
    record_packing(actor=owner, lot=a, cartons=2, per_carton=10)
    c = record_processing(
        actor=owner, inputs=[(a, 80), (b, 60)], variant=dried, quantity=30, unit="kg", produced_on=today, code="C-1"
    )
    return a, b, c


@pytest.fixture
def two_sellers(db):
    """Seller A (a tea cooperative: a harvested lot, packed into 2 cartons, its shop's GLN), seller B (a new
    household with one product of its own), A's helper Lan under a live delegation, and a post office's GLN."""
    from types import SimpleNamespace

    from taybac.accounts.models import Producer, Role
    from taybac.accounts.services import grant_delegation
    from taybac.regions.models import PickupPoint
    from taybac.regions.services import create_address
    from taybac.traceability import keys

    a = factories.make_shop(name="HTX Chè Shan tuyết Suối Giàng", province_code=15)
    Producer.objects.filter(pk=a.producer.pk).update(kind=Producer.Kind.COOPERATIVE)
    b = factories.make_shop(name="Hộ Vàng A Dình", province_code=8)
    tea = factories.make_product(shop=a, name="Chè Shan tuyết", category_slug="che", unit="kg").variants.get()
    honey = factories.make_product(shop=b, name="Mật ong bạc hà").variants.get()
    lot = record_harvest(
        actor=a.producer.owner, variant=tea, harvested_on=datetime.date.today(), quantity=100, unit="kg", code="A-1"
    )
    ssccs = record_packing(actor=a.producer.owner, lot=lot, cartons=2, per_carton=10)
    helper = factories.make_user(role=Role.HELPER, full_name="Lò Thị Lan")
    delegation = grant_delegation(producer=a.producer, delegate=helper, granted_by=a.producer.owner)
    point = PickupPoint.objects.create(
        code="BD-SUOIGIANG",
        name="Bưu điện xã Suối Giàng",
        address=create_address(province_code=15, commune_code=a.commune_id, street="Trung tâm xã"),
    )
    return SimpleNamespace(
        a=a,
        b=b,
        tea=tea,
        honey=honey,
        lot=lot,
        ssccs=ssccs,
        helper=helper,
        delegation=delegation,
        a_gln=keys.shop_location(a).gln,
        b_gln=keys.shop_location(b).gln,
        post_gln=keys.pickup_location(point).gln,
        point=point,
    )
