"""Writing a review, the shop's reply, reports, and an operator hiding or showing a review again.

Each is one transaction that also moves the product's rating (catalog.stats) when what is published changes,
so the stars on a card always equal the visible reviews. Photos are resized before that transaction (slow,
and outside any lock) and deleted again if the review is not recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed, require_can_manage
from taybac.catalog.images import StoredImage, delete_renditions, read_header, store_image
from taybac.catalog.stats import MAX_STARS, MIN_STARS, change_rating
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.reviews.eligibility import line_to_review
from taybac.reviews.models import (
    MAX_REPLY_CHARS,
    MAX_REPORT_NOTE_CHARS,
    MAX_TEXT_CHARS,
    Review,
    ReviewPhoto,
    ReviewReport,
)

MAX_REVIEW_PHOTOS = 3
DELETED_AUTHOR = "Người mua đã xoá tài khoản"  # shown instead of the name once the account is deleted
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _clean(raw: str, *, limit: int, field: str) -> str:
    """Plain text as typed: control and direction-override characters dropped, at most one blank line in a row.

    Never HTML: templates escape it, so a "<script>" in a review shows as those characters.
    """
    text = _CONTROL.sub("", (raw or "").replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.split("\n"))).strip()
    if len(text) > limit:
        raise DomainError(f"Tối đa {limit} ký tự (bạn đã nhập {len(text)}).", field=field)
    return text


def shown_name(*, full_name: str, contact_name: str) -> str:
    """'Nguyễn Thu Hà' → 'N. T. Hà': the given name, the rest as initials; never a phone number."""
    name = next((n for n in (full_name, contact_name) if n.strip() and not re.search(r"\d", n)), "")
    words = name.split()
    if not words:
        return "Người mua"
    return " ".join([*(f"{w[0].upper()}." for w in words[:-1]), words[-1]])[:60]


def write_review(*, actor: User, line_id: int, stars: int, text: str = "", photos: Sequence[bytes] = ()) -> Review:
    """The buyer's review of one delivered order line (see reviews.eligibility), counted in the rating at once."""
    if not MIN_STARS <= stars <= MAX_STARS:
        raise DomainError(f"Chọn từ {MIN_STARS} đến {MAX_STARS} sao.", field="stars")
    if len(photos) > MAX_REVIEW_PHOTOS:
        raise DomainError(f"Tối đa {MAX_REVIEW_PHOTOS} ảnh cho một đánh giá.", field="photos")
    body = _clean(text, limit=MAX_TEXT_CHARS, field="text")
    line = line_to_review(user=actor, line_id=line_id)
    product = line.variant.product
    for data in photos:  # every header is judged before any photo is decoded
        read_header(data)
    stored: list[StoredImage] = []
    try:
        for data in photos:
            stored.append(store_image(data=data, folder=f"reviews/{product.pk}"))
        with transaction.atomic():
            review = Review.objects.create(
                product=product,
                order_line=line,
                author=actor,
                author_name=shown_name(full_name=actor.full_name, contact_name=line.shop_order.order.contact_name),
                variant_name=line.variant_name,
                stars=stars,
                text=body,
            )
            ReviewPhoto.objects.bulk_create(
                ReviewPhoto(
                    review=review,
                    path_stem=s.path_stem,
                    widths=s.widths,
                    width=s.width,
                    height=s.height,
                    position=i,
                )
                for i, s in enumerate(stored)
            )
            change_rating(product_id=product.pk, stars=stars, published=True)
            audit.record(actor=actor, action="review.written", target=review, detail={"stars": stars})
    except IntegrityError:  # the same line reviewed at the same moment from another tab
        _discard(stored)
        raise DomainError("Bạn đã đánh giá sản phẩm này trong đơn hàng này.", code="conflict") from None
    except Exception:
        _discard(stored)
        raise
    return review


def _discard(stored: list[StoredImage]) -> None:
    for s in stored:
        delete_renditions(path_stem=s.path_stem, widths=s.widths)


def reply_to_review(*, actor: User, review: Review, text: str) -> Review:
    """The shop's one public answer to a review, by its owner or a helper with a live delegation."""
    body = _clean(text, limit=MAX_REPLY_CHARS, field="reply")
    if not body:
        raise DomainError("Nhập nội dung trả lời.", field="reply")
    producer = review.product.shop.producer
    require_can_manage(actor, producer)
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.reply_text:
            raise DomainError("Gian hàng đã trả lời đánh giá này.", code="conflict")
        locked.reply_text, locked.reply_by, locked.replied_at = body, actor, timezone.now()
        locked.save(update_fields=["reply_text", "reply_by", "replied_at"])
        audit.record(actor=actor, on_behalf_of=producer.owner, action="review.replied", target=locked)
    return locked


def report_review(*, actor: User, review: Review, reason: str, note: str = "") -> ReviewReport:
    """A signed-in user flags a review for the operators, once per review; its author cannot."""
    if reason not in ReviewReport.Reason.values:
        raise DomainError("Chọn lý do báo cáo.", field="reason")
    body = _clean(note, limit=MAX_REPORT_NOTE_CHARS, field="note")
    if review.author_id == actor.pk:
        raise DomainError("Bạn không thể báo cáo đánh giá của chính mình.", field="reason")
    if ReviewReport.objects.filter(review=review, reporter=actor).exists():
        raise DomainError("Bạn đã báo cáo đánh giá này rồi.", code="conflict")
    try:
        with transaction.atomic():
            report = ReviewReport.objects.create(review=review, reporter=actor, reason=reason, note=body)
            audit.record(actor=actor, action="review.reported", target=review, detail={"reason": reason})
    except IntegrityError:
        raise DomainError("Bạn đã báo cáo đánh giá này rồi.", code="conflict") from None
    return report


def set_hidden(*, actor: User, review: Review, hidden: bool, reason: str = "") -> Review:
    """An operator hides a review (out of lists and the rating) or shows it again; unchanged if already so."""
    if not (actor.is_staff or actor.role == Role.OPERATOR):
        raise NotAllowed("Chỉ người vận hành sàn được ẩn hoặc hiện đánh giá.")
    note = _clean(reason, limit=200, field="reason")
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.is_hidden == hidden:
            return locked
        locked.is_hidden, locked.hidden_reason = hidden, note if hidden else ""
        locked.save(update_fields=["is_hidden", "hidden_reason"])
        change_rating(product_id=locked.product_id, stars=locked.stars, published=not hidden)
        audit.record(
            actor=actor, action="review.hidden" if hidden else "review.shown", target=locked, detail={"note": note}
        )
    return locked


def anonymise_reviews_of(*, user: User) -> int:
    """Show the user's reviews as DELETED_AUTHOR (their account is being deleted); the stars and text stay, as
    other buyers read them and the product's rating counts them. How many reviews."""
    return Review.objects.filter(author=user).update(author_name=DELETED_AUTHOR)
