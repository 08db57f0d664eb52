"""Seller identity pages: the seller centre form (owner and delegated helper), the shop page's seller line, the
operators' blocked list and report download. The number never appears in full on a page or in the audit."""

import pytest

from taybac.accounts.models import SellerIdentity
from taybac.accounts.services import grant_delegation
from taybac.core.models import AuditEntry
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db

NUMBER = "014090123457"


def _form(shop, **extra):
    return {
        "tinh": shop.province_id,
        "legal_name": "Giàng Thị Mỷ",
        "id_kind": "citizen_id",
        "number": NUMBER,
        "street": "Bản Phìn Hồ",
        "commune": shop.commune_id,
        **extra,
    }


def test_owner_records_identity_and_sees_it_masked(client):
    shop = make_shop(name="Hộ Mỷ")
    client.force_login(shop.producer.owner)
    assert "Chưa nhận được tiền bán hàng" in client.get("/ban-hang/").content.decode()
    page = client.get("/ban-hang/danh-tinh/").content.decode()
    assert "Chưa nhận được tiền bán hàng" in page and 'name="number"' in page
    assert "chưa xác minh danh tính" in client.get(f"/gian-hang/{shop.slug}/").content.decode()
    response = client.post("/ban-hang/danh-tinh/", _form(shop))
    assert response.status_code == 302 and response["Location"] == "/ban-hang/danh-tinh/"
    page = client.get("/ban-hang/danh-tinh/").content.decode()
    assert "•••• •••• 3457" in page and NUMBER not in page and "Đã đủ thông tin" in page
    assert 'value="Giàng Thị Mỷ"' in page  # the rest is prefilled, the number is not
    assert "•••• •••• 3457" in client.get("/ban-hang/").content.decode()
    shop_page = client.get(f"/gian-hang/{shop.slug}/").content.decode()
    assert "Giàng Thị Mỷ" in shop_page and shop.commune.name in shop_page and "chưa xác minh" not in shop_page
    assert NUMBER not in shop_page and "3457" not in shop_page


def test_refused_number_is_explained_and_not_echoed(client):
    shop = make_shop()
    client.force_login(shop.producer.owner)
    bad = "003090123456"  # 003 is no province code
    response = client.post("/ban-hang/danh-tinh/", _form(shop, number=bad))
    page = response.content.decode()
    assert response.status_code == 400 and "mã tỉnh" in page and bad not in page
    assert not SellerIdentity.objects.exists()
    wrong_commune = client.post("/ban-hang/danh-tinh/", _form(shop, commune=999999999))
    assert wrong_commune.status_code == 400 and not SellerIdentity.objects.exists()


def test_helper_records_for_the_producer_and_is_audited_without_the_number(client):
    shop, helper = make_shop(), make_user(role="helper")
    grant_delegation(producer=shop.producer, delegate=helper, granted_by=shop.producer.owner)
    client.force_login(helper)
    assert "thay mặt" in client.get("/ban-hang/danh-tinh/").content.decode()
    assert client.post("/ban-hang/danh-tinh/", _form(shop)).status_code == 302
    entry = AuditEntry.objects.get(action="seller_identity.recorded")
    assert (entry.actor_id, entry.on_behalf_of_id) == (helper.pk, shop.producer.owner_id)
    assert entry.detail["fields"] == ["legal_name", "id_kind", "number", "street", "commune"]
    assert not AuditEntry.objects.filter(detail__icontains="123457").exists()
    activity = client.get("/ban-hang/nhat-ky/").content.decode()
    assert NUMBER not in activity


def test_operators_see_blocked_shops_and_download_the_report(client):
    blocked, done = make_shop(name="Hộ chưa ghi"), make_shop(name="Hộ đã ghi")
    owner = done.producer.owner
    client.force_login(owner)
    client.post("/ban-hang/danh-tinh/", _form(done))
    for user in (owner, make_user(), make_user(role="helper")):
        client.force_login(user)
        assert client.get("/van-hanh/danh-tinh-nguoi-ban/").status_code == 403
        assert client.get("/van-hanh/danh-tinh-nguoi-ban/bao-cao.csv?quy=2026-Q4").status_code == 403
    client.force_login(make_user(role="operator"))
    page = client.get("/van-hanh/danh-tinh-nguoi-ban/").content.decode()
    assert "Hộ chưa ghi" in page and "Hộ đã ghi" not in page and blocked.commune.name in page
    bad = client.get("/van-hanh/danh-tinh-nguoi-ban/bao-cao.csv?quy=2026-Q5", follow=True)
    assert "2026-Q3" in bad.content.decode()  # the error says the form
    csv = client.get("/van-hanh/danh-tinh-nguoi-ban/bao-cao.csv?quy=2026-Q4")
    assert csv["Content-Type"].startswith("text/csv") and csv["Cache-Control"] == "no-store"
    text = csv.content.decode("utf-8-sig")
    assert NUMBER in text and "Giàng Thị Mỷ" in text and ",missing" in text
    assert AuditEntry.objects.filter(action="seller_report.exported", detail__quarter="2026-Q4").count() == 1
