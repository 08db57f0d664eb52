"""A producer in xã Đồng Văn (two old districts since 2025) opens the sender's-address page on a 360 px phone
from the seller home, chooses huyện Mèo Vạc, pins the phone's location, saves, reloads: the choice is remembered.

Set TAYBAC_SHOTS=/some/folder to keep screenshots of the page before and after saving.
"""

from taybac.logistics.models import SenderAddress
from tests.e2e.phone import fits_phone, shot
from tests.e2e.test_seller_centre import sign_in
from tests.logistics.sender_world import DONG_VAN, shop_in


def test_the_old_district_is_chosen_once_and_remembered(page360, live_server, otp_outbox):
    shop = shop_in(DONG_VAN)
    page = page360
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 23.2751234, "longitude": 105.3614321, "accuracy": 9})
    sign_in(page, live_server.url, "0" + shop.producer.owner.phone[3:])
    page.click("text=Địa chỉ gửi hàng")
    page.wait_for_url("**/ban-hang/dia-chi-gui-hang/")
    assert page.locator("legend", has_text="Trước năm 2025, địa chỉ này thuộc huyện nào?").is_visible()
    assert page.locator("input[name=legacy_district_code]").count() == 2
    fits_phone(page)
    shot(page, "sender")
    page.fill("input[name=street]", "Thôn Lao Chải")
    page.check("label:has-text('Huyện Mèo Vạc') input")
    page.click("text=Ghim vị trí của tôi")
    page.wait_for_selector("text=Đã ghim")
    assert page.input_value("input[name=latitude]") == "23.275123"
    page.click("button:has-text('Lưu địa chỉ gửi hàng')")
    page.wait_for_selector("text=Đã lưu địa chỉ gửi hàng.")
    page.reload()
    assert page.is_checked("label:has-text('Huyện Mèo Vạc') input")
    assert not page.is_checked("label:has-text('Huyện Đồng Văn') input")
    assert page.input_value("input[name=street]") == "Thôn Lao Chải"
    sender = SenderAddress.objects.get(shop=shop)
    assert (sender.legacy_district_code, str(sender.latitude), str(sender.longitude)) == (
        "027",
        "23.275123",
        "105.361432",
    )
    fits_phone(page)
    shot(page, "sender-saved")
