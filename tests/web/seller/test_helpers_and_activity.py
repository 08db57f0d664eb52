"""Helpers acting for several producers, refusals on every write path of an undelegated shop, the activity trail."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from taybac.accounts.services import grant_delegation, revoke_delegation
from taybac.catalog import services
from taybac.catalog.models import Category, Product
from taybac.core.models import AuditEntry
from tests.catalog.test_images import jpeg_bytes
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def new_product(name: str) -> dict:
    return {
        "name": name,
        "category": Category.objects.get(slug="mat-ong").pk,
        "price": "200.000",
        "quantity": 4,
        "unit": "hũ",
        "weight_grams": 500,
    }


def test_helper_switches_between_producers_and_every_page_acts_for_the_chosen_one(client, world):
    tea, helper = world["tea"], world["helper"]
    grant_delegation(producer=tea.producer, delegate=helper, granted_by=tea.producer.owner)
    client.force_login(helper)
    page = client.get("/ban-hang/").content.decode()
    assert "Đang quản lý thay" in page and "HTX Chè Suối Giàng" in page and "Hộ Giàng A Páo" in page
    response = client.post("/ban-hang/chon/", {"producer": tea.producer.pk})
    assert response.status_code == 302 and response["Location"] == "/ban-hang/"
    page = client.get("/ban-hang/").content.decode()
    assert "thay mặt HTX Chè Suối Giàng" in page and "Chè Shan tuyết" in page and "Mật ong bạc hà" not in page
    assert "Cho: HTX Chè Suối Giàng" in client.get("/ban-hang/san-pham/moi/").content.decode()
    client.post("/ban-hang/san-pham/moi/", new_product("Mật ong chè"))
    assert Product.objects.get(name="Mật ong chè").shop == tea
    assert "Chè Shan tuyết" in client.get("/ban-hang/nhat-ky/").content.decode()  # the chosen shop's trail
    entry = AuditEntry.objects.get(action="product.created", actor=helper)
    assert entry.on_behalf_of_id == tea.producer.owner_id


def test_helper_refused_on_every_write_of_an_undelegated_shop(client, world):
    tea = world["tea_product"]
    photo = services.add_photo(actor=world["tea"].producer.owner, product=tea, data=jpeg_bytes(400, 300))
    before = AuditEntry.objects.count()
    client.force_login(world["helper"])
    upload = SimpleUploadedFile("a.jpg", jpeg_bytes(400, 300), content_type="image/jpeg")
    refusals = [
        client.get(f"/ban-hang/san-pham/{tea.pk}/phan-loai/moi/"),
        client.post(
            f"/ban-hang/san-pham/{tea.pk}/phan-loai/moi/",
            {"name": "Gói 1 kg", "unit": "gói", "weight_grams": 1000, "price": "1000", "quantity": 1},
        ),
        client.post(f"/ban-hang/san-pham/{tea.pk}/anh/", {"photos": [upload]}),
        client.post(f"/ban-hang/anh/{photo.pk}/xoa/"),
    ]
    assert [r.status_code for r in refusals] == [403, 403, 403, 403]
    assert "không có quyền" in refusals[0].content.decode()
    assert tea.variants.count() == 1 and tea.photos.count() == 1
    assert AuditEntry.objects.count() == before
    # ids that do not exist answer 404, not 500
    assert client.get("/ban-hang/san-pham/999999/").status_code == 404
    assert client.post("/ban-hang/phan-loai/999999/ton-kho/", {"quantity": 1}).status_code == 404
    assert client.post("/ban-hang/anh/999999/xoa/").status_code == 404


def test_revoked_delegation_stops_writes_already_on_screen(client, world):
    """A helper with the list still open on their phone cannot save after the owner revoked."""
    client.force_login(world["helper"])
    variant = world["honey_product"].variants.get()
    assert client.get("/ban-hang/").status_code == 200
    revoke_delegation(delegation=world["honey"].producer.delegations.get(), revoked_by=world["honey"].producer.owner)
    assert client.post(f"/ban-hang/phan-loai/{variant.pk}/ton-kho/", {"quantity": 1}).status_code == 403
    assert client.post("/ban-hang/chon/", {"producer": world["honey"].producer.pk}).status_code == 403
    variant.refresh_from_db()
    assert variant.quantity == 12


def test_activity_says_who_did_what_on_which_product_for_whom(client, world):
    helper, owner = world["helper"], world["honey"].producer.owner
    variant = world["honey_product"].variants.get()
    client.force_login(helper)
    client.post(f"/ban-hang/phan-loai/{variant.pk}/ton-kho/", {"quantity": 30})
    client.force_login(owner)
    page = client.get("/ban-hang/nhat-ky/").content.decode()
    assert f"Nguyễn Thị Hoa <b>thay mặt {owner}</b>: sửa giá/tồn kho <i>Mật ong bạc hà – " in page
    assert "tồn 12 → 30" in page
    assert "đăng sản phẩm <i>Mật ong bạc hà</i>" in page
    assert "ủy quyền cho <i>Nguyễn Thị Hoa</i>" in page


def test_activity_of_a_shop_leaves_out_what_its_owner_did_for_other_shops(client, world):
    """A cooperative that manages a household's shop: that work shows on the household's trail, not its own."""
    coop_owner, honey = world["tea"].producer.owner, world["honey"]
    grant_delegation(producer=honey.producer, delegate=coop_owner, granted_by=honey.producer.owner)
    services.create_product(
        actor=coop_owner,
        shop=honey,
        name="Sáp ong",
        category=Category.objects.get(slug="mat-ong"),
        price=90_000,
        quantity=3,
        weight_grams=200,
        unit="bánh",
    )
    client.force_login(coop_owner)
    own = client.get("/ban-hang/nhat-ky/").content.decode()
    assert "Sáp ong" not in own and "Chè Shan tuyết" in own
    client.post("/ban-hang/chon/", {"producer": honey.producer.pk})
    theirs = client.get("/ban-hang/nhat-ky/").content.decode()
    assert "thay mặt" in theirs and "Sáp ong" in theirs


def test_activity_query_count_does_not_grow_with_the_trail(client, world, django_assert_max_num_queries):
    owner = world["honey"].producer.owner
    for i in range(15):
        make_product(shop=world["honey"], name=f"Mật ong số {i}")
    variant = world["honey_product"].variants.get()
    for quantity in range(10):
        services.set_stock(actor=world["helper"], variant=variant, quantity=quantity)
    client.force_login(owner)
    with django_assert_max_num_queries(10):
        page = client.get("/ban-hang/nhat-ky/").content.decode()
    assert "Mật ong số 14" in page and "tồn 8 → 9" in page


def test_more_seller_pages_query_counts(client, world, django_assert_max_num_queries):
    product = world["honey_product"]
    services.add_photo(actor=world["honey"].producer.owner, product=product, data=jpeg_bytes(400, 300))
    for i in range(5):
        make_product(shop=world["honey"], name=f"Mật ong số {i}")
    client.force_login(world["honey"].producer.owner)
    pages = {
        "/ban-hang/": 12,
        f"/ban-hang/san-pham/{product.pk}/anh/": 10,
        "/ban-hang/uy-quyen/": 8,
        f"/ban-hang/san-pham/{product.pk}/phan-loai/moi/": 8,
        "/ban-hang/san-pham/moi/": 8,
    }
    for url, most in pages.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url
    client.force_login(make_shop(name="Hộ mới").producer.owner)
    with django_assert_max_num_queries(12):
        assert client.get("/ban-hang/").status_code == 200  # empty shop


def test_signup_commune_must_be_chosen_and_in_the_province(client):
    from taybac.regions.models import Commune
    from tests.factories import make_user

    client.force_login(make_user())
    page = client.get("/ban-hang/dang-ky/?tinh=15").content.decode()
    assert "— Chọn xã/phường —" in page
    response = client.post(
        "/ban-hang/dang-ky/", {"tinh": 15, "name": "Hộ Lò Văn A", "kind": "household", "commune": ""}
    )
    assert response.status_code == 400 and 'value="Hộ Lò Văn A"' in response.content.decode()
    elsewhere = Commune.objects.exclude(province_id=15).first()
    response = client.post(
        "/ban-hang/dang-ky/", {"tinh": 15, "name": "Hộ Lò Văn A", "kind": "household", "commune": elsewhere.code}
    )
    assert response.status_code == 400
    page = client.get("/ban-hang/dang-ky/").content.decode()
    names = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page)
    assert len(names) == 34 and set(names[:9]) == {
        "Cao Bằng",
        "Điện Biên",
        "Lai Châu",
        "Lạng Sơn",
        "Lào Cai",
        "Phú Thọ",
        "Sơn La",
        "Thái Nguyên",
        "Tuyên Quang",
    }


def test_activity_names_lots_recorded_for_the_producer(client, world):
    import datetime

    from taybac.traceability.services import record_harvest, record_inspection

    owner = world["honey"].producer.owner
    variant = world["honey_product"].variants.get()
    lot = record_harvest(
        actor=world["helper"], variant=variant, harvested_on=datetime.date.today(), quantity=30, code="MV-01"
    )
    record_inspection(actor=owner, lot=lot, passed=True, inspector="HTX Mèo Vạc")
    client.force_login(owner)
    page = client.get("/ban-hang/nhat-ky/").content.decode()
    assert f"thay mặt {owner}</b>: ghi thu hoạch <i>Mật ong bạc hà – lô MV-01</i>" in page
    assert "ghi kết quả kiểm tra <i>Mật ong bạc hà – lô MV-01</i>" in page
    assert "lô <i>" not in page and "lô lô" not in page
