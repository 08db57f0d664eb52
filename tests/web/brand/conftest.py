"""A shop with a story, a photo, an OCOP certificate recorded by its province's officer, a GI and a harvest lot."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from taybac.accounts.models import Role, User
from taybac.catalog import brand, certificates
from taybac.catalog.models import OcopCertificate, Product, Shop
from taybac.traceability.models import Lot
from taybac.traceability.services import record_harvest
from tests.catalog.test_images import jpeg_bytes
from tests.factories import make_product, make_shop, make_user


@dataclass
class BrandWorld:
    shop: Shop
    product: Product
    cert: OcopCertificate
    lot: Lot
    officer: User  # of the shop's province
    stranger_officer: User  # of another province
    operator: User


@pytest.fixture
def bw(db) -> BrandWorld:
    shop = make_shop(name="HTX Chè Suối Giàng", province_code=15)
    owner = shop.producer.owner
    product = make_product(shop=shop, name="Chè Shan tuyết cổ thụ", category_slug="che")
    brand.update_brand(actor=owner, shop=shop, story="Ba đời hái chè cổ thụ.", latitude="21.6", longitude="104.51")
    brand.add_shop_photo(actor=owner, shop=shop, data=jpeg_bytes(900, 600))
    officer = make_user(role=Role.OFFICER, officer_province_id=shop.province_id)
    operator = make_user(role=Role.OPERATOR, is_staff=True)
    cert = certificates.record_ocop_decision(
        actor=officer,
        product=product,
        stars=4,
        number="OCOP-117",
        issued_on=datetime.date(2025, 3, 20),
        expires_on=datetime.date.today() + datetime.timedelta(days=400),
        decision_number="1234/QĐ-UBND",
        decision_date=datetime.date(2025, 3, 18),
        decision_body="UBND tỉnh Lào Cai",
    )
    gi = certificates.register_geographical_indication(
        actor=operator, name="Suối Giàng", product_type="Chè Shan tuyết", province_codes=[shop.province_id]
    )
    certificates.link_geographical_indication(actor=officer, product=product, gi=gi)
    lot = record_harvest(
        actor=owner,
        variant=product.variants.get(),
        harvested_on=datetime.date(2025, 4, 2),
        quantity=40,
        unit="kg",
        certificates=["VietGAP"],
    )
    stranger = make_user(role=Role.OFFICER, officer_province_id=make_shop(name="Hộ B", province_code=8).province_id)
    return BrandWorld(shop, product, cert, lot, officer, stranger, operator)
