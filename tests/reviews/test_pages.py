"""Review pages: what the buyer, the seller and visitors see and can do, and what they cannot."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from taybac.catalog.models import Product
from taybac.reviews.models import Review, ReviewReport
from taybac.reviews.services import reply_to_review, set_hidden, write_review
from tests.api.conftest import jpeg_bytes
from tests.factories import make_product, make_user
from tests.reviews.purchases import delivered_line


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def photo(name: str = "a.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def test_the_buyer_finds_the_purchase_and_writes_a_review_with_photos(buyer, line):
    client = signed_in(buyer)
    page = client.get("/danh-gia/")
    assert page.status_code == 200
    assert f"/danh-gia/viet/{line.pk}/" in page.content.decode()
    form = client.get(f"/danh-gia/viet/{line.pk}/")
    assert 'name="stars"' in form.content.decode() and 'type="file"' in form.content.decode()
    sent = client.post(
        f"/danh-gia/viet/{line.pk}/", {"stars": "4", "text": "Thơm <script>x</script>", "photos": [photo(), photo()]}
    )
    product = line.variant.product
    assert sent.status_code == 302 and sent["Location"] == f"{product.get_absolute_url()}#danh-gia"
    review = Review.objects.get()
    assert (review.stars, review.photos.count()) == (4, 2)
    html = Client().get(product.get_absolute_url()).content.decode()
    assert "Thơm &lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    assert "★★★★☆" in html and "N. T. Hà" in html and review.photos.first().thumb in html
    assert "Đã bán 2" in html
    assert f"/danh-gia/viet/{line.pk}/" not in client.get("/danh-gia/").content.decode()


def test_a_fourth_photo_or_no_stars_is_refused_on_the_page(buyer, line):
    client = signed_in(buyer)
    too_many = client.post(f"/danh-gia/viet/{line.pk}/", {"stars": "5", "photos": [photo() for _ in range(4)]})
    assert too_many.status_code == 400 and "Tối đa 3 ảnh" in too_many.content.decode()
    no_stars = client.post(f"/danh-gia/viet/{line.pk}/", {"text": "Tốt"})
    assert no_stars.status_code == 400 and "Chọn số sao." in no_stars.content.decode()
    empty = client.post(f"/danh-gia/viet/{line.pk}/", {})
    assert empty.status_code == 400 and "Chọn số sao." in empty.content.decode()
    bad = client.post(f"/danh-gia/viet/{line.pk}/", {"stars": "5", "photos": [SimpleUploadedFile("x.jpg", b"no")]})
    assert bad.status_code == 400 and "không phải là ảnh" in bad.content.decode()
    assert not Review.objects.exists()


def test_someone_elses_line_is_not_found_and_signing_in_comes_first(line):
    assert signed_in(make_user()).get(f"/danh-gia/viet/{line.pk}/").status_code == 404
    assert Client().get(f"/danh-gia/viet/{line.pk}/")["Location"].startswith("/dang-nhap/")
    assert Client().get("/danh-gia/")["Location"].startswith("/dang-nhap/")


def test_a_reviewed_line_sends_the_buyer_back_with_a_message(buyer, line):
    write_review(actor=buyer, line_id=line.pk, stars=5)
    answer = signed_in(buyer).get(f"/danh-gia/viet/{line.pk}/", follow=True)
    assert "Bạn đã đánh giá sản phẩm này" in answer.content.decode()


@pytest.fixture
def review(buyer, line):
    return write_review(actor=buyer, line_id=line.pk, stars=2, text="Giao chậm.")


def test_the_seller_sees_reviews_and_replies_once(review):
    owner = review.product.shop.producer.owner
    client = signed_in(owner)
    page = client.get("/ban-hang/danh-gia/").content.decode()
    assert "Giao chậm." in page and f"/ban-hang/danh-gia/{review.pk}/tra-loi/" in page
    assert client.post(f"/ban-hang/danh-gia/{review.pk}/tra-loi/", {"reply": "Xin lỗi anh chị."}).status_code == 302
    again = client.post(f"/ban-hang/danh-gia/{review.pk}/tra-loi/", {"reply": "Lần hai"}, follow=True)
    assert "Gian hàng đã trả lời" in again.content.decode()
    assert Review.objects.get(pk=review.pk).reply_text == "Xin lỗi anh chị."
    assert "Phản hồi của gian hàng" in Client().get(review.product.get_absolute_url()).content.decode()


def test_a_stranger_cannot_reply_and_a_buyer_has_no_seller_page(review):
    stranger = signed_in(make_user())
    assert stranger.post(f"/ban-hang/danh-gia/{review.pk}/tra-loi/", {"reply": "Hừ"}).status_code == 403
    assert stranger.get("/ban-hang/danh-gia/")["Location"] == "/ban-hang/dang-ky/"


def test_reporting_once_from_the_product_page(review):
    html = Client().get(review.product.get_absolute_url()).content.decode()
    assert f"/danh-gia/{review.pk}/bao-cao/" in html
    client = signed_in(make_user())
    assert client.get(f"/danh-gia/{review.pk}/bao-cao/").status_code == 200
    assert client.post(f"/danh-gia/{review.pk}/bao-cao/", {"reason": "offensive"}).status_code == 302
    twice = client.post(f"/danh-gia/{review.pk}/bao-cao/", {"reason": "spam"})
    assert twice.status_code == 400 and "đã báo cáo" in twice.content.decode()
    bad = signed_in(make_user()).post(f"/danh-gia/{review.pk}/bao-cao/", {"reason": "x" * 50})
    assert bad.status_code == 400
    assert ReviewReport.objects.count() == 1


def test_a_hidden_review_leaves_the_pages_and_the_card(review):
    set_hidden(actor=make_user(is_staff=True), review=review, hidden=True)
    product = Product.objects.get(pk=review.product_id)
    assert "Giao chậm." not in Client().get(product.get_absolute_url()).content.decode()
    assert "Giao chậm." not in Client().get(f"/san-pham/{product.pk}/danh-gia/").content.decode()
    assert signed_in(make_user()).get(f"/danh-gia/{review.pk}/bao-cao/").status_code == 404
    shop_page = Client().get(f"/gian-hang/{product.shop.slug}/").content.decode()
    assert "★ " not in shop_page and "Đã bán 2" in shop_page


def test_cards_show_the_rating_and_units_sold(review):
    html = Client().get(f"/gian-hang/{review.product.shop.slug}/").content.decode()
    assert '<b class="rt-st">★ 2,0</b> (1)' in html and "Đã bán 2" in html


def test_all_reviews_page_filters_by_stars_and_pages(buyer, line):
    product = line.variant.product
    write_review(actor=buyer, line_id=line.pk, stars=5, text="Năm sao")
    other = delivered_line(buyer, product=product)
    write_review(actor=buyer, line_id=other.pk, stars=1, text="Một sao")
    page = Client().get(f"/san-pham/{product.pk}/danh-gia/", {"sao": "1"}).content.decode()
    assert "Một sao" in page and "Năm sao" not in page
    assert Client().get(f"/san-pham/{product.pk}/danh-gia/", {"sao": "9", "trang": "x"}).status_code == 200
    assert Client().get("/san-pham/999999/danh-gia/").status_code == 404


def test_product_page_review_section_costs_three_queries(review, django_assert_num_queries):
    from django.template import Context, Template

    product = Product.objects.get(pk=review.product_id)
    reply_to_review(actor=product.shop.producer.owner, review=review, text="Cảm ơn")
    template = Template("{% load reviews %}{% product_reviews product %}")
    with django_assert_num_queries(3):  # distribution, reviews, their photos
        html = template.render(Context({"product": product}))
    assert "Cảm ơn" in html
    empty = make_product(shop=product.shop, name="Chè mới")
    with django_assert_num_queries(0):  # before the first review the counts on the product say it all
        assert "Chưa có đánh giá nào" in template.render(Context({"product": empty}))
