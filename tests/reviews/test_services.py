"""Writing, replying, reporting and hiding reviews: who may, and the product's rating moving with each."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.storage import default_storage

from taybac.accounts.models import Role
from taybac.accounts.services import grant_delegation, revoke_delegation
from taybac.catalog.models import Product
from taybac.core.errors import DomainError
from taybac.core.models import AuditEntry
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from taybac.reviews import selectors, services
from taybac.reviews.models import Review, ReviewReport
from taybac.reviews.services import reply_to_review, report_review, set_hidden, shown_name, write_review
from tests.api.conftest import jpeg_bytes
from tests.factories import make_shop, make_user
from tests.reviews.purchases import deliver, delivered_line, placed


def rating(product_id: int) -> tuple[int, int]:
    p = Product.objects.get(pk=product_id)
    return p.rating_count, p.rating_total


# --- who may review ---


def test_the_buyer_reviews_a_delivered_line_and_the_rating_counts_it(buyer, line):
    review = write_review(actor=buyer, line_id=line.pk, stars=4, text="Chè thơm, đóng gói cẩn thận.")
    assert (review.stars, review.product_id, review.author_name) == (4, line.variant.product_id, "N. T. Hà")
    assert review.variant_name == line.variant_name
    assert rating(line.variant.product_id) == (1, 4)
    assert AuditEntry.objects.filter(action="review.written", target_id=str(review.pk)).exists()


def test_someone_who_did_not_buy_is_refused_as_if_the_line_did_not_exist(line):
    with pytest.raises(DomainError) as refused:
        write_review(actor=make_user(), line_id=line.pk, stars=5)
    assert refused.value.code == "not_found"
    assert not Review.objects.exists()


def test_another_buyers_order_is_refused(buyer, line):
    someone = make_user()
    other = delivered_line(someone, phone="0" + someone.phone[3:])
    with pytest.raises(DomainError) as refused:
        write_review(actor=buyer, line_id=other.pk, stars=5)
    assert refused.value.code == "not_found"


@pytest.mark.parametrize("steps", [(), (Status.PACKED,), (Status.PACKED, Status.SHIPPED)])
def test_an_order_not_yet_delivered_is_refused(buyer, steps):
    shop_order = placed(buyer)
    for to in steps:
        advance(shop_order=shop_order, to=to, actor=None)
    with pytest.raises(DomainError) as refused:
        write_review(actor=buyer, line_id=shop_order.lines.get().pk, stars=5)
    assert refused.value.code == "not_delivered"


def test_a_returned_order_is_refused(buyer, line):
    advance(shop_order=line.shop_order, to=Status.RETURNED, actor=None)
    with pytest.raises(DomainError, match="sau khi bạn đã nhận hàng"):
        write_review(actor=buyer, line_id=line.pk, stars=1)


def test_a_completed_order_may_be_reviewed(buyer, line):
    advance(shop_order=line.shop_order, to=Status.COMPLETED, actor=None)
    assert write_review(actor=buyer, line_id=line.pk, stars=5).pk


def test_a_guest_order_placed_with_the_users_proven_phone_is_theirs(db):
    user = make_user()
    guest_line = delivered_line(None, phone="0" + user.phone[3:])
    assert write_review(actor=user, line_id=guest_line.pk, stars=3).author == user


def test_the_review_window_closes_thirty_days_after_delivery(buyer, line):
    entry = AuditEntry.objects.get(action="shop_order.delivered", target_id=str(line.shop_order_id))
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=entry.created_at - datetime.timedelta(days=31))
    assert selectors.purchases_to_review(buyer) == []
    with pytest.raises(DomainError) as refused:
        write_review(actor=buyer, line_id=line.pk, stars=5)
    assert refused.value.code == "review_closed"


def test_one_review_per_order_line(buyer, line):
    write_review(actor=buyer, line_id=line.pk, stars=5)
    with pytest.raises(DomainError) as refused:
        write_review(actor=buyer, line_id=line.pk, stars=1)
    assert refused.value.code == "conflict"
    assert rating(line.variant.product_id) == (1, 5)


def test_the_same_product_in_another_order_is_another_review(buyer, line):
    again = delivered_line(buyer, product=line.variant.product)
    write_review(actor=buyer, line_id=line.pk, stars=5)
    write_review(actor=buyer, line_id=again.pk, stars=2)
    assert rating(line.variant.product_id) == (2, 7)


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_stars_are_one_to_five(buyer, line, stars):
    with pytest.raises(DomainError, match="sao"):
        write_review(actor=buyer, line_id=line.pk, stars=stars)


def test_text_is_bounded_and_cleaned_of_control_characters(buyer, line):
    with pytest.raises(DomainError, match="Tối đa 1000 ký tự"):
        write_review(actor=buyer, line_id=line.pk, stars=5, text="a" * 1001)
    review = write_review(actor=buyer, line_id=line.pk, stars=5, text=" Ngon\x00\u202e<b>x</b>\r\n\n\n\nlắm ")
    assert review.text == "Ngon<b>x</b>\n\nlắm"  # kept as typed text: templates escape it


def test_the_shown_name_is_never_a_phone_number():
    assert shown_name(full_name="Nguyễn Thu Hà", contact_name="") == "N. T. Hà"
    assert shown_name(full_name="+84981000001", contact_name="Lò Văn Páo") == "L. V. Páo"
    assert shown_name(full_name="+84981000001", contact_name="0912 345 678") == "Người mua"
    assert shown_name(full_name="", contact_name="") == "Người mua"


# --- photos ---


def test_up_to_three_photos_stored_as_webp_renditions(buyer, line):
    review = write_review(
        actor=buyer, line_id=line.pk, stars=5, photos=[jpeg_bytes(), jpeg_bytes(400, 600), jpeg_bytes()]
    )
    photos = list(review.photos.all())
    assert [p.position for p in photos] == [0, 1, 2]
    assert photos[1].width == 400 and photos[1].height == 600
    assert all(default_storage.exists(f"{p.path_stem}-{w}.webp") for p in photos for w in p.widths)
    assert photos[0].path_stem.startswith(f"reviews/{line.variant.product_id}/")


def test_a_fourth_photo_is_refused_before_anything_is_stored(buyer, line):
    with pytest.raises(DomainError, match="Tối đa 3 ảnh"):
        write_review(actor=buyer, line_id=line.pk, stars=5, photos=[jpeg_bytes()] * 4)
    assert not Review.objects.exists()


def test_a_file_that_is_not_a_photo_refuses_the_review_and_keeps_no_renditions(buyer, line, settings):
    with pytest.raises(DomainError, match="không phải là ảnh"):
        write_review(actor=buyer, line_id=line.pk, stars=5, photos=[jpeg_bytes(), b"not an image"])
    assert not Review.objects.exists()
    assert not (settings.MEDIA_ROOT / "reviews").exists()


def test_a_failure_inside_the_transaction_leaves_no_review_no_rating_and_no_files(buyer, line, monkeypatch, settings):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        write_review(actor=buyer, line_id=line.pk, stars=5, photos=[jpeg_bytes()])
    assert not Review.objects.exists()
    assert rating(line.variant.product_id) == (0, 0)
    assert not any((settings.MEDIA_ROOT / "reviews").rglob("*.webp"))


# --- the shop's reply ---


@pytest.fixture
def review(buyer, line):
    return write_review(actor=buyer, line_id=line.pk, stars=2, text="Giao chậm.")


def test_the_owner_replies_once(review):
    owner = review.product.shop.producer.owner
    replied = reply_to_review(actor=owner, review=review, text="Xin lỗi anh chị, lần sau shop gửi sớm hơn.")
    assert replied.reply_by == owner and replied.replied_at
    with pytest.raises(DomainError) as refused:
        reply_to_review(actor=owner, review=review, text="Lần hai")
    assert refused.value.code == "conflict"
    assert Review.objects.get(pk=review.pk).reply_text.startswith("Xin lỗi")


def test_a_helper_with_a_live_delegation_replies(review):
    producer = review.product.shop.producer
    helper = make_user(role=Role.HELPER)
    grant_delegation(producer=producer, delegate=helper, granted_by=producer.owner)
    assert reply_to_review(actor=helper, review=review, text="Cảm ơn góp ý.").reply_by == helper


@pytest.mark.parametrize("who", ["buyer", "other_producer", "revoked_helper", "stranger"])
def test_others_may_not_reply(review, buyer, who):
    producer = review.product.shop.producer
    if who == "buyer":
        actor = buyer
    elif who == "other_producer":
        actor = make_shop(name="Hộ Giàng A Páo").producer.owner
    elif who == "revoked_helper":
        actor = make_user(role=Role.HELPER)
        delegation = grant_delegation(producer=producer, delegate=actor, granted_by=producer.owner)
        revoke_delegation(delegation=delegation, revoked_by=producer.owner)
    else:
        actor = make_user()
    with pytest.raises(DomainError) as refused:
        reply_to_review(actor=actor, review=review, text="Tôi trả lời")
    assert refused.value.code == "forbidden"
    assert Review.objects.get(pk=review.pk).reply_text == ""


def test_an_empty_or_too_long_reply_is_refused(review):
    owner = review.product.shop.producer.owner
    with pytest.raises(DomainError, match="Nhập nội dung"):
        reply_to_review(actor=owner, review=review, text="  \x00 ")
    with pytest.raises(DomainError, match="Tối đa 1000"):
        reply_to_review(actor=owner, review=review, text="x" * 1001)


# --- reports and moderation ---


def test_a_user_reports_a_review_once(review):
    reporter = make_user()
    report_review(actor=reporter, review=review, reason="offensive", note="Chửi bậy")
    with pytest.raises(DomainError) as refused:
        report_review(actor=reporter, review=review, reason="spam")
    assert refused.value.code == "conflict"
    report_review(actor=make_user(), review=review, reason="spam")
    assert ReviewReport.objects.filter(review=review).count() == 2


def test_the_author_cannot_report_their_own_review_and_reasons_are_bounded(review, buyer):
    with pytest.raises(DomainError, match="chính mình"):
        report_review(actor=buyer, review=review, reason="spam")
    with pytest.raises(DomainError, match="lý do"):
        report_review(actor=make_user(), review=review, reason="because")
    with pytest.raises(DomainError, match="Tối đa 200"):
        report_review(actor=make_user(), review=review, reason="other", note="x" * 201)
    assert not ReviewReport.objects.exists()


def test_an_operator_hides_and_shows_a_review_and_the_rating_follows(review):
    operator = make_user(role=Role.OPERATOR)
    product_id = review.product_id
    set_hidden(actor=operator, review=review, hidden=True, reason="Ngôn từ xúc phạm")
    assert rating(product_id) == (0, 0)
    set_hidden(actor=operator, review=review, hidden=True)  # again: nothing changes
    assert rating(product_id) == (0, 0)
    assert list(selectors.published_reviews(product_id)) == []
    assert selectors.star_distribution(product_id)[2] == 0
    set_hidden(actor=operator, review=review, hidden=False)
    assert rating(product_id) == (1, 2)
    assert list(selectors.published_reviews(product_id)) == [review]


def test_only_operators_hide(review, buyer):
    with pytest.raises(DomainError) as refused:
        set_hidden(actor=review.product.shop.producer.owner, review=review, hidden=True)
    assert refused.value.code == "forbidden"
    assert rating(review.product_id) == (1, 2)


def test_distribution_counts_visible_reviews_per_star(buyer, line):
    product = line.variant.product
    write_review(actor=buyer, line_id=line.pk, stars=5)
    write_review(actor=buyer, line_id=delivered_line(buyer, product=product).pk, stars=5)
    write_review(actor=buyer, line_id=delivered_line(buyer, product=product).pk, stars=3)
    assert selectors.star_distribution(product.pk) == {5: 2, 4: 0, 3: 1, 2: 0, 1: 0}
    assert Product.objects.get(pk=product.pk).rating_average == 4.3


def test_purchases_to_review_lists_delivered_unreviewed_lines(buyer, line):
    waiting = placed(buyer)
    assert [p.line for p in selectors.purchases_to_review(buyer)] == [line]
    deliver(waiting)
    assert len(selectors.purchases_to_review(buyer)) == 2
    write_review(actor=buyer, line_id=line.pk, stars=5)
    assert [p.line.pk for p in selectors.purchases_to_review(buyer)] == [waiting.lines.get().pk]
    assert selectors.purchases_to_review(make_user()) == []
