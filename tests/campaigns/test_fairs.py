"""Online fairs: who may organise, applying with fair prices, decisions by SMS, the fair price only during the
fair and never from the form, visitor/order/revenue figures and their CSV, the pages and the API."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed
from taybac.campaigns import fair_services as fs
from taybac.campaigns.fair_models import Fair, FairBooth, FairOrder
from taybac.campaigns.share_models import PageVisit
from taybac.catalog.models import Shop, Variant
from taybac.core.models import OutboxMessage
from taybac.core.money import format_vnd
from taybac.orders.models import ShopOrder
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.django_db
PHONE_UA = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 10) Mobile Safari/537.36"}


@dataclass
class FairWorld:
    fair: Fair
    officer: User
    shop: Shop
    honey: Variant
    booth: FairBooth


def officer_of(province: int) -> User:
    return make_user(role=Role.OFFICER, officer_province_id=province)


def fair_world(*, opens_in: timedelta = timedelta(0), approve: bool = True) -> FairWorld:
    """Province 15's officer runs a published fair; a producer there has a booth (honey at 300,000 instead of
    350,000), approved unless told; a pickup point for booth orders."""
    officer = officer_of(15)
    now = timezone.now()
    fair = fs.create_fair(
        actor=officer,
        title="Hội chợ mật ong",
        theme="Mật ong bạc hà vụ mới",
        province_ids=[15],
        starts_at=now + opens_in - timedelta(minutes=1),
        ends_at=now + opens_in + timedelta(days=3),
    )
    fair = fs.publish_fair(actor=officer, fair=fair)
    shop = make_shop(name="Hộ Giàng A Páo", province_code=15)
    honey = make_product(shop=shop, name="Mật ong bạc hà", price=350_000, quantity=12).variants.get()
    booth = fs.apply_for_booth(
        actor=shop.producer.owner, fair=fair, shop=shop, pitch="Mật ong", prices={honey.pk: 300_000}
    )
    if approve:
        booth = fs.decide_booth(actor=officer, booth=booth, approve=True)
    PickupPoint.objects.create(
        code="BD-FAIR",
        name="Bưu điện xã",
        address=create_address(province_code=1, commune_code=70, street="1 Hàng Bạc"),
    )
    return FairWorld(fair, officer, shop, honey, booth)


def test_who_organises_a_fair():
    now = timezone.now()
    when = {"starts_at": now, "ends_at": now + timedelta(days=2)}
    officer = officer_of(15)
    assert fs.create_fair(actor=officer, title="Chè Suối Giàng", theme="", province_ids=[15], **when).slug
    with pytest.raises(NotAllowed):  # another province too: not only theirs
        fs.create_fair(actor=officer, title="Liên tỉnh", theme="", province_ids=[15, 14], **when)
    buyer = make_user()
    with pytest.raises(NotAllowed):
        fs.create_fair(actor=buyer, title="Chợ", theme="", province_ids=[15], **when)
    operator = User.objects.create(username="vh", role=Role.OPERATOR)
    fair = fs.create_fair(actor=operator, title="Chè Suối Giàng", theme="", province_ids=[15, 14], **when)
    assert fair.slug == "che-suoi-giang-2" and not fair.published
    with pytest.raises(NotAllowed):  # the officer of 15 may not publish a fair that also covers 14
        fs.publish_fair(actor=officer, fair=fair)
    with pytest.raises(fs.FairError):
        fs.create_fair(actor=operator, title="Ngược", theme="", province_ids=[15], starts_at=now, ends_at=now)


def test_applying_checks_prices_province_and_dates():
    w = fair_world(approve=False)
    owner = w.shop.producer.owner
    for bad in (0, 350_001):
        with pytest.raises(fs.FairError):
            fs.apply_for_booth(actor=owner, fair=w.fair, shop=w.shop, pitch="", prices={w.honey.pk: bad})
    other = make_shop(name="HTX Chè", province_code=14)
    tea = make_product(shop=other, name="Chè", category_slug="che").variants.get()
    with pytest.raises(fs.FairError, match="tỉnh"):
        fs.apply_for_booth(actor=other.producer.owner, fair=w.fair, shop=other, pitch="", prices={tea.pk: 1_000})
    with pytest.raises(fs.FairError):  # someone else's variant
        fs.apply_for_booth(actor=owner, fair=w.fair, shop=w.shop, pitch="", prices={tea.pk: 1_000})
    with pytest.raises(NotAllowed):
        fs.apply_for_booth(actor=other.producer.owner, fair=w.fair, shop=w.shop, pitch="", prices={w.honey.pk: 1})


def test_decisions_need_a_reason_to_refuse_and_tell_the_producer_by_sms():
    w = fair_world(approve=False)
    with pytest.raises(fs.FairError):
        fs.decide_booth(actor=w.officer, booth=w.booth, approve=False, reason="")
    with pytest.raises(NotAllowed):
        fs.decide_booth(actor=officer_of(14), booth=w.booth, approve=True)
    fs.decide_booth(actor=w.officer, booth=w.booth, approve=False, reason="Thiếu ảnh sản phẩm")
    sms = OutboxMessage.objects.get(channel="sms", recipient=w.shop.producer.owner.phone)
    assert "Thieu anh san pham" in sms.body
    w.booth.refresh_from_db()
    assert w.booth.status == "rejected" and w.booth.reason == "Thiếu ảnh sản phẩm"


def _order(client, w: FairWorld, **extra):
    return client.post(
        f"/hoi-cho/{w.fair.slug}/gian/{w.booth.pk}/dat-hang/",
        {
            "product": w.booth.products.get().pk,
            "quantity": 2,
            "name": "Lan",
            "phone": "0987654321",
            "payment_method": "cod",
            "pickup_point": "BD-FAIR",
            **extra,
        },
        **PHONE_UA,
    )


def test_fair_price_during_the_fair_only_and_never_from_the_form(client):
    w = fair_world()
    response = _order(client, w, price="1000", unit_price="1000", fair_price="1000")
    assert response.status_code == 302
    fair_order = FairOrder.objects.get()
    assert fair_order.revenue == 2 * 300_000 and fair_order.shop_order.items_total == 600_000
    Fair.objects.filter(pk=w.fair.pk).update(
        ends_at=timezone.now() - timedelta(seconds=1), starts_at=w.fair.starts_at - timedelta(days=1)
    )
    _order(client, w, key="second")
    assert ShopOrder.objects.order_by("-pk").first().items_total == 2 * 350_000  # the fair is over: usual price


def test_upcoming_fair_charges_the_usual_price():
    w = fair_world(opens_in=timedelta(days=2))
    item = w.booth.products.select_related("variant", "booth__fair").get()
    assert fs.booth_price(item=item) == 350_000
    assert fs.booth_price(item=item, now=w.fair.starts_at + timedelta(hours=1)) == 300_000


def test_visitor_order_and_revenue_figures_with_csv(client):
    w = fair_world()
    booth_url = f"/hoi-cho/{w.fair.slug}/gian/{w.booth.pk}/"
    for _ in range(3):
        assert client.get(booth_url, **PHONE_UA).status_code == 200
    client.head(booth_url, **PHONE_UA)
    client.get(booth_url, HTTP_USER_AGENT="facebookexternalhit/1.1")
    client.get(booth_url)  # no User-Agent at all
    page = client.get(f"/hoi-cho/{w.fair.slug}/", **PHONE_UA).content.decode()
    assert "Hộ Giàng A Páo" in page and 'property="og:title"' in page and "facebook.com/sharer" in page
    _order(client, w)
    assert PageVisit.objects.get(target="booth").count == 3
    client.force_login(w.officer)
    body = client.get(f"/to-chuc/hoi-cho/{w.fair.pk}/?csv=1").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["gian_hang", "tinh", "trang_thai", "luot_xem", "don_hang", "doanh_thu_dong"]
    assert rows[1][0] == "Hộ Giàng A Páo" and rows[1][3:] == ["3", "1", "600000"]
    assert rows[-1][0] == "Toàn hội chợ" and rows[-1][3:] == ["4", "1", "600000"]  # + the fair page's visit
    other = officer_of(14)
    client.force_login(other)
    assert client.get(f"/to-chuc/hoi-cho/{w.fair.pk}/?csv=1").status_code == 404


def test_booth_page_shows_fair_prices_and_an_unapproved_booth_is_not_public(client):
    w = fair_world(approve=False)
    assert client.get(f"/hoi-cho/{w.fair.slug}/gian/{w.booth.pk}/", **PHONE_UA).status_code == 404
    fs.decide_booth(actor=w.officer, booth=w.booth, approve=True)
    page = client.get(f"/hoi-cho/{w.fair.slug}/gian/{w.booth.pk}/", **PHONE_UA).content.decode()
    assert f'<b><span class="vnd">{format_vnd(300_000)}' in page
    assert f'<s><span class="vnd">{format_vnd(350_000)}' in page


def test_api_lists_fairs_with_booths_and_prices(client):
    w = fair_world()
    Fair.objects.create(slug="nhap", title="Nháp", starts_at=w.fair.starts_at, ends_at=w.fair.ends_at)  # unpublished
    data = client.get("/api/v1/fairs").json()
    assert data["count"] == 1
    fair = data["items"][0]
    assert fair["status"] == "open" and fair["url"].endswith(f"/hoi-cho/{w.fair.slug}/") and fair["provinces"] == [15]
    assert fair["booths"][0]["products"][0]["price"] == 300_000
    assert client.get("/api/v1/fairs?status=ended").json()["count"] == 0
    assert client.get("/api/v1/fairs?status=nope").status_code == 422


def test_the_fairs_api_reads_a_page_in_the_same_queries_however_many_booths(client, django_assert_num_queries):
    w = fair_world()
    client.get("/api/v1/fairs")  # process-wide caches warm
    with django_assert_num_queries(5):  # count, page, provinces, approved booths, their products
        one = client.get("/api/v1/fairs").json()
    second = make_shop(name="HTX Chè Suối Giàng", province_code=15)
    tea = make_product(shop=second, name="Chè Shan tuyết", price=200_000, quantity=5).variants.get()
    booth = fs.apply_for_booth(
        actor=second.producer.owner, fair=w.fair, shop=second, pitch="Chè", prices={tea.pk: 180_000}
    )
    fs.decide_booth(actor=w.officer, booth=booth, approve=True)
    with django_assert_num_queries(5):
        two = client.get("/api/v1/fairs").json()
    assert [len(f["booths"]) for f in one["items"]] == [1] and [len(f["booths"]) for f in two["items"]] == [2]


def test_edit_and_withdraw(client):
    w = fair_world()
    with pytest.raises(NotAllowed):
        fs.edit_fair(
            actor=officer_of(14), fair=w.fair, title="X", theme="", starts_at=w.fair.starts_at, ends_at=w.fair.ends_at
        )
    fair = fs.edit_fair(
        actor=w.officer,
        fair=w.fair,
        title="Hội chợ mật ong Tết",
        theme="",
        starts_at=w.fair.starts_at,
        ends_at=w.fair.ends_at,
    )
    assert fair.title == "Hội chợ mật ong Tết" and fair.slug == w.fair.slug  # the address stays
    with pytest.raises(NotAllowed):
        fs.withdraw_booth(actor=w.officer, booth=w.booth)
    assert fs.withdraw_booth(actor=w.shop.producer.owner, booth=w.booth).status == "withdrawn"
    assert client.get(f"/hoi-cho/{w.fair.slug}/gian/{w.booth.pk}/", **PHONE_UA).status_code == 404


def test_producer_applies_from_the_seller_centre_and_the_organiser_approves(client):
    w = fair_world(approve=False)
    fs.decide_booth(actor=w.officer, booth=w.booth, approve=False, reason="Thiếu ảnh")
    other = make_shop(name="HTX Chè Hà Giang", province_code=15)
    fs.apply_for_booth(  # someone else's approved booth must not hide the fair from this producer
        actor=other.producer.owner,
        fair=w.fair,
        shop=other,
        pitch="",
        prices={make_product(shop=other, name="Chè").variants.get().pk: 1_000},
    )
    fs.decide_booth(actor=w.officer, booth=FairBooth.objects.get(shop=other), approve=True)
    client.force_login(w.shop.producer.owner)
    page = client.get("/ban-hang/hoi-cho/").content.decode()
    assert "Thiếu ảnh" in page and f'<option value="{w.fair.pk}">' in page
    response = client.post(
        "/ban-hang/hoi-cho/",
        {"fair": w.fair.pk, "pitch": "Mật ong mới", "variants": [w.honey.pk], f"price_{w.honey.pk}": "320.000"},
    )
    assert response.status_code == 302
    w.booth.refresh_from_db()
    assert w.booth.status == "applied" and w.booth.products.get().fair_price == 320_000
    client.force_login(w.officer)
    client.post(f"/to-chuc/hoi-cho/{w.fair.pk}/gian/{w.booth.pk}/duyet/", {"approve": "1"})
    w.booth.refresh_from_db()
    assert w.booth.status == "approved"
