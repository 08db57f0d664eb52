"""Per-lot actions in the seller centre — processing, packing, inspection — and choosing lots when an order is
shipped: each works for the owner and a delegated helper, is audited on their behalf, survives a double tap,
and shows refusals in Vietnamese; malformed input never gives a 500."""

import re

import pytest
from django.utils import timezone

from taybac.core.models import AuditEntry
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Status
from taybac.regions.services import create_address
from taybac.traceability.models import EventLot, Lot, TraceEvent
from taybac.traceability.order_lots import lots_of
from taybac.traceability.services import record_harvest
from tests.factories import make_product
from tests.web.seller.test_lots import token_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def leaves(world):
    """A harvest lot of the tea shop's fresh leaves, and the variant the tea becomes."""
    tea = world["tea_product"].variants.get()
    dried = make_product(shop=world["tea"], name="Hồng trà Shan tuyết", category_slug="che", unit="gói").variants.get()
    lot = record_harvest(actor=world["tea"].producer.owner, variant=tea, harvested_on=TODAY, quantity=200, unit="kg")
    return {"lot": lot, "dried": dried}


@pytest.fixture
def honey_lot(world):
    variant = world["honey_product"].variants.get()
    return record_harvest(actor=world["honey"].producer.owner, variant=variant, harvested_on=TODAY, quantity=60)


def form_of(client, url: str, **fields) -> dict:
    return {"token": token_of(client.get(url).content.decode()), **fields}


def test_processing_makes_a_new_lot_from_input_lots(client, world, leaves):
    lot, dried = leaves["lot"], leaves["dried"]
    url = f"/ban-hang/lo-hang/{lot.pk}/che-bien/"
    client.force_login(world["tea"].producer.owner)
    page = client.get(url).content.decode()
    assert f'name="used_{lot.pk}"' in page and 'value="200"' in page  # the lot it starts from, all of it
    form = form_of(
        client,
        url,
        variant=dried.pk,
        produced_on=TODAY.isoformat(),
        quantity="150",
        unit="",
        **{f"used_{lot.pk}": "180"},
    )
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # the double tap
    output = Lot.objects.get(variant=dried)
    assert (output.quantity, output.unit) == (150, "gói")
    event = output.events.get()
    assert event.event_type == "TransformationEvent"
    assert set(EventLot.objects.filter(event=event).values_list("lot_id", "role")) == {
        (lot.pk, "input"),
        (output.pk, "output"),
    }
    assert event.document["inputQuantityList"][0]["quantity"] == 180


def test_processing_errors(client, world, leaves):
    lot, dried = leaves["lot"], leaves["dried"]
    url = f"/ban-hang/lo-hang/{lot.pk}/che-bien/"
    client.force_login(world["tea"].producer.owner)
    base = {"variant": dried.pk, "produced_on": TODAY.isoformat(), "quantity": "10"}
    none_used = client.post(url, form_of(client, url, **base, **{f"used_{lot.pk}": ""}))
    assert none_used.status_code == 400 and "ít nhất một lô nguyên liệu" in none_used.content.decode()
    too_much = client.post(url, form_of(client, url, **base, **{f"used_{lot.pk}": "201"})).content.decode()
    assert re.search(rf'id_used_{lot.pk}".*?200', too_much, re.S)
    no_variant = client.post(url, form_of(client, url, **{**base, "variant": ""}, **{f"used_{lot.pk}": "5"}))
    assert no_variant.status_code == 400
    assert Lot.objects.count() == 1


def test_helper_packs_cartons_and_sees_their_ssccs_once(client, world, honey_lot):
    helper = world["helper"]
    url = f"/ban-hang/lo-hang/{honey_lot.pk}/dong-thung/"
    client.force_login(helper)
    form = form_of(client, url, cartons="3", per_carton="20")
    page = client.post(url, form, follow=True).content.decode()
    ssccs = re.findall(r"\(00\) (\d{18})", page)
    assert len(ssccs) == 3 and "Đã đóng 3 thùng" in page and all(s in page.split("SSCC):")[1] for s in ssccs)
    again = client.post(url, form, follow=True).content.decode()
    assert "Đã đóng 3 thùng" in again and all(s in again.split("SSCC):")[1] for s in ssccs)  # same answer
    assert re.findall(r"\(00\) (\d{18})", again) == ssccs  # and still only those three cartons listed
    assert TraceEvent.objects.filter(biz_step="packing").count() == 3
    entry = AuditEntry.objects.get(action="lot.packed")
    assert (entry.actor_id, entry.on_behalf_of_id) == (helper.pk, world["honey"].producer.owner_id)
    bad = client.post(url, form_of(client, url, cartons="101", per_carton="1"))
    assert bad.status_code == 400 and TraceEvent.objects.filter(biz_step="packing").count() == 3


def test_inspection_is_recorded_once_and_listed(client, world, honey_lot):
    url = f"/ban-hang/lo-hang/{honey_lot.pk}/kiem-tra/"
    client.force_login(world["helper"])
    missing = client.post(url, form_of(client, url, passed="1", inspector=""))
    assert missing.status_code == 400 and not TraceEvent.objects.filter(biz_step="inspecting").exists()
    form = form_of(client, url, passed="0", inspector="Trạm Chăn nuôi và Thú y", note="Độ ẩm 21%")
    assert client.post(url, form).status_code == 302
    assert "Đã ghi kết quả kiểm tra" in client.post(url, form, follow=True).content.decode()  # same answer
    event = TraceEvent.objects.get(biz_step="inspecting")
    assert event.disposition == "non_conformant" and event.document["taybac:inspector"] == "Trạm Chăn nuôi và Thú y"
    page = client.get(url).content.decode()
    assert "Không đạt" in page and "Độ ẩm 21%" in page
    entry = AuditEntry.objects.get(action="lot.inspected")
    assert (entry.actor_id, entry.on_behalf_of_id) == (world["helper"].pk, world["honey"].producer.owner_id)


