"""A buyer scans a lot's QR code on a 360 px phone and reads its verified story; the producer prints labels
whose QR codes, as the browser draws them, read back (ZXing) as the lot's GS1 Digital Link URL."""

import re

from taybac.traceability import qr
from tests.e2e.phone import SHOTS, fits_phone, shot
from tests.e2e.test_seller_centre import sign_in
from tests.payments.qr_decode import decode_qr
from tests.web.trace.conftest import story  # noqa: F401  (the lot with a whole story)


def test_trace_page_on_a_phone(page360, live_server, story):
    dried = story["dried"]
    page = page360
    page.goto(live_server.url + dried.get_absolute_url())
    status = page.locator(".tr-ok")
    assert status.is_visible() and "Đã xác minh" in status.inner_text()
    fits_phone(page)
    assert page.locator(".tl > li").count() == 6
    shot(page, "trace")
    page.click("text=Chè búp tươi – lô LA-0601")  # to the lot of fresh leaves it was made from
    page.wait_for_url("**/10/LA-0601")
    assert page.locator(".tr-ok").is_visible()
    fits_phone(page)
    shot(page, "trace-harvest")
    # The QR code as an SVG file, drawn by the browser.
    page.goto(live_server.url + dried.get_absolute_url() + "/qr.svg?size=330")
    assert decode_qr(page.locator("svg").screenshot()) == qr.lot_url(dried)


def print_box(page) -> list[float]:
    """Sheet width/height, first label width/height and offset from the sheet's corner, in mm, as printed."""
    mm = 96 / 25.4  # CSS px per millimetre: at 100 % scale the printer gets exactly these sizes
    box = page.evaluate("""() => { const s = document.querySelector('.sheet').getBoundingClientRect(),
        l = document.querySelector('.lb').getBoundingClientRect();
        return [s.width, s.height, l.width, l.height, l.top - s.top, l.left - s.left]; }""")
    return [round(v / mm, 1) for v in box]


def test_label_sheet_prints_readable_codes(page360, live_server, otp_outbox, story):
    dried = story["dried"]
    page = page360
    sign_in(page, live_server.url, "0" + story["owner"].phone[3:])
    page.goto(live_server.url + dried.get_absolute_url() + "/nhan-in")
    assert page.locator(".lb svg").count() == 24
    shot(page, "labels")
    # The first label's code as the browser renders it (at print size on a 2x screen, to leave zoom out of it).
    wide = page.context.browser.new_context(
        viewport={"width": 900, "height": 1200}, device_scale_factor=2, storage_state=page.context.storage_state()
    )
    labels = live_server.url + dried.get_absolute_url() + "/nhan-in"
    try:
        sheet = wide.new_page()
        sheet.goto(labels + "?kho=10")
        assert sheet.locator(".lb svg").count() == 10
        assert decode_qr(sheet.locator(".lb svg").first.screenshot()) == qr.lot_url(dried)
        if SHOTS:
            sheet.screenshot(path=f"{SHOTS}/labels-a4.png", full_page=False)
        sheet.emulate_media(media="print")
        for kho, expected in (("10", [210, 297, 105, 57, 6, 0]), ("24", [210, 297, 70, 37, 0.5, 0])):
            sheet.goto(f"{labels}?kho={kho}")
            assert print_box(sheet) == expected, kho
        pdf = sheet.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        if SHOTS:
            open(f"{SHOTS}/labels.pdf", "wb").write(pdf)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # 24 labels: one A4 sheet
        sheet.goto(labels + "?kho=10&so=11")
        pdf = sheet.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2  # the 11th label starts a second sheet
    finally:
        wide.close()
    fits_phone(page)  # the sheet preview shrinks to fit


def test_a_rewritten_event_shows_red_on_the_phone(page360, live_server, story):
    from django.db import connection

    from taybac.traceability.models import TraceEvent

    dried = story["dried"]
    inspection = dried.events.get(biz_step="inspecting")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TraceEvent._meta.db_table} SET canonical = %s WHERE id = %s",
            [inspection.canonical.replace("conformant", "xconformant"), inspection.pk],
        )
    page = page360
    page.goto(live_server.url + dried.get_absolute_url())
    alert = page.locator(".tr-bad")
    assert alert.is_visible() and "Không xác minh được" in alert.inner_text()
    assert f"Sự kiện số {inspection.leaf_index}" in alert.inner_text()
    assert page.locator(".tl-bad").count() == 1 and page.locator(".tr-ok").count() == 0
    fits_phone(page)
    shot(page, "trace-bad")
