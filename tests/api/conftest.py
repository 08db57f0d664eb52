"""A small catalogue in three provinces, built through the real services, for the API tests."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.test import Client
from PIL import Image

from taybac.catalog.models import Product, Shop
from taybac.catalog.services import add_photo, add_variant, set_ocop_certificate
from tests import factories


@dataclass
class Catalog:
    honey_shop: Shop  # Lào Cai (15)
    tea_shop: Shop  # Tuyên Quang (8)
    fruit_shop: Shop  # Sơn La (14)
    honey: Product  # two variants, OCOP 4 stars, one photo
    tea: Product
    plums: Product  # in season May–July, pre-order allowed
    rice: Product  # Sơn La, rice and grains


def jpeg_bytes(width: int = 700, height: int = 500) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (180, 140, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def api_client() -> Client:
    return Client()


@pytest.fixture
def catalog(db) -> Catalog:
    honey_shop = factories.make_shop(name="Hộ Giàng A Páo", province_code=15)
    tea_shop = factories.make_shop(name="HTX Chè Shan tuyết Hà Giang", province_code=8)
    fruit_shop = factories.make_shop(name="HTX Mận hậu Mộc Châu", province_code=14)
    honey = factories.make_product(
        shop=honey_shop,
        name="Mật ong bạc hà",
        category_slug="mat-ong",
        price=350_000,
        quantity=12,
        weight_grams=500,
        description="Mật ong <b>bạc hà</b> Mèo Vạc.<script>alert(1)</script>",
    )
    owner = honey_shop.producer.owner
    add_variant(
        actor=owner, product=honey, name="Chai 1 lít", unit="chai", weight_grams=1400, price=650_000, quantity=4
    )
    today = datetime.date.today()
    set_ocop_certificate(
        actor=owner,
        product=honey,
        stars=4,
        issuer="UBND tỉnh Lào Cai",
        number="OCOP-4-001",
        issued_on=today - datetime.timedelta(days=100),
        expires_on=today + datetime.timedelta(days=900),
    )
    add_photo(actor=owner, product=honey, data=jpeg_bytes(), alt="Hũ mật ong")
    tea = factories.make_product(
        shop=tea_shop, name="Chè Shan tuyết cổ thụ", category_slug="che", price=220_000, weight_grams=200, unit="gói"
    )
    plums = factories.make_product(
        shop=fruit_shop,
        name="Mận hậu Mộc Châu",
        category_slug="trai-cay",
        price=60_000,
        weight_grams=1000,
        unit="kg",
        season_months=[5, 6, 7],
        preorder_allowed=True,
        next_harvest=today + datetime.timedelta(days=60),
    )
    rice = factories.make_product(
        shop=fruit_shop, name="Gạo nếp Tú Lệ", category_slug="gao-ngu-coc", price=45_000, weight_grams=1000, unit="kg"
    )
    return Catalog(honey_shop, tea_shop, fruit_shop, honey, tea, plums, rice)


def assert_error(response, status: int, code: str) -> dict:
    """Every API error has the same envelope."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.fixture
def make_capture_key(db):
    """Creates a partner's EPCIS capture key and returns its bearer token (`Authorization: Bearer <token>`).

    `make_capture_key(producer, ...)` limits it to those producers; `make_capture_key()` is an all-producers key.
    """
    from taybac.traceability import capture_keys

    def make(*producers, name: str = "Hệ thống đối tác thử") -> str:
        return capture_keys.create(name=name, producers=list(producers), all_producers=not producers).token

    return make


@pytest.fixture
def capture_token(make_capture_key) -> str:
    """An all-producers capture key's token: what a TAYBAC_EPCIS_CAPTURE_KEYS key used to be."""
    return make_capture_key(name="Hệ thống nội bộ")
