"""The seller's order list in tabs (Tất cả, Mới, Chờ giao, Đang giao, Hoàn tất, Trả hàng, Đã hủy), each with its
count, so a seller on a phone sees at once what waits for them."""

import re

import pytest

from taybac.fulfilment.services import deliver_shop_order, pack_shop_order, ship_shop_order
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from taybac.regions.services import create_address

pytestmark = pytest.mark.django_db


def _orders(world, count: int):
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    variant = world["honey_product"].variants.get()
    return [
        place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 1)],
            contact=Contact(f"Người mua {n}", "0912345678"),
            payment_method="cod",
            delivery_address=address,
        ).shop_orders.get()
        for n in range(count)
    ]


def _tabs(page: str) -> dict[str, int]:
    return {label: int(n) for label, n in re.findall(r'<a href="\?tab=[a-z-]+"[^>]*>([^<]+?) <b>(\d+)</b>', page)}


def test_tabs_count_and_filter_the_shops_orders(client, world):
    fresh, packed, shipped, done, returned, cancelled = _orders(world, 6)
    owner = world["honey"].producer.owner
    pack_shop_order(actor=owner, shop_order=packed)
    for so in (shipped, done, returned):
        pack_shop_order(actor=owner, shop_order=so)
        ship_shop_order(actor=owner, shop_order=so)
    deliver_shop_order(actor=owner, shop_order=done, cash_collected=done.total)
    advance(shop_order=returned, to=Status.RETURNED, actor=owner)
    advance(shop_order=cancelled, to=Status.CANCELLED, actor=owner)
    client.force_login(world["helper"])
    page = client.get("/ban-hang/don-hang/").content.decode()
    assert _tabs(page) == {
        "Tất cả": 6,
        "Mới": 1,
        "Chờ giao": 1,
        "Đang giao": 1,
        "Hoàn tất": 1,
        "Trả hàng": 1,
        "Đã hủy": 1,
    }
    assert 'href="?tab=tat-ca" aria-current="page"' in page  # all orders by default
    for tab, expected in (
        ("moi", fresh),
        ("cho-giao", packed),
        ("dang-giao", shipped),
        ("hoan-tat", done),
        ("tra-hang", returned),
        ("da-huy", cancelled),
    ):
        listed = client.get(f"/ban-hang/don-hang/?tab={tab}").content.decode()
        assert f'href="?tab={tab}" aria-current="page"' in listed
        shown = set(re.findall(r"Người mua \d", listed))
        assert shown == {expected.order.contact_name}, (tab, shown)
    # an unknown tab shows everything rather than failing
    assert len(set(re.findall(r"Người mua \d", client.get("/ban-hang/don-hang/?tab=xyz").content.decode()))) == 6


def test_empty_tab_says_so_and_other_shops_are_not_counted(client, world):
    _orders(world, 2)
    client.force_login(world["tea"].producer.owner)
    page = client.get("/ban-hang/don-hang/?tab=moi").content.decode()
    assert _tabs(page)["Tất cả"] == 0 and "Không có đơn nào ở mục “Mới”" in page


def test_the_list_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _orders(world, 5)
    client.force_login(world["honey"].producer.owner)
    client.get("/ban-hang/don-hang/")
    with django_assert_max_num_queries(12):
        client.get("/ban-hang/don-hang/?tab=moi")


def test_returns_tab_holds_return_requests_and_links_to_the_returns_page(client, world):
    from taybac.orders.returns import request_return

    (delivered,) = _orders(world, 1)
    owner = world["honey"].producer.owner
    pack_shop_order(actor=owner, shop_order=delivered)
    ship_shop_order(actor=owner, shop_order=delivered)
    deliver_shop_order(actor=owner, shop_order=delivered, cash_collected=delivered.total)
    request_return(shop_order=delivered, actor=None, holds_link=True, reason="Hũ bị vỡ khi nhận")
    client.force_login(owner)
    page = client.get("/ban-hang/don-hang/?tab=tra-hang").content.decode()
    assert _tabs(page)["Trả hàng"] == 1 and _tabs(page)["Hoàn tất"] == 1
    assert set(re.findall(r"Người mua \d", page)) == {"Người mua 0"}
    assert 'href="/ban-hang/tra-hang/"' in page
