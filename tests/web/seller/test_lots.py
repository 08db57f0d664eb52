"""Seller centre lots ("Lô hàng & truy xuất"): the lot list and "Ghi lô mới (thu hoạch)" for the owner and a
delegated helper, refusals, errors next to their field, one lot per double tap, photos, query counts."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from taybac.core.models import AuditEntry
from taybac.regions.models import Commune
from taybac.traceability.models import Lot, LotPhoto, TraceEvent
from taybac.traceability.services import record_harvest, record_inspection, record_packing
from tests.catalog.test_images import jpeg_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEW = "/ban-hang/lo-hang/moi/"
LIST = "/ban-hang/lo-hang/"


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)


def harvest_form(client, variant, **changes) -> dict:
    """The new-lot form as the page hands it out (token, today, the shop's province and commune), then filled."""
    page = client.get(NEW).content.decode()
    shop = variant.shop
    form = {
        "token": token_of(page),
        "variant": variant.pk,
        "harvested_on": timezone.localdate().isoformat(),
        "quantity": "120",
        "unit": "",
        "province": shop.province_id,
        "commune": shop.commune_id,
        "latitude": "",
        "longitude": "",
        "practices": "Không phun thuốc",
        "certificates": "VietGAP số 12\n\nHữu cơ",
        "code": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


@pytest.fixture
def honey(world):
    return world["honey_product"].variants.get()


def test_owner_records_a_harvest_in_one_screen(client, world, honey):
    owner = world["honey"].producer.owner
    client.force_login(owner)
    page = client.get(NEW).content.decode()
    assert 'type="date"' in page and timezone.localdate().isoformat() in page
    assert f'<option value="{world["honey"].commune_id}" selected>' in page  # the shop's commune by default
    assert 'id="lay-vi-tri"' in page and "hidden" in page  # the GPS button only appears with JavaScript
    response = client.post(NEW, harvest_form(client, honey, latitude="22.5361", longitude="104.2714"))
    assert response.status_code == 302 and response["Location"] == LIST
    lot = Lot.objects.get()
    assert (lot.variant, lot.quantity, lot.unit, lot.commune_id) == (honey, 120, "hũ", world["honey"].commune_id)
    assert lot.certificates == ["VietGAP số 12", "Hữu cơ"] and lot.practices == "Không phun thuốc"
    assert str(lot.latitude) == "22.53610" and re.fullmatch(r"\d{6}-[2-9A-Z]{4}", lot.code)
    assert lot.events.get().biz_step == "commissioning"
    entry = AuditEntry.objects.get(action="lot.harvested")
    assert (entry.actor_id, entry.on_behalf_of_id) == (owner.pk, None)
    listing = client.get(LIST).content.decode()
    assert f"Lô {lot.code}" in listing and "Mật ong bạc hà" in listing and "1 sự kiện" in listing
    assert f'href="{lot.get_absolute_url()}"' in listing and f'href="{lot.get_absolute_url()}/nhan-in"' in listing


def test_helper_records_on_behalf_of_the_producer(client, world, honey):
    helper = world["helper"]
    client.force_login(helper)
    assert "thay mặt Hộ Giàng A Páo" in client.get(LIST).content.decode()
    client.post(NEW, harvest_form(client, honey, unit="kg", quantity="35"))
    lot = Lot.objects.get()
    assert (lot.quantity, lot.unit, lot.created_by) == (35, "kg", helper)
    entry = AuditEntry.objects.get(action="lot.harvested")
    assert (entry.actor_id, entry.on_behalf_of_id) == (helper.pk, world["honey"].producer.owner_id)


def test_other_producers_and_strangers_are_refused(client, world, honey):
    lot = record_harvest(
        actor=world["honey"].producer.owner, variant=honey, harvested_on=timezone.localdate(), quantity=10
    )
    client.force_login(world["tea"].producer.owner)
    assert lot.code not in client.get(LIST).content.decode()
    for action in ("che-bien", "dong-thung", "kiem-tra"):
        assert client.get(f"{LIST}{lot.pk}/{action}/").status_code == 403
        assert client.post(f"{LIST}{lot.pk}/{action}/", {}).status_code == 403
    # a variant of another shop is not a choice of this one's form
    response = client.post(NEW, harvest_form(client, honey))
    assert response.status_code == 400 and Lot.objects.count() == 1
    client.force_login(make_user())  # signed in, no shop: sent to open one
    assert client.get(LIST)["Location"] == "/ban-hang/dang-ky/"
    assert client.get(NEW)["Location"] == "/ban-hang/dang-ky/"
    client.logout()
    assert client.get(LIST)["Location"].startswith("/dang-nhap/")


def test_a_shop_without_products_is_sent_to_add_one_first(client):
    from tests.factories import make_shop

    client.force_login(make_shop(name="Hộ mới").producer.owner)
    page = client.get(NEW).content.decode()
    assert "chưa có sản phẩm nào" in page and "/ban-hang/san-pham/moi/" in page and 'id="lot-form"' not in page


def test_errors_are_shown_next_to_their_field(client, world, honey):
    client.force_login(world["honey"].producer.owner)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    cases = [
        ({"harvested_on": tomorrow}, "harvested_on", "sau hôm nay"),
        ({"latitude": "22.5"}, "latitude", "cả vĩ độ và kinh độ"),
        ({"latitude": "95", "longitude": "104"}, "latitude", "90"),
        ({"quantity": "0"}, "quantity", "1"),
        ({"code": "lô 1"}, "code", "chữ in hoa"),
        ({"commune": "999999"}, "commune", "Đổi tỉnh"),
        ({"certificates": "\n".join(f"C{i}" for i in range(11))}, "certificates", "Tối đa 10"),
    ]
    for changes, field, words in cases:
        response = client.post(NEW, harvest_form(client, honey, **changes))
        assert response.status_code == 400, changes
        page = response.content.decode()
        block = re.search(rf'<div class="fld bad"><label for="id_{field}">.*?</div>', page, re.S)
        assert block and words in block.group(0), changes
    assert not Lot.objects.exists() and not TraceEvent.objects.exists()


def test_taken_code_is_refused_and_a_forged_token_records_nothing(client, world, honey):
    client.force_login(world["honey"].producer.owner)
    client.post(NEW, harvest_form(client, honey, code="mo-01"))
    assert Lot.objects.get().code == "MO-01"
    page = client.post(NEW, harvest_form(client, honey, code="MO-01", quantity="7")).content.decode()
    assert "đã có lô MO-01" in page and Lot.objects.count() == 1
    for token in ("", "abc", "0" * 31 + "g"):
        response = client.post(NEW, harvest_form(client, honey, token=token, code=""))
        assert response.status_code == 400 and "Phiên nhập liệu đã hết hạn" in response.content.decode()
        assert token_of(response.content.decode()) != token  # a fresh token: the next tap goes through
    assert Lot.objects.count() == 1


def test_double_submit_gives_one_lot(client, world, honey):
    client.force_login(world["honey"].producer.owner)
    for changes in ({}, {"code": "MO-02"}):
        form = harvest_form(client, honey, **changes)
        first = client.post(NEW, form)
        second = client.post(NEW, form, follow=True)
        assert first.status_code == 302 and second.status_code == 200
        assert "đã được ghi từ lần bấm trước" in second.content.decode()
    assert Lot.objects.count() == 2 and TraceEvent.objects.count() == 2
    # a new form (new token) with the same answers is a new lot
    client.post(NEW, harvest_form(client, honey))
    assert Lot.objects.count() == 3


def test_photos_are_resized_and_stored_with_the_lot(client, world, honey, settings):
    client.force_login(world["helper"])
    photos = [SimpleUploadedFile(f"vuon-{i}.jpg", jpeg_bytes(800, 600), content_type="image/jpeg") for i in range(2)]
    assert client.post(NEW, {**harvest_form(client, honey), "photos": photos}).status_code == 302
    lot = Lot.objects.get()
    stored = list(lot.photos.all())
    assert [p.position for p in stored] == [0, 1] and stored[0].widths == [160, 320, 400, 640]
    assert stored[0].path_stem.startswith(f"lots/{lot.pk}/")
    assert (settings.MEDIA_ROOT / f"{stored[0].path_stem}-320.webp").exists()
    entry = AuditEntry.objects.filter(action="lot.photo_added").first()
    assert (entry.actor_id, entry.on_behalf_of_id) == (world["helper"].pk, world["honey"].producer.owner_id)
    too_many = [SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(200, 150), content_type="image/jpeg") for i in range(6)]
    page = client.post(NEW, {**harvest_form(client, honey), "photos": too_many}).content.decode()
    assert "Tối đa 5 ảnh" in page
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    page = client.post(NEW, {**harvest_form(client, honey), "photos": [fake]}).content.decode()
    assert "x.jpg: Tệp tải lên không phải là ảnh hợp lệ." in page
    assert Lot.objects.count() == 1 and LotPhoto.objects.count() == 2


def test_changing_province_keeps_the_answers(client, world, honey):
    client.force_login(world["honey"].producer.owner)
    form = harvest_form(client, honey, province=14, quantity="77", doi_tinh="1")
    response = client.post(NEW, form)
    page = response.content.decode()
    assert response.status_code == 200 and not Lot.objects.exists()
    son_la = Commune.objects.filter(province_id=14).order_by("name").first()
    assert f'<option value="{son_la.code}">' in page and 'value="77"' in page
    assert '<option value="14" selected>' in page and "— Chọn xã/phường —" in page
    del form["doi_tinh"]
    client.post(NEW, {**form, "commune": son_la.code})
    assert Lot.objects.get().commune == son_la


def test_lot_pages_query_counts_are_pinned(client, world, honey, django_assert_num_queries):
    owner = world["honey"].producer.owner
    today = timezone.localdate()
    lots = [record_harvest(actor=owner, variant=honey, harvested_on=today, quantity=20) for _ in range(3)]
    client.force_login(world["helper"])
    # session, user, managed producers (with their shop), lots with their event counts
    with django_assert_num_queries(4):
        assert client.get(LIST).status_code == 200
    for lot in lots:
        record_packing(actor=owner, lot=lot, cartons=2, per_carton=5)
        record_inspection(actor=owner, lot=lot, passed=True, inspector="HTX")
    for _ in range(12):
        record_harvest(actor=owner, variant=honey, harvested_on=today - datetime.timedelta(days=3), quantity=5)
    with django_assert_num_queries(4):  # fifteen lots and their events cost what three did
        page = client.get(LIST).content.decode()
    assert page.count("4 sự kiện") == 3 and page.count("1 sự kiện") == 12
    assert page.index(lots[-1].code) < page.index(lots[0].code)  # newest first
    lot = lots[0]
    pages = {NEW: 7, f"{LIST}{lot.pk}/che-bien/": 6, f"{LIST}{lot.pk}/dong-thung/": 5, f"{LIST}{lot.pk}/kiem-tra/": 5}
    for url, count in pages.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200, url


def test_lot_list_pages(client, world, honey, monkeypatch):
    from taybac.web import views_seller_lots

    monkeypatch.setattr(views_seller_lots, "PAGE_SIZE", 2)
    owner = world["honey"].producer.owner
    codes = [
        record_harvest(actor=owner, variant=honey, harvested_on=timezone.localdate(), quantity=1).code for _ in range(3)
    ]
    client.force_login(owner)
    first, second = (client.get(LIST + q).content.decode() for q in ("", "?trang=2"))
    assert codes[2] in first and codes[0] not in first and "?trang=2" in first
    assert codes[0] in second and "?trang=1" in second and "?trang=3" not in second
    assert client.get(LIST + "?trang=²").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_racing_itself_records_one_lot(world):
    import threading

    from django.db import connection
    from django.test import Client

    variant = world["honey_product"].variants.get()
    clients = [Client() for _ in range(6)]
    for c in clients:
        c.force_login(world["helper"])
    form = harvest_form(clients[0], variant)
    statuses: list[int] = []
    barrier = threading.Barrier(len(clients))

    def tap(c: Client) -> None:
        try:
            barrier.wait()
            statuses.append(c.post(NEW, form).status_code)
        except Exception as error:  # anything unexpected must show in the assertion
            statuses.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * len(clients)
    assert Lot.objects.count() == 1 and TraceEvent.objects.count() == 1
