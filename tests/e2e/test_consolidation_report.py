"""On a 360 px phone, without JavaScript: the consolidation report (figures stacked with their labels, nothing
wider than the screen, filters and the CSV link work) and the post office's list of today's consignments."""

from __future__ import annotations

from django.utils import timezone

from taybac.accounts.models import Role
from taybac.logistics.consolidation_store import run_consolidation
from tests.e2e.phone import fits_phone, shot, signed_in_phone
from tests.factories import make_user
from tests.logistics.consolidation_world import HA_NOI, LAO_CAI, SON_LA, post_office, stock, waiting_shipment


def test_report_and_post_office_list_at_360px(browser, live_server, transactional_db):
    clerk = make_user(full_name="Lý Thị Mai")
    sapa = post_office("BD-SAPA", LAO_CAI, name="Bưu điện phường Sa Pa", staff=[clerk])
    mocchau = post_office("BD-MOCCHAU", SON_LA, name="Bưu điện phường Mộc Châu")
    v = stock()
    codes = [waiting_shipment(v, sapa, dest=HA_NOI, weight_g=1_200).tracking_code for _ in range(3)]
    waiting_shipment(v, mocchau, dest=HA_NOI)
    waiting_shipment(v, mocchau, dest=HA_NOI)
    run_consolidation(day=timezone.localdate())

    context, page = signed_in_phone(browser, live_server.url, make_user(role=Role.OPERATOR))
    page.goto(f"{live_server.url}/van-hanh/gom-hang/")
    fits_phone(page)
    shot(page, "consolidation-report")
    first = page.locator("table.rep tbody tr").first
    assert first.locator("td").first.inner_text().endswith("Sơn La")
    # stacked: each figure sits under the previous one with its label
    cells = first.locator("td[data-label]")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert all(b is not None and b["width"] > 300 for b in boxes)
    assert [round(b["y"]) for b in boxes] == sorted(round(b["y"]) for b in boxes)
    page.select_option("select[name=tinh]", str(LAO_CAI))
    page.get_by_role("button", name="Xem", exact=True).click()
    assert "tinh=15" in page.url and page.locator("table.rep tbody tr").count() == 1
    assert "Lào Cai" in page.locator("table.rep tbody").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bảng này (CSV)").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.startswith("thang,ma_tinh,tinh,") and f",{LAO_CAI},Lào Cai,3,3,1,3600," in text
    context.close()

    context, page = signed_in_phone(browser, live_server.url, clerk)
    page.goto(f"{live_server.url}/buu-dien/")
    page.get_by_role("link", name="Chuyến gom hôm nay").click()
    fits_phone(page)
    shot(page, "consolidation-office")
    body = page.locator("main").inner_text()
    assert "Đi Thành phố Hà Nội" in body and "3 kiện · 3,6 kg" in body
    assert all(code in body for code in codes) and "Mộc Châu" not in body
    context.close()
