"""A producer on a 360 px phone records a harvest lot (GPS from the phone's location) and finds it in the list.

Set TAYBAC_SHOTS=/some/folder to keep screenshots of the new-lot form and the lot list.
"""

import re

from taybac.traceability.models import Lot
from tests.e2e.phone import fits_phone, shot
from tests.e2e.test_seller_centre import sign_in
from tests.factories import make_product, make_shop


def test_producer_records_a_lot_on_a_phone(page360, live_server, otp_outbox):
    shop = make_shop(name="Hộ Giàng A Páo", province_code=15)
    make_product(shop=shop, name="Mật ong bạc hà Bắc Hà", unit="hũ")
    page = page360
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 22.536123, "longitude": 104.271456, "accuracy": 12})
    sign_in(page, live_server.url, "0" + shop.producer.owner.phone[3:])
    page.click("text=Lô hàng & truy xuất")
    page.wait_for_url("**/ban-hang/lo-hang/")
    assert "Chưa có lô hàng nào" in page.content()
    page.click("text=+ Ghi lô mới (thu hoạch)")
    page.wait_for_url("**/ban-hang/lo-hang/moi/")
    assert page.get_attribute("input[name=unit]", "placeholder") == "hũ"  # the variant's unit, shown by JS
    assert page.locator("select[name=commune] option:checked").inner_text() == shop.commune.name
    shot(page, "lot-new")
    fits_phone(page)
    page.fill("input[name=quantity]", "40")
    page.fill("textarea[name=practices]", "Ong nội, không cho ăn đường")
    page.click("text=Lấy vị trí")
    page.wait_for_selector("text=Đã lấy vị trí")
    assert page.input_value("input[name=latitude]") == "22.53612"
    page.click("button:has-text('Lưu lô hàng')")
    page.wait_for_url("**/ban-hang/lo-hang/")
    lot = Lot.objects.get()
    assert (lot.quantity, lot.unit, str(lot.latitude), str(lot.longitude)) == (40, "hũ", "22.53612", "104.27146")
    item = page.locator(f"#lo-{lot.pk}")
    assert f"Lô {lot.code}" in item.inner_text() and "40 hũ · 1 sự kiện" in item.inner_text()
    assert re.search(rf"Đã ghi lô {lot.code}", page.locator(".messages").inner_text())
    fits_phone(page)
    shot(page, "lot-list")
