"""The GS1 Digital Link resolver: a lot's story in HTML or JSON, verified against the signed log, small and cheap."""

from __future__ import annotations

import datetime
import gzip
import re

import pytest
from django.db import connection

from taybac.traceability import log
from taybac.traceability.capture_scope import Capturer
from taybac.traceability.models import EventLot, LotPhoto, TraceEvent
from taybac.traceability.services import record_inspection, record_packing
from taybac_verify import note, tlog
from tests.web.trace.conftest import TODAY, sell_and_deliver

pytestmark = pytest.mark.django_db

PAGE_QUERIES = 7  # lot+product+shop+producer+commune+OCOP, photos, event links, transformation inputs,
# places (GLNs), latest checkpoint, every Merkle node of every proof — whatever the number of events


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's words without tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response)))


def timeline(response) -> list[str]:
    return re.findall(r'<li class="tl-[^"]*"><time[^>]*>[^<]*</time><b>([^<]+)</b>', html(response))


def test_processed_lot_tells_its_story_and_is_verified(client, story, django_assert_num_queries):
    dried = story["dried"]
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(dried.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    page, words = html(response), text(response)
    assert "✓ Đã xác minh" in page and "Không xác minh được" not in page
    assert f"Cả {dried.events.count()} sự kiện" in words and f"Điểm kiểm: {log.size()} sự kiện" in words
    assert "Chè Shan tuyết sao tay" in words and "Lô SAY-0601" in words
    assert "OCOP ★★★★ 4 sao" in words and "312/QĐ-UBND" in words
    assert "HTX Chè Shan tuyết Suối Giàng" in words and "Hợp tác xã" in words
    assert f"Ngày chế biến {dried.harvested_on:%d/%m/%Y}" in words
    assert "60 gói" in words and "Sao tay trên chảo gang." in words and "Lào Cai" in words
    assert timeline(response) == [
        "Chế biến",
        "Đóng thùng",
        "Kiểm tra: đạt",
        "Gửi hàng",
        "Nhận tại bưu điện",
        "Giao cho người mua",
    ]
    assert "Đóng thùng : 3 thùng, mỗi thùng 20 gói" in words
    assert "Đơn vị kiểm tra: Trung tâm Kiểm nghiệm Lào Cai" in words and "tại Bưu điện Hàng Bạc" in words
    assert f'href="{story["leaves"].get_absolute_url()}"' in page  # the input lot's own page
    gtin = story["tea_variant"].gtin
    for link in (
        'href="/log/checkpoint"',
        f'href="/log/bundle/{gtin}/SAY-0601"',
        'href="/log/key"',
        'href="#xac-minh"',
        'id="tu-kiem-tra"',
        f'href="/01/{gtin}/10/SAY-0601/qr.svg"',
    ):
        assert link in page, link
    assert "<script" not in page.split("<main>")[1].split("</main>")[0]  # nothing on the page needs JS


def test_harvest_lot_shows_gps_certificates_and_where_it_went(client, story):
    leaves = story["leaves"]
    response = client.get(leaves.get_absolute_url())
    page, words = html(response), text(response)
    assert "https://www.openstreetmap.org/?mlat=22.33640&amp;mlon=103.84380" in page
    assert "(22.33640, 103.84380)" in words  # dots, never a localised comma
    assert "<iframe" not in page and "VietGAP số 12/2026/VG" in words
    assert "Chè cổ thụ, không phun thuốc" in words and "Ngày thu hoạch" in words and "OCOP" not in words
    assert timeline(response) == ["Thu hoạch", "Đưa vào chế biến"]
    assert "120 kg · có toạ độ GPS" in words and "Dùng 120 kg" in words
    assert f'href="{story["dried"].get_absolute_url()}"' in page


def test_expired_ocop_is_not_shown(client, story):
    from taybac.catalog.models import OcopCertificate

    OcopCertificate.objects.filter(product=story["tea"]).update(
        issued_on=TODAY - datetime.timedelta(days=1200), expires_on=TODAY - datetime.timedelta(days=1)
    )
    response = client.get(story["dried"].get_absolute_url())
    assert "OCOP" not in text(response)
    assert (
        client.get(story["dried"].get_absolute_url(), HTTP_ACCEPT="application/json").json()["product"]["ocop"] is None
    )


def test_failed_inspection_and_household_producer(client, story):
    from taybac.traceability.services import record_harvest
    from tests.factories import make_product

    variant = make_product(name="Mật ong bạc hà").variants.get()
    owner = variant.shop.producer.owner
    lot = record_harvest(actor=owner, variant=variant, harvested_on=TODAY, quantity=40, unit="hũ")
    record_inspection(
        actor=owner, lot=lot, passed=False, inspector="Chi cục QLCL Nông lâm sản", note="Độ ẩm cao hơn tiêu chuẩn."
    )
    response = client.get(lot.get_absolute_url())
    assert timeline(response) == ["Thu hoạch", "Kiểm tra: không đạt"]
    assert "Hộ sản xuất" in text(response) and "Độ ẩm cao hơn tiêu chuẩn." in text(response)
    assert "✓ Đã xác minh" in html(response)  # a failed inspection is a true, verified fact


def test_events_captured_from_other_systems(client, story):
    from taybac.traceability import store
    from taybac.traceability.epcis import build

    dried = story["dried"]
    lot_class = build.lot_class(story["tea_variant"].gtin, dried.code)
    base = {
        "eventTime": "2026-01-05T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "quantityList": [{"epcClass": lot_class, "quantity": 12.5, "uom": "KGM"}],
    }
    store.capture(
        build.document(
            [
                {"type": "ObjectEvent", **base, "bizStep": "storing", "disposition": "in_progress"},
                {"type": "ObjectEvent", **base, "bizStep": "shipping"},
            ],
            created=datetime.datetime.now(datetime.UTC),
        ),
        by=Capturer(),
    )
    response = client.get(dried.get_absolute_url())
    assert timeline(response)[-2:] == ["Sự kiện ObjectEvent · storing", "Gửi hàng"]
    assert "12.5 kg · in_progress" in text(response) and "✓ Đã xác minh" in html(response)


def test_query_count_does_not_grow_with_events(client, story, django_assert_num_queries):
    dried, owner = story["dried"], story["owner"]
    record_packing(actor=owner, lot=dried, cartons=25, per_carton=1)
    for i in range(5):
        record_inspection(actor=owner, lot=dried, passed=True, inspector=f"Đoàn kiểm tra {i}")
    sell_and_deliver(story["tea_variant"], dried, owner, quantity=1)
    assert dried.events.count() > 35
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(dried.get_absolute_url())
    assert "✓ Đã xác minh" in html(response)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(dried.get_absolute_url(), HTTP_ACCEPT="application/json").json()["verification"]["verified"]


def test_json_on_the_same_url(client, story, django_assert_num_queries):
    dried = story["dried"]
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(dried.get_absolute_url(), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    body = response.json()
    gtin = story["tea_variant"].gtin
    from django.conf import settings

    here = f"{settings.PUBLIC_URL}/01/{gtin}/10/SAY-0601"
    assert body["lot"] == {
        "gtin": gtin,
        "code": "SAY-0601",
        "url": here,
        "harvested_on": dried.harvested_on.isoformat(),
        "quantity": 60,
        "unit": "gói",
        "commune": {"code": dried.commune_id, "name": dried.commune.name},
        "province": {"code": 15, "name": "Lào Cai"},
        "gps": None,
        "practices": "Sao tay trên chảo gang.",
        "certificates": [],
        "photos": [],
    }
    assert body["product"]["name"] == "Chè Shan tuyết sao tay" and body["product"]["ocop"]["stars"] == 4
    assert body["producer"]["kind"] == "cooperative" and body["producer"]["kind_label"] == "Hợp tác xã"
    events = list(dried.events.order_by("leaf_index"))
    assert body["events"] == [e.document for e in events]
    assert [e["type"] for e in body["events"]][:2] == ["TransformationEvent", "AggregationEvent"]
    checkpoint = note.open_checkpoint(log.latest_checkpoint().note, log.public_key(), log.origin())
    assert body["verification"] == {
        "verified": True,
        "checkpoint_size": checkpoint.size,
        "root": tlog.encode_hash(checkpoint.root_hash),
        "origin": log.origin(),
        "leaf_indexes": [e.leaf_index for e in events],
        "failed_leaf_indexes": [],
        "problems": [],
    }
    assert body["links"] == {
        "self": here,
        "qr_svg": f"{here}/qr.svg",
        "qr_png": f"{here}/qr.png",
        "bundle": f"{settings.PUBLIC_URL}/log/bundle/{gtin}/SAY-0601",
        "checkpoint": f"{settings.PUBLIC_URL}/log/checkpoint",
        "key": f"{settings.PUBLIC_URL}/log/key",
    }
    # A browser's Accept header still gets HTML.
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get(dried.get_absolute_url(), HTTP_ACCEPT=browser)["Content-Type"].startswith("text/html")


def test_unknown_lots_and_gtins_are_a_vietnamese_404(client, story):
    gtin = story["tea_variant"].gtin
    for url in (
        f"/01/{gtin}/10/KHONG-CO",
        "/01/00000000000000/10/SAY-0601",
        f"/01/{gtin}/10/KHONG-CO/qr.png",
        f"/01/{gtin}/10/KHONG-CO/qr.svg",
        "/01/00000000000000",
        "/01/0000000000000",
        "/01/12345/10/A",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy" in html(response), url
    missing = client.get(f"/01/{gtin}/10/KHONG-CO", HTTP_ACCEPT="application/json")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_digital_link_redirects(client, story):
    tea, variant = story["tea"], story["tea_variant"]
    gtin = variant.gtin
    product = client.get(f"/01/{gtin}")
    assert product.status_code == 302 and product["Location"] == tea.get_absolute_url()
    assert gtin.startswith("0")
    short = gtin[1:]  # the GTIN-13 printed under the barcode
    for path, target in (
        (f"/01/{short}", f"/01/{gtin}"),
        (f"/01/{short}/10/SAY-0601", f"/01/{gtin}/10/SAY-0601"),
        (f"/01/{short}/10/SAY-0601/qr.png?size=200", f"/01/{gtin}/10/SAY-0601/qr.png?size=200"),
    ):
        response = client.get(path)
        assert response.status_code == 301 and response["Location"] == target, path
    lower = client.get(f"/01/{gtin}/10/say-0601")
    assert lower.status_code == 301 and lower["Location"] == f"/01/{gtin}/10/SAY-0601"
    assert client.get(f"/01/{gtin}/10/say-0601/qr.svg")["Location"] == f"/01/{gtin}/10/SAY-0601/qr.svg"
    assert client.get(f"/01/{gtin}/10/SAY-0601/").status_code == 200


def _set_canonical(event: TraceEvent, canonical: str) -> None:
    """What an attacker with SQL access (or a bad migration) would do: rewrite a stored event in place."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TraceEvent._meta.db_table} SET canonical = %s WHERE id = %s", [canonical, event.pk])


def test_a_rewritten_event_is_not_verified(client, story):
    dried = story["dried"]
    inspection = dried.events.get(biz_step="inspecting")
    _set_canonical(inspection, inspection.canonical.replace("Trung tâm Kiểm nghiệm Lào Cai", "Bộ Y tế"))
    response = client.get(dried.get_absolute_url())
    page = html(response)
    assert response.status_code == 200
    assert "✗ Không xác minh được" in page and "✓ Đã xác minh" not in page
    assert f"Sự kiện số {inspection.leaf_index} không khớp với nhật ký công khai." in page
    assert re.search(r'<li class="tl-inspection_pass tl-bad">.*?Bộ Y tế.*?Không khớp với nhật ký', page, re.S)
    body = client.get(dried.get_absolute_url(), HTTP_ACCEPT="application/json").json()
    assert body["verification"]["verified"] is False
    assert body["verification"]["failed_leaf_indexes"] == [inspection.leaf_index]
    # The lot that went into it is untouched and still verified.
    assert "✓ Đã xác minh" in html(client.get(story["leaves"].get_absolute_url()))


def test_an_event_that_is_no_longer_json_is_shown_as_failed_not_a_500(client, story):
    dried = story["dried"]
    shipping = dried.events.get(biz_step="shipping")
    _set_canonical(shipping, "đã xoá")
    response = client.get(dried.get_absolute_url())
    assert response.status_code == 200 and "✗ Không xác minh được" in html(response)
    assert f"Sự kiện số {shipping.leaf_index} không khớp" in html(response)
    body = client.get(dried.get_absolute_url(), HTTP_ACCEPT="application/json").json()
    assert {} in body["events"] and body["verification"]["verified"] is False


def test_changed_lot_facts_are_not_verified(client, story):
    leaves = story["leaves"]
    type(leaves).objects.filter(pk=leaves.pk).update(practices="Hữu cơ 100%", quantity=500)
    page = html(client.get(leaves.get_absolute_url()))
    assert "✗ Không xác minh được" in page
    assert "Thông tin lô (cách canh tác, số lượng) khác với sự kiện số" in page


def test_a_forged_checkpoint_is_not_verified(client, story):
    checkpoint = log.latest_checkpoint()
    forged = checkpoint.note.replace(f"\n{checkpoint.size}\n", f"\n{checkpoint.size + 1}\n")
    type(checkpoint).objects.filter(pk=checkpoint.pk).update(note=forged)
    page = html(client.get(story["dried"].get_absolute_url()))
    assert "✗ Không xác minh được" in page and "Chữ ký của điểm kiểm" in page


def test_an_event_of_another_lot_linked_here_is_flagged(client, story):
    leaves, dried = story["leaves"], story["dried"]
    foreign = dried.events.get(biz_step="inspecting")
    EventLot.objects.create(event=foreign, lot=leaves, role=EventLot.Role.OBJECT)
    page = html(client.get(leaves.get_absolute_url()))
    assert f"Sự kiện số {foreign.leaf_index} không nhắc đến lô này." in page


def test_photos_are_lazy_and_sized(client, story):
    dried = story["dried"]
    LotPhoto.objects.create(lot=dried, path_stem="lots/1/sao-che", widths=[320, 640], width=640, height=480)
    page = html(client.get(dried.get_absolute_url()))
    img = re.search(r"<img [^>]+>", page).group(0)
    assert 'loading="lazy"' in img and 'width="640" height="480"' in img
    assert "/media/lots/1/sao-che-320.webp 320w" in img and "/media/lots/1/sao-che-640.webp 640w" in img


def first_visit_bytes(client, url: str) -> tuple[int, int]:
    """(HTML gzip bytes, HTML + linked CSS/JS gzip bytes) for a first visit; photos are not counted."""
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    body = response.content if response.get("Content-Encoding") == "gzip" else gzip.compress(response.content)
    total = len(body)
    page = gzip.decompress(body).decode()
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page):
        asset_response = client.get(asset, HTTP_ACCEPT_ENCODING="gzip")
        content = b"".join(asset_response.streaming_content) if asset_response.streaming else asset_response.content
        total += len(content if asset_response.get("Content-Encoding") == "gzip" else gzip.compress(content))
    return len(body), total


def test_trace_page_within_50_kb(client, story, capsys):
    dried, owner = story["dried"], story["owner"]
    typical = first_visit_bytes(client, dried.get_absolute_url())
    # A busy lot: 100 cartons in 10 packings, 10 inspections, 10 orders, 5 photos.
    for _ in range(10):
        record_packing(actor=owner, lot=dried, cartons=10, per_carton=1)
        record_inspection(
            actor=owner,
            lot=dried,
            passed=True,
            inspector="Trung tâm Kiểm nghiệm Lào Cai",
            note="Đạt tiêu chuẩn TCVN về chè xanh. " * 3,
        )
    for _ in range(10):
        sell_and_deliver(story["tea_variant"], dried, owner, quantity=1)
    for i in range(5):
        LotPhoto.objects.create(
            lot=dried, path_stem=f"lots/{dried.pk}/anh-{i}", widths=[320, 640, 1024], width=1024, height=768, position=i
        )
    busy = first_visit_bytes(client, dried.get_absolute_url())
    assert dried.events.count() > 140
    assert typical[1] <= 50 * 1024 and busy[1] <= 50 * 1024
    with capsys.disabled():
        print(f"\ntrace page gzip bytes (html, html+css): typical {typical}, busy lot {busy}")
