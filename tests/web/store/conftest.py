import datetime

import pytest

from taybac.catalog.services import add_photo, set_ocop_certificate
from tests.catalog.test_images import jpeg_bytes
from tests.factories import make_product, make_shop


@pytest.fixture
def storefront(db):
    """Two shops in two region provinces, with photos, an OCOP product and seasons."""
    month = datetime.date.today().month
    honey_shop = make_shop(name="Hộ nuôi ong Sùng Mí Chá", province_code=8)
    tea_shop = make_shop(name="HTX Chè Suối Giàng", province_code=15)
    honey = make_product(
        shop=honey_shop,
        name="Mật ong bạc hà Mèo Vạc",
        price=380_000,
        season_months=[month],
        description="Mật ong từ hoa bạc hà dại.",
        geographical_indication="Mật ong bạc hà Mèo Vạc",
    )
    tea = make_product(
        shop=tea_shop,
        name="Chè Shan tuyết Suối Giàng",
        category_slug="che",
        price=450_000,
        season_months=[(month % 12) + 1],
    )
    sugar = make_product(shop=tea_shop, name="Đường phèn", category_slug="gia-vi", price=60_000, quantity=0)
    owner = honey_shop.producer.owner
    set_ocop_certificate(
        actor=owner,
        product=honey,
        stars=4,
        issuer="UBND tỉnh Hà Giang",
        number="728/QĐ-UBND",
        issued_on=datetime.date.today() - datetime.timedelta(days=400),
        expires_on=datetime.date.today() + datetime.timedelta(days=700),
    )
    add_photo(actor=owner, product=honey, data=jpeg_bytes())
    return {"honey": honey, "tea": tea, "sugar": sugar, "honey_shop": honey_shop, "tea_shop": tea_shop}
