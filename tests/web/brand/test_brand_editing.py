"""The seller centre's brand page and the officer page: who may, and bad input answered in Vietnamese."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from taybac.accounts.models import Role
from taybac.accounts.services import grant_delegation
from taybac.catalog import brand
from taybac.catalog.models import ShopPhoto
from taybac.core.models import AuditEntry
from tests.catalog.test_images import jpeg_bytes
from tests.factories import make_user


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_helper_with_consent_edits_the_story_and_it_is_audited(bw):
    helper = make_user(role=Role.HELPER)
    grant_delegation(producer=bw.shop.producer, delegate=helper, granted_by=bw.shop.producer.owner)
    client = _as(helper)
    page = client.get("/ban-hang/thuong-hieu/").content.decode()
    assert "thay mặt" in page and "Ba đời hái chè cổ thụ." in page
    response = client.post("/ban-hang/thuong-hieu/", {"story": "Chè <b>cổ thụ</b>", "latitude": "", "longitude": ""})
    assert response.status_code == 302
    bw.shop.refresh_from_db()
    assert bw.shop.story_html == "<p>Chè <b>cổ thụ</b></p>" and bw.shop.latitude is None
    entry = AuditEntry.objects.filter(action="brand.updated").latest("id")
    assert (entry.actor_id, entry.on_behalf_of_id) == (helper.pk, bw.shop.producer.owner_id)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"story": "<script>alert(1)</script>"}, "thẻ HTML không được phép"),
        ({"story": "x" * 5001}, "quá dài"),
        ({"story": "", "latitude": "91", "longitude": "104"}, "lãnh thổ Việt Nam"),
        ({"story": "", "latitude": "21.5"}, "cả vĩ độ và kinh độ"),
    ],
)
def test_bad_story_or_place_is_answered_in_vietnamese(bw, data, message):
    response = _as(bw.shop.producer.owner).post("/ban-hang/thuong-hieu/", data)
    assert response.status_code == 400 and message in response.content.decode()
    bw.shop.refresh_from_db()
    assert bw.shop.story_html == "<p>Ba đời hái chè cổ thụ.</p>"


def test_photos_upload_bounded_and_removed_after_confirmation(bw, monkeypatch):
    monkeypatch.setattr(brand, "MAX_SHOP_PHOTOS", 2)
    owner = _as(bw.shop.producer.owner)
    upload = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    assert owner.post("/ban-hang/thuong-hieu/anh/", {"photos": upload}).status_code == 302
    too_many = SimpleUploadedFile("c.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = owner.post("/ban-hang/thuong-hieu/anh/", {"photos": too_many}, follow=True)
    assert "c.jpg: Trang thương hiệu tối đa 2 ảnh" in response.content.decode()
    bad = SimpleUploadedFile("d.jpg", b"not an image", content_type="image/jpeg")
    owner.post(f"/ban-hang/thuong-hieu/anh/{bw.shop.photos.first().pk}/xoa/", {"xac_nhan": "1"})
    response = owner.post("/ban-hang/thuong-hieu/anh/", {"photos": bad}, follow=True)
    assert "d.jpg: Tệp tải lên không phải là ảnh hợp lệ." in response.content.decode()
    photo = bw.shop.photos.get()
    assert owner.get(f"/ban-hang/thuong-hieu/anh/{photo.pk}/xoa/").status_code == 200  # confirmation first
    assert _as(make_user()).post(f"/ban-hang/thuong-hieu/anh/{photo.pk}/xoa/", {"xac_nhan": "1"}).status_code == 403
    assert ShopPhoto.objects.filter(pk=photo.pk).exists()


def _decision(**overrides):
    data = {
        "stars": 5,
        "number": "OCOP-200",
        "decision_number": "77/QĐ-BNNMT",
        "decision_date": "2025-06-01",
        "decision_body": "Bộ Nông nghiệp và Môi trường",
        "issued_on": "2025-06-02",
        "expires_on": "2028-06-02",
        "document_url": "",
    }
    return data | overrides


def test_officer_of_the_province_and_operators_record_others_may_not(bw):
    url = f"/can-bo/chung-nhan/san-pham/{bw.product.pk}/"
    officer = _as(bw.officer)
    listing = officer.get("/can-bo/chung-nhan/").content.decode()
    assert bw.product.name in listing and "đã ghi nhận" in listing
    assert officer.get(url).status_code == 200
    response = officer.post(url + "ocop/", _decision())
    assert response.status_code == 302 and response["Location"] == bw.cert.get_absolute_url()
    bw.cert.refresh_from_db()
    assert (bw.cert.stars, bw.cert.decision_body, bw.cert.recorded_by_id) == (
        5,
        "Bộ Nông nghiệp và Môi trường",
        bw.officer.pk,
    )
    stranger = _as(bw.stranger_officer)
    assert bw.product.name not in stranger.get("/can-bo/chung-nhan/").content.decode()
    for client in (stranger, _as(bw.shop.producer.owner), _as(make_user())):
        assert client.get(url).status_code == 403
        assert client.post(url + "ocop/", _decision(stars=3)).status_code == 403
        assert client.post(url + "chi-dan-dia-ly/", {"gi": ""}).status_code == 403
    assert Client().get(url)["Location"].startswith("/dang-nhap/")
    assert _as(bw.operator).post(url + "chi-dan-dia-ly/", {"gi": ""}).status_code == 302
    bw.product.refresh_from_db()
    assert bw.product.gi is None


def test_officer_page_errors_are_vietnamese(bw):
    url = f"/can-bo/chung-nhan/san-pham/{bw.product.pk}/"
    officer = _as(bw.officer)
    response = officer.post(url + "ocop/", _decision(decision_date="2025-07-01"))
    assert response.status_code == 400 and "Ngày quyết định không thể sau ngày cấp" in response.content.decode()
    response = officer.post(url + "ocop/", _decision(document_url="ftp://x/qd.pdf"))
    assert response.status_code == 400 and "https://" in response.content.decode()
    from taybac.catalog.certificates import register_geographical_indication

    far = register_geographical_indication(
        actor=bw.operator, name="Mộc Châu", product_type="Chè Shan tuyết", province_codes=[14]
    )
    response = officer.post(url + "chi-dan-dia-ly/", {"gi": far.pk})
    assert response.status_code == 400 and "không thuộc vùng của chỉ dẫn địa lý Mộc Châu" in response.content.decode()
