"""On a 360 px phone: a producer declares a wrongly weighed harvest erroneous from the seller centre ("Báo sai"),
and the buyer's trace page shows the wrong event struck through, why, and the corrected one, still verified.
The labels page prints from the phone (print button, PDF download) in every sheet format."""

import re

from tests.e2e.phone import shot
from tests.e2e.test_seller_centre import sign_in
from tests.web.trace.conftest import story  # noqa: F401  (a lot with a whole story)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_declaring_a_wrong_weight_and_seeing_it_on_the_trace_page(page360, live_server, otp_outbox, story):
    leaves = story["leaves"]
    page = page360
    sign_in(page, live_server.url, "0" + story["owner"].phone[3:])
    page.goto(live_server.url + "/ban-hang/lo-hang/")
    page.locator(f"#lo-{leaves.pk}").get_by_role("link", name="Chi tiết, báo sai").click()
    page.wait_for_url(f"**/ban-hang/lo-hang/{leaves.pk}/")
    assert fits(page)
    page.locator(".evs li").first.get_by_role("link", name="Báo sai").click()
    page.wait_for_url("**/bao-sai/")
    assert "120 kg" in page.locator(".was").inner_text() and fits(page)
    page.check("input[value=incorrect_data]")
    page.fill("textarea[name=explanation]", "Cân thiếu một bao, đúng là 125 kg")
    page.fill("input[name=quantity]", "125")
    shot(page, "declare")
    page.click("button.btn.warn")
    page.wait_for_url(f"**/ban-hang/lo-hang/{leaves.pk}/")
    assert "Đã báo sai sự kiện số 0" in page.content()
    assert page.locator(".evs .void del").first.is_visible() and fits(page)
    shot(page, "seller-lot-corrected")

    page.get_by_role("link", name="Trang truy xuất (người mua thấy)").click()
    page.wait_for_url(f"**{leaves.get_absolute_url()}")
    assert "Đã xác minh" in page.locator(".tr-ok").inner_text()  # the log still verifies, declaration and all
    wrong = page.locator(".tl > li", has=page.locator("#su-kien-0"))
    assert "tl-void" in wrong.get_attribute("class") and wrong.locator("del").is_visible()
    note = wrong.locator(".tl-fix").inner_text()
    assert "Đã báo sai" in note and "Ghi sai thông tin" in note and "Cân thiếu một bao" in note
    assert "125 kg" in page.locator(".tr-facts").inner_text()  # the lot's weight follows the correction
    assert fits(page)
    shot(page, "trace-corrected")
    wrong.get_by_role("link", name="Xem thông tin đã sửa ↓").click()
    fixed = page.locator(".tl-fixed")
    assert fixed.is_visible() and "Thông tin đã sửa" in fixed.inner_text()
    assert page.evaluate("location.hash").startswith("#su-kien-")


def test_labels_print_from_a_phone(page360, live_server, otp_outbox, story):
    dried = story["dried"]
    page = page360
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    sign_in(page, live_server.url, "0" + story["owner"].phone[3:])
    page.goto(live_server.url + f"/ban-hang/lo-hang/{dried.pk}/")
    page.get_by_role("link", name="Xem và in nhãn").click()
    page.wait_for_url("**/nhan-in")
    page.select_option("select[name=kho]", "cuon")
    page.fill("input[name=so]", "3")
    page.click("text=Xem trước")
    page.wait_for_url("**kho=cuon**")
    assert page.locator(".lb svg").count() == 3 and fits(page)
    shot(page, "labels-roll")
    page.get_by_role("button", name="In ngay").click()
    assert page.evaluate("window.__printed") == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF để in").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith("-cuon.pdf")
    assert open(path, "rb").read(5) == b"%PDF-"
    printed = page.pdf(prefer_css_page_size=True, print_background=True)  # what "In ngay" sends to the printer
    assert len(re.findall(rb"/Type\s*/Page[^s]", printed)) == 3  # one 50 x 30 mm label per page
    for box in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", printed):
        assert abs(float(box[0]) - 141.73) < 1 and abs(float(box[1]) - 85.04) < 1  # 50 x 30 mm, to a CSS pixel
    page.goto(live_server.url + dried.get_absolute_url() + "/nhan-in")
    assert page.locator(".lb svg").count() == 24 and fits(page)
    shot(page, "labels-a4")