@pytest.fixture
def packed_order(world):
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    order = place_order(
        buyer=None,
        lines=[LineRequest(world["honey_product"].variants.get().pk, 2)],
        contact=Contact("Trần Thị Lan", "0912345678"),
        payment_method="cod",
        delivery_address=address,
    )
    shop_order = order.shop_orders.get()
    from taybac.orders.lifecycle import advance

    advance(shop_order=shop_order, to=Status.PACKED, actor=world["honey"].producer.owner)
    return shop_order


def test_shipping_with_lots_records_the_shipping_event(client, world, honey_lot, packed_order):
    line = packed_order.lines.get()
    client.force_login(world["helper"])
    page = client.get("/ban-hang/don-hang/").content.decode()
    assert f'name="lot_{line.pk}"' in page and f'<option value="{honey_lot.pk}">{honey_lot.code}' in page
    client.post(f"/ban-hang/don-hang/{packed_order.pk}/", {"to": "shipped", f"lot_{line.pk}": honey_lot.pk})
    packed_order.refresh_from_db()
    assert packed_order.status == Status.SHIPPED and lots_of(packed_order) == {line.pk: honey_lot}
    event = TraceEvent.objects.get(biz_step="shipping")
    assert list(event.lots.all()) == [honey_lot]
    assert event.document["bizTransactionList"][0]["bizTransaction"].endswith(packed_order.code)
    entry = AuditEntry.objects.get(action="shop_order.lots")
    assert (entry.actor_id, entry.on_behalf_of_id) == (world["helper"].pk, world["honey"].producer.owner_id)


def test_a_lot_of_another_variant_ships_nothing(client, world, leaves, packed_order):
    line = packed_order.lines.get()
    client.force_login(world["honey"].producer.owner)
    for wrong in (leaves["lot"].pk, 999_999, "abc", "²"):
        page = client.post(
            f"/ban-hang/don-hang/{packed_order.pk}/", {"to": "shipped", f"lot_{line.pk}": wrong}, follow=True
        ).content.decode()
        assert "Lô" in page and ("không phải lô của" in page or "không hợp lệ" in page), wrong
    page = client.post(
        f"/ban-hang/don-hang/{packed_order.pk}/", {"to": "shipped", "lot_999999": ""}, follow=True
    ).content.decode()
    assert "không thuộc đơn này" in page
    packed_order.refresh_from_db()
    assert packed_order.status == Status.PACKED and lots_of(packed_order) == {}
    assert not TraceEvent.objects.filter(biz_step="shipping").exists()


def test_shipping_without_choosing_a_lot_still_works(client, world, honey_lot, packed_order):
    line = packed_order.lines.get()
    client.force_login(world["honey"].producer.owner)
    client.post(f"/ban-hang/don-hang/{packed_order.pk}/", {"to": "shipped", f"lot_{line.pk}": ""})
    packed_order.refresh_from_db()
    assert packed_order.status == Status.SHIPPED and lots_of(packed_order) == {}
    assert not TraceEvent.objects.filter(biz_step="shipping").exists()


BAD = ["²", "9" * 30, "-1", "1.5", "\x00", "abc", "", "١٢", "' OR 1=1 --"]


@pytest.mark.parametrize("bad", BAD)
def test_malformed_input_never_500(client, world, honey_lot, bad):
    client.raise_request_exception = False
    client.force_login(world["honey"].producer.owner)
    variant = world["honey_product"].variants.get()
    base = f"/ban-hang/lo-hang/{honey_lot.pk}"
    posts = [
        (
            "/ban-hang/lo-hang/moi/",
            {
                "token": bad,
                "variant": bad,
                "harvested_on": bad,
                "quantity": bad,
                "unit": bad,
                "province": bad,
                "commune": bad,
                "latitude": bad,
                "longitude": bad,
                "practices": bad,
                "certificates": bad,
                "code": bad,
            },
        ),
        ("/ban-hang/lo-hang/moi/", {"province": bad, "doi_tinh": "1", "quantity": bad}),
        (
            "/ban-hang/lo-hang/moi/",
            {
                "token": "a" * 32,
                "variant": variant.pk,
                "harvested_on": TODAY.isoformat(),
                "quantity": 1,
                "province": 15,
                "commune": world["honey"].commune_id,
                "latitude": bad,
                "longitude": bad,
                "code": bad,
            },
        ),
        (
            f"{base}/che-bien/",
            {"token": bad, "variant": bad, "produced_on": bad, "quantity": bad, f"used_{honey_lot.pk}": bad},
        ),
        (f"{base}/dong-thung/", {"token": bad, "cartons": bad, "per_carton": bad}),
        (f"{base}/kiem-tra/", {"token": bad, "passed": bad, "inspector": bad * 200, "note": bad}),
    ]
    for url, data in posts:
        status = client.post(url, data).status_code
        assert status < 500, (url, status)
    for url in (f"/ban-hang/lo-hang/?trang={bad}", f"/ban-hang/lo-hang/moi/?province={bad}"):
        assert client.get(url).status_code < 500, url
