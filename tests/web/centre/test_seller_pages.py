import pytest

from taybac.accounts.models import Producer
from taybac.catalog.models import Product, Variant
from taybac.core.models import AuditEntry
from tests.catalog.test_images import jpeg_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def honey_category() -> int:
    from taybac.catalog.models import Category

    return Category.objects.get(slug="mat-ong").pk


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/ban-hang/")["Location"] == "/dang-nhap/?next=/ban-hang/"


def test_sign_up_in_two_steps_opens_a_shop(client):
    user = make_user()
    client.force_login(user)
    page = client.get("/ban-hang/dang-ky/").content.decode()
    assert "Lào Cai" in page and 'name="commune"' not in page
    page = client.get("/ban-hang/dang-ky/?tinh=15").content.decode()
    assert 'name="commune"' in page and "Xã Tả Phìn" in page
    commune = Producer._meta.get_field("commune").related_model.objects.get(name="Xã Tả Phìn", province_id=15)
    response = client.post(
        "/ban-hang/dang-ky/", {"tinh": 15, "name": "Hộ Lò Thị Mai", "kind": "household", "commune": commune.code}
    )
    assert response["Location"] == "/ban-hang/san-pham/moi/"
    producer = Producer.objects.get(owner=user)
    assert producer.shop.name == "Hộ Lò Thị Mai" and producer.province_id == 15


def test_sign_up_errors_keep_the_input(client):
    client.force_login(make_user())
    response = client.post("/ban-hang/dang-ky/", {"tinh": 15, "name": "", "kind": "household", "commune": 1})
    assert response.status_code == 400
    assert 'value="15"' in response.content.decode()


def test_create_product_in_three_screens_with_a_photo(client, world):
    owner = world["honey"].producer.owner
    client.force_login(owner)
    response = client.post(
        "/ban-hang/san-pham/moi/",
        {
            "name": "Mật ong hoa rừng",
            "category": honey_category(),
            "price": "420.000",
            "quantity": 9,
            "unit": "hũ",
            "weight_grams": 500,
        },
    )
    product = Product.objects.get(name="Mật ong hoa rừng")
    assert response["Location"] == f"/ban-hang/san-pham/{product.pk}/anh/"
    assert product.variants.get().price == 420_000
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("mat-ong.jpg", jpeg_bytes(), content_type="image/jpeg")
    assert client.post(f"/ban-hang/san-pham/{product.pk}/anh/", {"photos": [photo]}).status_code == 302
    assert product.photos.count() == 1
    response = client.post(
        f"/ban-hang/san-pham/{product.pk}/",
        {
            "name": "Mật ong hoa rừng",
            "category": product.category_id,
            "season_months": [4, 5],
            "description": "Mật ong thu từ rừng già.",
            "is_active": "on",
            "ocop_stars": "3",
            "ocop_issuer": "UBND tỉnh Lào Cai",
            "ocop_number": "12/QĐ",
            "ocop_issued_on": "2025-01-01",
            "ocop_expires_on": "2028-01-01",
        },
    )
    assert response["Location"] == "/ban-hang/"
    product.refresh_from_db()
    assert product.season_months == [4, 5] and product.ocop.stars == 3
    page = client.get("/ban-hang/").content.decode()
    assert "Mật ong hoa rừng" in page and "420.000 ₫" in page


def test_non_image_upload_refused_clearly(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["honey"].producer.owner)
    product = world["honey_product"]
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = client.post(f"/ban-hang/san-pham/{product.pk}/anh/", {"photos": [fake]})
    assert response.status_code == 400 and "không phải là ảnh hợp lệ" in response.content.decode()
    assert product.photos.count() == 0


def test_bad_price_shown_next_to_field(client, world):
    client.force_login(world["honey"].producer.owner)
    response = client.post(
        "/ban-hang/san-pham/moi/",
        {"name": "X", "category": honey_category(), "price": "abc", "quantity": 1, "unit": "hũ", "weight_grams": 100},
    )
    assert response.status_code == 400 and "Số tiền không hợp lệ" in response.content.decode()
    assert 'value="X"' in response.content.decode()


def test_quick_stock_update(client, world):
    client.force_login(world["honey"].producer.owner)
    variant = world["honey_product"].variants.get()
    client.post(f"/ban-hang/phan-loai/{variant.pk}/ton-kho/", {"quantity": 40})
    variant.refresh_from_db()
    assert variant.quantity == 40
    client.post(f"/ban-hang/phan-loai/{variant.pk}/ton-kho/", {"quantity": -3})
    variant.refresh_from_db()
    assert variant.quantity == 40


def test_helper_switches_and_acts_on_behalf(client, world):
    helper = world["helper"]
    client.force_login(helper)
    page = client.get("/ban-hang/").content.decode()
    assert "thay mặt Hộ Giàng A Páo" in page
    variant = world["honey_product"].variants.get()
    client.post(f"/ban-hang/phan-loai/{variant.pk}/ton-kho/", {"quantity": 5})
    entry = AuditEntry.objects.get(action="variant.updated")
    assert (entry.actor_id, entry.on_behalf_of_id) == (helper.pk, world["honey"].producer.owner_id)
    activity = client.get("/ban-hang/nhat-ky/").content.decode()
    assert "Nguyễn Thị Hoa" in activity and "thay mặt" in activity and "sửa giá/tồn kho" in activity


