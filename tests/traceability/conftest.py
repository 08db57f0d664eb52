"""A small tea history shared by the log tests: six leaves, one checkpoint per recording."""
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
    c = record_processing(actor=owner, inputs=[(a, 80), (b, 60)], variant=dried, quantity=30, unit="kg",
                          produced_on=today, code="C-1")
    return a, b, c
