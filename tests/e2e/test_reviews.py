"""A buyer on a 360 px phone reviews a delivered purchase with stars and a photo; the review shows on the
product page and the stars and "Đã bán" on the product's card. The shop then answers from the seller centre.

Set TAYBAC_SHOTS=/some/folder to keep screenshots of the review form, the product page's reviews and a card.
"""

from taybac.reviews.models import Review
from tests.api.conftest import jpeg_bytes
from tests.e2e.phone import SHOTS, fits_phone, shot
from tests.factories import make_product, make_shop, make_user
from tests.reviews.purchases import delivered_line
from tests.web.centre.conftest import CapturingSender


def sign_in_to(page, base: str, phone: str, path: str) -> None:
    page.goto(f"{base}/dang-nhap/?next={path}")
    page.fill("input[name=phone]", phone)
    page.click("button.btn")
    page.wait_for_url("**/dang-nhap/ma/")
    page.fill("input[name=code]", CapturingSender.sent[-1][1])
    page.click("button.btn")
    page.wait_for_url(f"**{path}")


def test_buyer_reviews_a_delivered_purchase_with_a_photo(page360, live_server, otp_outbox):
    shop = make_shop(name="Hộ nuôi ong Sùng Mí Chá", province_code=8)
    honey = make_product(shop=shop, name="Mật ong bạc hà Mèo Vạc", price=380_000, quantity=20)
    buyer = make_user(full_name="Nguyễn Thu Hà")
    line = delivered_line(buyer, product=honey, quantity=2)
    page = page360
    sign_in_to(page, live_server.url, "0" + buyer.phone[3:], "/danh-gia/")
    item = page.locator(".rv-buy li").first
    assert "Mật ong bạc hà Mèo Vạc" in item.inner_text()
    fits_phone(page)
    shot(page, "reviews-mine")
    item.locator("text=Đánh giá").click()
    page.wait_for_url(f"**/danh-gia/viet/{line.pk}/")
    page.click("label[title='4 sao']")
    page.fill("textarea[name=text]", "Mật thơm mùi bạc hà, đóng gói cẩn thận.")
    page.set_input_files("#rv-photos", files=[{"name": "mat.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    fits_phone(page)
    shot(page, "review-form")
    page.click("button:has-text('Gửi đánh giá')")
    page.wait_for_url(f"**{honey.get_absolute_url()}#danh-gia")
    review = Review.objects.get()
    assert (review.stars, review.photos.count()) == (4, 1)
    section = page.locator("#danh-gia")
    text = section.inner_text()
    assert "Mật thơm mùi bạc hà" in text and "N. T. Hà" in text and "1 đánh giá" in text and "Đã bán 2" in text
    assert section.locator(".rv-ph img").count() == 1
    assert section.locator(".rv-ph img").evaluate("img => img.complete && img.naturalWidth > 0")
    fits_phone(page)
    if SHOTS:
        section.screenshot(path=f"{SHOTS}/product-reviews.png")
    page.click("text=4 ★")
    page.wait_for_url(f"**/san-pham/{honey.pk}/danh-gia/?sao=4")
    assert page.locator(".rv").count() == 1
    fits_phone(page)
    shot(page, "all-reviews")
    page.goto(f"{live_server.url}/gian-hang/{shop.slug}/")
    card = page.locator(".card").first
    assert "★ 4,0 (1)" in card.inner_text() and "Đã bán 2" in card.inner_text()
    fits_phone(page)
    if SHOTS:
        card.screenshot(path=f"{SHOTS}/card.png")


def test_seller_answers_a_review_on_a_phone(page360, live_server, otp_outbox):
    shop = make_shop(name="HTX Chè Shan tuyết Suối Giàng", province_code=15)
    buyer = make_user(full_name="Lò Văn Páo")
    line = delivered_line(buyer, shop=shop)
    from taybac.reviews.services import write_review

    write_review(actor=buyer, line_id=line.pk, stars=2, text="Giao hơi chậm.")
    page = page360
    sign_in_to(page, live_server.url, "0" + shop.producer.owner.phone[3:], "/ban-hang/danh-gia/")
    page.fill("textarea[name=reply]", "Xin lỗi anh, tuần này đường lên bản bị sạt.")
    fits_phone(page)
    shot(page, "seller-reviews")
    page.click("button:has-text('Gửi trả lời')")
    page.wait_for_selector("text=Đã đăng trả lời.")
    assert "Bạn đã trả lời" in page.locator(".rv").first.inner_text()
    page.goto(live_server.url + line.variant.product.get_absolute_url())
    assert "đường lên bản bị sạt" in page.locator("#danh-gia .rv-re").inner_text()