def test_helper_refused_on_shop_that_did_not_delegate(client, world):
    client.force_login(world["helper"])
    tea = world["tea_product"]
    variant = tea.variants.get()
    assert client.get(f"/ban-hang/san-pham/{tea.pk}/").status_code == 403
    assert client.get(f"/ban-hang/san-pham/{tea.pk}/anh/").status_code == 403
    assert (
        client.post(f"/ban-hang/san-pham/{tea.pk}/", {"name": "Hack", "category": tea.category_id}).status_code == 403
    )
    assert client.post(f"/ban-hang/phan-loai/{variant.pk}/ton-kho/", {"quantity": 0}).status_code == 403
    assert client.post("/ban-hang/chon/", {"producer": world["tea"].producer.pk}).status_code == 403
    tea.refresh_from_db()
    variant.refresh_from_db()
    assert tea.name == "Chè Shan tuyết" and variant.quantity == 12
    assert not AuditEntry.objects.filter(actor=world["helper"]).exists()


def test_revoked_delegation_stops_access(client, world):
    owner = world["honey"].producer.owner
    delegation = world["honey"].producer.delegations.get()
    client.force_login(owner)
    assert "Nguyễn Thị Hoa" in client.get("/ban-hang/uy-quyen/").content.decode()
    client.post(f"/ban-hang/uy-quyen/{delegation.pk}/thu-hoi/", {"xac_nhan": "1"})
    client.force_login(world["helper"])
    assert client.get(f"/ban-hang/san-pham/{world['honey_product'].pk}/").status_code == 403
    assert client.get("/ban-hang/")["Location"] == "/ban-hang/dang-ky/"


def test_owner_grants_by_phone_and_only_owner_revokes(client, world):
    owner = world["tea"].producer.owner
    client.force_login(owner)
    response = client.post("/ban-hang/uy-quyen/", {"phone": "0" + world["helper"].phone[3:]})
    assert response.status_code == 302
    assert world["tea"].producer.delegations.filter(delegate=world["helper"], revoked_at=None).exists()
    assert client.post("/ban-hang/uy-quyen/", {"phone": "0912999999"}).status_code == 400  # nobody with it
    honey_delegation = world["honey"].producer.delegations.get()
    assert client.post(f"/ban-hang/uy-quyen/{honey_delegation.pk}/thu-hoi/").status_code == 403
    client.force_login(world["helper"])
    assert client.get("/ban-hang/uy-quyen/").status_code == 403


def test_add_variant(client, world):
    client.force_login(world["honey"].producer.owner)
    product = world["honey_product"]
    client.post(
        f"/ban-hang/san-pham/{product.pk}/phan-loai/moi/",
        {"name": "Hũ 1 kg", "unit": "hũ", "weight_grams": 1000, "price": "650000", "quantity": 3},
    )
    assert Variant.objects.filter(product=product, name="Hũ 1 kg", price=650_000).exists()


def test_seller_pages_query_counts(client, world, django_assert_max_num_queries):
    client.force_login(world["helper"])
    with django_assert_max_num_queries(12):
        assert client.get("/ban-hang/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/ban-hang/san-pham/{world['honey_product'].pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/ban-hang/nhat-ky/").status_code == 200


def test_producer_keeps_own_gtin_and_a_wrong_check_digit_is_shown(client, world):
    client.force_login(world["honey"].producer.owner)
    form = {
        "name": "Mật ong có mã",
        "category": honey_category(),
        "price": "300000",
        "quantity": 2,
        "unit": "hũ",
        "weight_grams": 500,
        "gtin": "8934563138166",
    }
    response = client.post("/ban-hang/san-pham/moi/", form)
    assert response.status_code == 400 and "check digit" in response.content.decode()
    client.post("/ban-hang/san-pham/moi/", {**form, "gtin": "8934563138165"})
    assert Product.objects.get(name="Mật ong có mã").variants.get().gtin == "08934563138165"


def test_producer_opens_preorders_and_buyers_see_them(client, world):
    import datetime

    product = world["honey_product"]
    product.preorder_allowed, product.next_harvest = True, datetime.date.today() + datetime.timedelta(days=30)
    product.save()
    variant = product.variants.get()
    Variant.objects.filter(pk=variant.pk).update(quantity=0)
    client.force_login(world["honey"].producer.owner)
    assert "Suất đặt trước vụ tới" in client.get("/ban-hang/").content.decode()
    client.post(f"/ban-hang/phan-loai/{variant.pk}/dat-truoc/", {"harvest_quota": "8"})
    client.post(f"/ban-hang/phan-loai/{variant.pk}/dat-truoc/", {"harvest_quota": "-2"})
    variant.refresh_from_db()
    assert variant.harvest_quota == 8
    page = client.get(product.get_absolute_url()).content.decode()
    assert "còn 8 suất" in page and "Đặt trước</button>" in page


def test_step_label_only_while_creating(client, world):
    client.force_login(world["honey"].producer.owner)
    product = world["honey_product"]
    assert "Bước 3/3" in client.get(f"/ban-hang/san-pham/{product.pk}/?moi=1").content.decode()
    assert "Sửa sản phẩm" in client.get(f"/ban-hang/san-pham/{product.pk}/").content.decode()
