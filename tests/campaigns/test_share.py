"""Share links: only one's own pages, visits counted once per session and day (bots, HEAD and bad codes ignored),
orders attributed through the cart checkout and a booth, the report's numbers, the prior-period change and CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from taybac.accounts.selectors import NotAllowed
from taybac.campaigns import share_selectors
from taybac.campaigns.share_models import AttributedOrder, LinkVisit
from taybac.campaigns.share_services import ShareError, attribute_order, create_link
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import ShopOrder
from taybac.regions.services import create_address
from tests.campaigns.test_fairs import PHONE_UA, fair_world
from tests.factories import make_product, make_shop
from tests.web.orders.test_order_pages import checkout_form, fill_cart

pytestmark = pytest.mark.django_db


def _link(shop, target="product", target_id=None, campaign="Tết 2027", channel="zalo"):
    product = shop.products.first()
    return create_link(
        actor=shop.producer.owner,
        shop=shop,
        target=target,
        target_id=target_id or product.pk,
        campaign=campaign,
        channel=channel,
    )


def test_links_only_to_ones_own_pages():
    shop = make_shop(name="Hộ Giàng A Páo")
    make_product(shop=shop)
    other = make_shop(name="HTX Chè", province_code=14)
    tea = make_product(shop=other, name="Chè")
    link = _link(shop)
    assert link.campaign == "tết-2027" and len(link.code) == 8 and link.path.startswith("/san-pham/")
    with pytest.raises(ShareError):
        _link(shop, target_id=tea.pk)
    with pytest.raises(ShareError):
        _link(shop, target="nope")
    with pytest.raises(ShareError):
        _link(shop, channel="tiktok")
    with pytest.raises(NotAllowed):
        create_link(
            actor=other.producer.owner, shop=shop, target="shop", target_id=shop.pk, campaign="x", channel="zalo"
        )


def test_visits_count_once_per_session_and_day_and_ignore_bots_and_bad_codes(client):
    shop = make_shop(name="Hộ Giàng A Páo")
    make_product(shop=shop)
    link = _link(shop)
    for _ in range(3):
        assert client.get(f"{link.path}?c={link.code}", **PHONE_UA).status_code == 200
    client.head(f"{link.path}?c={link.code}", **PHONE_UA)
    from django.test import Client

    Client().get(f"{link.path}?c={link.code}", HTTP_USER_AGENT="facebookexternalhit/1.1")
    Client().get(f"{link.path}?c={link.code}")
    for bad in ("x" * 300, "ZZZZZZZZ", "abc'--", "aaaaaaaa"):
        assert client.get(link.path, {"c": bad}, **PHONE_UA).status_code == 200
    Client().get(f"{link.path}?c={link.code}", **PHONE_UA)  # a second browser
    assert LinkVisit.objects.get(link=link).count == 2


def test_visit_then_cart_checkout_attributes_the_order_and_the_report_counts_it(client):
    shop = make_shop(name="Hộ Giàng A Páo")
    variant = make_product(shop=shop, price=350_000).variants.get()
    other = make_product(shop=make_shop(name="HTX Chè", province_code=14), name="Chè", price=100_000).variants.get()
    link = _link(shop, target="shop", target_id=shop.pk)
    client.get(f"{link.path}?c={link.code}", **PHONE_UA)
    fill_cart(client, variant, other)
    response = client.post("/gio-hang/?tinh=1", checkout_form(client, thanh_toan="cod"))
    assert response.status_code == 302
    attributed = AttributedOrder.objects.get()  # only the linked shop's part of the order
    assert attributed.link == link and attributed.revenue == 350_000 == attributed.shop_order.items_total
    today = timezone.localdate()
    [campaign] = share_selectors.report(shop, today - timedelta(days=6), today)
    assert (campaign.visits, campaign.orders, campaign.revenue) == (1, 1, 350_000)


def test_booth_order_through_a_link_is_attributed_at_the_fair_price(client):
    w = fair_world()
    link = create_link(
        actor=w.shop.producer.owner,
        shop=w.shop,
        target="booth",
        target_id=w.booth.pk,
        campaign="hoi-cho",
        channel="facebook",
    )
    assert link.path == f"/hoi-cho/{w.fair.slug}/gian/{w.booth.pk}/"
    client.get(f"{link.path}?c={link.code}", **PHONE_UA)
    client.post(
        f"{link.path}dat-hang/",
        {
            "product": w.booth.products.get().pk,
            "quantity": 1,
            "name": "Lan",
            "phone": "0987654321",
            "payment_method": "cod",
            "pickup_point": "BD-FAIR",
        },
        **PHONE_UA,
    )
    assert AttributedOrder.objects.get().revenue == 300_000


def test_old_visits_and_unknown_codes_attribute_nothing():
    shop = make_shop(name="Hộ Giàng A Páo")
    variant = make_product(shop=shop).variants.get()
    link = _link(shop)
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    now = timezone.now()
    assert attribute_order(order=order, code=link.code, visited_at=now - timedelta(days=8)) == 0
    assert attribute_order(order=order, code="zzzzzzzz", visited_at=now) == 0
    assert attribute_order(order=order, code=link.code, visited_at=now) == 1
    assert attribute_order(order=order, code=link.code, visited_at=now) == 0  # once


def _orders_on(shop, variant, day_offsets_and_quantities):
    """Orders placed on known days (created_at moved back), to test the prior-period change."""
    for offset, quantity in day_offsets_and_quantities:
        order = place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, quantity)],
            contact=Contact("Lan", "0912345678"),
            payment_method="cod",
            delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
        )
        ShopOrder.objects.filter(order=order).update(created_at=timezone.now() - timedelta(days=offset))


def test_prior_period_change_on_known_data_and_csv(client):
    shop = make_shop(name="Hộ Giàng A Páo")
    variant = make_product(shop=shop, price=100_000, quantity=50).variants.get()
    # this 7-day period: 3 orders of 100,000 + one of 200,000; the 7 days before: 2 of 100,000; older: ignored
    _orders_on(shop, variant, [(0, 1), (2, 1), (6, 1), (3, 2), (7, 1), (13, 1), (14, 5)])
    today = timezone.localdate()
    change = share_selectors.change(shop, today - timedelta(days=6), today)
    assert (change.orders, change.revenue, change.prior_orders, change.prior_revenue) == (4, 500_000, 2, 200_000)
    assert change.orders_pct == 100 and change.revenue_pct == 150
    _link(shop)
    client.force_login(shop.producer.owner)
    page = client.get("/ban-hang/chia-se/?ky=7").content.decode()
    assert "+150%" in page and "tết-2027" in page
    body = client.get("/ban-hang/chia-se/?ky=7&csv=1").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:2] == ["chien_dich", "kenh"] and rows[1][0] == "tết-2027" and rows[1][4:] == ["0", "0", "0"]
    assert rows[-2][-2:] == ["4", "500000"] and rows[-1][-2:] == ["2", "200000"]


def test_product_and_live_pages_carry_open_graph_tags_and_plain_share_links(client):
    from tests.campaigns.live_world import live_world

    world = live_world()
    product = world.honey.product
    for url in (product.get_absolute_url(), f"/truc-tiep/{world.session.pk}/"):
        page = client.get(f"{url}?c=abcdefgh", **PHONE_UA).content.decode()
        assert 'property="og:title"' in page
        assert f'property="og:url" content="{settings.PUBLIC_URL.rstrip("/")}{url}"' in page
        assert "facebook.com/sharer/sharer.php?u=" in page and "button-share.zalo.me" in page
        assert "c%3Dabcdefgh" not in page  # the shared address never carries someone's code
