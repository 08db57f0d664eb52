"""A small catalogue covering the search examples: Lào Cai (old Yên Bái) and Tuyên Quang (old Hà Giang)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from taybac.catalog.models import Product, Shop
from taybac.search.services import search_products
from tests.factories import make_product, make_shop

LAO_CAI, TUYEN_QUANG, SON_LA = 15, 8, 14


@dataclass
class Catalogue:
    tea_shop: Shop
    honey_shop: Shop
    son_la_shop: Shop
    shan_tuyet: Product
    honey: Product
    sugar: Product
    jackfruit: Product
    son_la_honey: Product


@pytest.fixture
def catalogue(db) -> Catalogue:
    tea_shop = make_shop(name="Hợp tác xã Chè Suối Giàng", province_code=LAO_CAI)
    honey_shop = make_shop(name="Hộ Vàng Seo Chứ", province_code=TUYEN_QUANG)
    son_la_shop = make_shop(name="HTX Nông sản Mộc Châu", province_code=SON_LA)
    return Catalogue(
        tea_shop=tea_shop,
        honey_shop=honey_shop,
        son_la_shop=son_la_shop,
        shan_tuyet=make_product(
            shop=tea_shop,
            name="Chè Shan tuyết cổ thụ",
            category_slug="che",
            price=450_000,
            description="<p>Búp chè hái từ cây cổ thụ trên núi.</p>",
        ),
        honey=make_product(
            shop=honey_shop,
            name="Mật ong bạc hà",
            category_slug="mat-ong",
            price=350_000,
            description="<p>Ong lấy mật từ hoa bạc hà trên cao nguyên đá.</p>",
        ),
        sugar=make_product(shop=tea_shop, name="Đường phèn", category_slug="gia-vi", price=60_000),
        jackfruit=make_product(shop=son_la_shop, name="Mít sấy giòn", category_slug="trai-cay", price=80_000),
        son_la_honey=make_product(shop=son_la_shop, name="Mật ong hoa nhãn", category_slug="mat-ong", price=280_000),
    )


def ids(query: str, **kwargs) -> list[int]:
    """Product ids found for a query, in rank order (not logged)."""
    kwargs.setdefault("page_size", 100)
    return [p.pk for p in search_products(query=query, log=False, **kwargs).items]
