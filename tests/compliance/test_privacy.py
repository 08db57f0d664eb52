"""Personal data (Law 91/2025/QH15): the notice, the copy of one's data, consent, and deletion end to end."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.test import Client

from taybac.accounts.models import SavedAddress, User
from taybac.compliance import consent, services
from taybac.compliance.models import ConsentRecord, DataRequest
from taybac.compliance.privacy import PURPOSES
from taybac.core import outbox
from taybac.core.models import OutboxMessage
from taybac.orders.models import Order
from taybac.reviews.models import Review
from tests.compliance.privacy_world import buyer_with_history, sender  # noqa: F401 (fixture)
from tests.factories import make_user

MARKETING = ConsentRecord.Purpose.MARKETING
DOCS = Path(__file__).resolve().parents[2] / "docs" / "compliance.md"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_notice_lists_every_purpose_and_the_docs_repeat_them(db):
    page = Client().get("/quyen-rieng-tu/").content.decode()
    docs = DOCS.read_text()
    for purpose in PURPOSES:
        assert purpose.title in page and purpose.retention in page
        assert purpose.title in docs, f"docs/compliance.md lacks the purpose {purpose.title!r}"
    assert "/tro-ly/" in page  # the assistant's memory consent lives there


def test_the_copy_holds_my_data_and_nobody_elses(db):
    lan = buyer_with_history(name="Trần Thị Lan", street="12 Hàng Bạc")
    mai = buyer_with_history(name="Lê Văn Mai", street="99 Phố Huế")
    response = signed_in(lan).post("/tai-khoan/du-lieu/tai-ve/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    text = response.content.decode()
    assert data["account"]["phone"] == lan.phone
    assert [a["address"].startswith("12 Hàng Bạc") for a in data["saved_addresses"]["rows"]] == [True]
    assert [o["contact_phone"] for o in data["orders"]["rows"]] == [lan.phone]
    assert [r["text"] for r in data["reviews"]["rows"]] == ["Ngon lắm (Lan)."]
    for other in (mai.phone, "Lê Văn Mai", "99 Phố Huế"):
        assert other not in text
    assert DataRequest.objects.filter(user=lan, kind="export", status="done").count() == 1


def test_a_large_copy_is_zipped_and_copies_are_bounded_per_day(db, monkeypatch):
    lan = buyer_with_history(name="Trần Thị Lan", street="12 Hàng Bạc")
    monkeypatch.setattr(services, "ZIP_OVER", 100)
    client = signed_in(lan)
    response = client.post("/tai-khoan/du-lieu/tai-ve/")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        (name,) = archive.namelist()
        assert json.loads(archive.read(name))["account"]["phone"] == lan.phone
    for _ in range(services.EXPORTS_PER_DAY - 1):
        assert client.post("/tai-khoan/du-lieu/tai-ve/").status_code == 200
    refused = client.post("/tai-khoan/du-lieu/tai-ve/")
    assert refused.status_code == 429 and "ngày mai" in refused.content.decode()


def test_consent_is_never_pre_ticked_and_is_withdrawn_in_one_tap(db):
    buyer = make_user()
    client = signed_in(buyer)
    page = client.get("/tai-khoan/du-lieu/").content.decode()
    box = re.search(r'<input type="checkbox" name="dong_y"[^>]*>', page)
    assert box and "checked" not in box.group(0)
    assert consent.wording(purpose=MARKETING)[1] in page
    unticked = client.post("/tai-khoan/du-lieu/dong-y/", {})
    assert unticked.status_code == 400 and not ConsentRecord.objects.exists()
    client.post("/tai-khoan/du-lieu/dong-y/", {"dong_y": "on"})
    assert consent.has_consent(user=buyer, purpose=MARKETING)
    record = ConsentRecord.objects.get()
    assert record.granted and record.wording_version == consent.wording(purpose=MARKETING)[0] and record.created_at
    assert "Ngừng nhận tin" in client.get("/tai-khoan/du-lieu/").content.decode()
    client.post("/tai-khoan/du-lieu/dong-y/", {"rut": "1"})  # the one tap
    assert not consent.has_consent(user=buyer, purpose=MARKETING)
    assert list(ConsentRecord.objects.order_by("id").values_list("granted", flat=True)) == [True, False]


def test_the_outbox_refuses_marketing_to_people_without_consent(db):
    agreed, silent, withdrew = make_user(), make_user(), make_user()
    consent.set_consent(user=agreed, purpose=MARKETING, granted=True)
    consent.set_consent(user=withdrew, purpose=MARKETING, granted=True)
    consent.set_consent(user=withdrew, purpose=MARKETING, granted=False)
    stranger = "+84987654321"  # no account at all
    rows = outbox.enqueue(
        [outbox.sms(phone=u.phone, text="Mua mat ong mua moi", marketing=True) for u in (agreed, silent, withdrew)]
        + [outbox.sms(phone=stranger, text="Mua mat ong mua moi", marketing=True)]
        + [outbox.sms(phone=silent.phone, text="Don hang TB123 da giao")]  # not marketing: always sent
    )
    assert sorted((r.recipient, r.body) for r in rows) == sorted(
        [(agreed.phone, "Mua mat ong mua moi"), (silent.phone, "Don hang TB123 da giao")]
    )
    assert OutboxMessage.objects.count() == 2


def test_deletion_end_to_end_keeps_the_order_and_removes_the_person(db, sender):
    lan = buyer_with_history(name="Trần Thị Lan", street="12 Hàng Bạc")
    consent.set_consent(user=lan, purpose=MARKETING, granted=True)
    phone, order = lan.phone, Order.objects.get(buyer=lan)
    client = signed_in(lan)
    assert client.post("/tai-khoan/du-lieu/xoa/").status_code == 302
    (sent_to, text) = sender.sent[-1]
    assert sent_to == phone
    assert "Gửi mã mới" in client.get("/tai-khoan/du-lieu/").content.decode()  # a lost code can be sent again
    wrong = client.post("/tai-khoan/du-lieu/xoa/xac-nhan/", {"ma": "000000" if text[:6] != "000000" else "111111"})
    assert wrong.status_code == 400 and User.objects.get(pk=lan.pk).phone == phone  # nothing deleted
    done = client.post("/tai-khoan/du-lieu/xoa/xac-nhan/", {"ma": text[:6]})
    assert done.status_code == 302 and done["Location"] == "/"

    gone = User.objects.get(pk=lan.pk)
    assert (gone.phone, gone.email, gone.full_name, gone.is_active) == (None, "", "", False)
    assert not gone.has_usable_password() and "Trần" not in gone.username
    assert not SavedAddress.objects.filter(user=gone).exists()
    assert Review.objects.get(author=gone).author_name == services.DELETED_AUTHOR
    assert not consent.has_consent(user=gone, purpose=MARKETING)
    kept = Order.objects.get(pk=order.pk)  # the accounting record stays, with its contact, for the legal period
    assert kept.contact_phone == phone and kept.shop_orders.count() == 1
    assert DataRequest.objects.get(user=gone, kind="delete").status == "done"
    assert client.get("/tai-khoan/du-lieu/").status_code == 302  # the session no longer signs anyone in
    product_id = kept.shop_orders.get().lines.get().variant.product_id
    product_page = Client().get(f"/san-pham/{product_id}/", follow=True).content.decode()
    assert services.DELETED_AUTHOR in product_page and "Trần Thị Lan" not in product_page


def test_a_seller_is_told_what_blocks_the_deletion(db):
    from tests.reviews.purchases import placed

    shop_order = placed(None)  # confirmed, not yet delivered: an open order of the shop
    owner = shop_order.shop.producer.owner
    client = signed_in(owner)
    page = client.get("/tai-khoan/du-lieu/").content.decode()
    assert "còn 1 đơn đang xử lý" in page and "Gửi mã xác nhận" not in page
    refused = client.post("/tai-khoan/du-lieu/xoa/")
    assert refused.status_code == 400 and "còn 1 đơn" in refused.content.decode()
    assert DataRequest.objects.get(user=owner).status == "refused"
    assert User.objects.get(pk=owner.pk).is_active


def test_operators_cannot_delete_themselves_here(db):
    operator = make_user(role="operator")
    assert services.deletion_blockers(user=operator)
    with pytest.raises(services.DataRequestError):
        services.request_deletion(actor=operator, network="203.0.113.9")


def test_operators_see_requests_and_consents_read_only_in_the_admin(db):
    buyer = make_user(full_name="Trần Thị Lan")
    consent.set_consent(user=buyer, purpose=MARKETING, granted=True)
    with pytest.raises(services.DataRequestError):
        services.request_deletion(actor=make_user(role="operator"), network="203.0.113.9")
    operator = User.objects.create(username="vanhanh", role="operator", is_staff=True, is_superuser=True)
    client = signed_in(operator)
    requests = client.get("/quan-tri/compliance/datarequest/").content.decode()
    assert "Chưa thực hiện được" in requests and "Tài khoản cán bộ" in requests
    consents = client.get("/quan-tri/compliance/consentrecord/").content.decode()
    assert "2026-01" in consents and "Trần Thị Lan" in consents
    record = ConsentRecord.objects.get()
    assert client.post(f"/quan-tri/compliance/consentrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ConsentRecord.objects.filter(pk=record.pk).exists()
