"""Lists shown to people are in Vietnamese alphabetical order, the same on SQLite and PostgreSQL (docs/regions.md)."""

from __future__ import annotations

import re

from taybac.accounts.models import Role
from taybac.catalog.selectors import provinces_with_counts, shops_of_province
from taybac.core.text import place_sort_key
from taybac.regions.selectors import communes_for_people, provinces_for_people
from tests.factories import make_shop, make_user

REGION_ORDER = [
    "Cao Bằng",
    "Điện Biên",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Phú Thọ",
    "Sơn La",
    "Thái Nguyên",
    "Tuyên Quang",
]


def test_provinces_region_first_then_the_others_filed_under_their_name(db):
    names = [p.name for p in provinces_for_people()]
    assert names[:9] == REGION_ORDER
    others = names[9:]
    assert len(others) == 25
    # "Thành phố Hà Nội" under H, after Gia Lai; Đ after every D; Đà Nẵng (a city) among the Đ
    assert others.index("Gia Lai") < others.index("Thành phố Hà Nội") < others.index("Hà Tĩnh")
    assert others.index("Cà Mau") < others.index("Thành phố Cần Thơ") < others.index("Thành phố Đà Nẵng")
    assert others.index("Thành phố Đà Nẵng") < others.index("Đắk Lắk") < others.index("Gia Lai")
    assert [p.name for p in provinces_for_people(in_region=True)] == REGION_ORDER


def test_communes_filed_under_their_name_with_d_before_dd(db):
    names = [c.name for c in communes_for_people(8)]  # Tuyên Quang (with the former Hà Giang)
    assert len(names) == 124 and names == sorted(names, key=place_sort_key)
    assert names.index("Xã Du Già") < names.index("Xã Đồng Văn") < names.index("Xã Giáp Trung")
    # Xã and Phường are mixed: by name, not by kind
    assert names.index("Phường An Tường") < names.index("Xã Bạch Đích") < names.index("Phường Bình Thuận")
    assert names.index("Xã Hoà An") < names.index("Xã Hoàng Su Phì") < names.index("Xã Hồ Thầu")


def test_storefront_province_chips_and_shop_lists_are_collated(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        provinces = provinces_with_counts()
    assert [p.name for p in provinces] == REGION_ORDER
    for name in ("Hợp tác xã Đồi Chè", "Hộ Dương Văn Sử", "Bản Ăn Chè", "Hợp tác xã An Phú", "Đặng Thị Mai"):
        make_shop(name=name, province_code=11)
    with django_assert_num_queries(1):
        shops = [s.name for s in shops_of_province(11)]
    assert shops == ["Bản Ăn Chè", "Đặng Thị Mai", "Hộ Dương Văn Sử", "Hợp tác xã An Phú", "Hợp tác xã Đồi Chè"]


def test_the_seller_sign_up_selects_are_in_vietnamese_order(client, db):
    """The province select (region first) and the commune select of a form, as the page renders them."""
    client.force_login(make_user(role=Role.BUYER))
    page = client.get("/ban-hang/dang-ky/", {"tinh": 8}).content.decode()
    selects = re.findall(r"<select[^>]*>(.*?)</select>", page, re.S)
    provinces = re.findall(r">([^<]+)</option>", selects[0])
    assert provinces[:9] == REGION_ORDER and provinces.index("Thành phố Hà Nội") > provinces.index("Gia Lai")
    communes = [n for n in re.findall(r">([^<]+)</option>", selects[-1]) if n.startswith(("Xã", "Phường"))]
    assert len(communes) == 124 and communes == sorted(communes, key=place_sort_key)
    assert communes.index("Xã Du Già") < communes.index("Xã Đồng Văn") < communes.index("Xã Giáp Trung")
