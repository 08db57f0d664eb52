"""Review pages: the buyer's purchases to review and the review form, all reviews of a product, reporting a
review, and the seller centre's list of reviews with the shop's reply. Thin: a form, one service, a page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.models import Producer
from taybac.accounts.selectors import managed_producers
from taybac.catalog.images import MAX_UPLOAD_BYTES
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.reviews import selectors
from taybac.reviews.eligibility import REVIEW_WINDOW_DAYS, line_to_review
from taybac.reviews.models import Review
from taybac.reviews.services import MAX_REVIEW_PHOTOS, reply_to_review, report_review, write_review
from taybac.web.forms_reviews import PHOTO_LIMIT_MESSAGE, ReplyForm, ReportForm, ReviewForm
from taybac.web.views_seller import SESSION_PRODUCER

PAGE_SIZE = 10


def _refused(error: DomainError) -> None:
    """Refusals that are not about the form: a line or review that is not yours (404), a forbidden act (403)."""
    if error.code == "not_found":
        raise Http404(error.message)
    if error.code == "forbidden":
        raise PermissionDenied(error.message)


@require_GET
def product_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    """Every visible review of a product, ten a page, optionally only those with N stars."""
    product = selectors.reviewed_product(pk)
    if product is None:
        raise Http404("Không tìm thấy sản phẩm.")
    stars = small_int(request.GET.get("sao", ""), max_digits=1)
    reviews = selectors.published_reviews(pk)
    if stars is not None and 1 <= stars <= 5:
        reviews = reviews.filter(stars=stars)
    else:
        stars = None
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "web/reviews/product.html",
        {
            "product": product,
            "page": page,
            "stars": stars,
            "distribution": selectors.star_distribution(pk) if product.rating_count else {},
        },
    )


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the buyer may review now (delivered within REVIEW_WINDOW_DAYS days), and what they wrote."""
    return render(
        request,
        "web/reviews/mine.html",
        {
            "purchases": selectors.purchases_to_review(request.user),
            "written": list(selectors.reviews_by(request.user)[:50]),
            "window_days": REVIEW_WINDOW_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def write(request: AuthenticatedHttpRequest, line_id: int) -> HttpResponse:
    try:
        line = line_to_review(user=request.user, line_id=line_id)
    except DomainError as refusal:
        _refused(refusal)
        messages.error(request, refusal.message)
        return redirect("reviews-mine")
    form = ReviewForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        uploads = request.FILES.getlist("photos")
        if len(uploads) > MAX_REVIEW_PHOTOS:
            error = PHOTO_LIMIT_MESSAGE
        else:
            try:
                review = write_review(
                    actor=request.user,
                    line_id=line.pk,
                    stars=form.cleaned_data["stars"],
                    text=form.cleaned_data["text"],
                    photos=[upload.read(MAX_UPLOAD_BYTES + 1) for upload in uploads],  # more is refused unread
                )
            except DomainError as refusal:
                _refused(refusal)
                error = refusal.message
            else:
                messages.success(request, "Cảm ơn bạn đã đánh giá!")
                return redirect(f"{review.product.get_absolute_url()}#danh-gia")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/reviews/write.html",
        {"line": line, "form": form, "error": error, "max_photos": MAX_REVIEW_PHOTOS},
        status=status,
    )


def _review(pk: int) -> Review:
    review = Review.objects.select_related("product__shop__producer").filter(pk=pk, is_hidden=False).first()
    if review is None:
        raise Http404("Không tìm thấy đánh giá.")
    return review


@login_required
@require_http_methods(["GET", "POST"])
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            report_review(
                actor=request.user, review=review, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            )
        except DomainError as refusal:
            _refused(refusal)
            error = refusal.message
        else:
            messages.success(request, "Đã gửi báo cáo. Người vận hành sàn sẽ xem xét.")
            return redirect(f"{review.product.get_absolute_url()}#danh-gia")
    return render(
        request,
        "web/reviews/report.html",
        {"review": review, "form": form, "error": error},
        status=400 if request.method == "POST" else 200,
    )


def _acting_producer(request: AuthenticatedHttpRequest) -> Producer | None:
    """The producer the seller centre acts for (its session choice, else the user's own, else the first)."""
    producers = list(managed_producers(request.user))
    chosen = request.session.get(SESSION_PRODUCER)
    own = [p for p in producers if p.owner_id == request.user.pk]
    if not producers:
        return None
    return next((p for p in producers if p.pk == chosen), (own or producers)[0])


@login_required
@require_GET
def seller_reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The acting shop's reviews, unanswered first, each with a reply box."""
    producer = _acting_producer(request)
    if producer is None:
        return redirect("seller-signup")
    page = Paginator(selectors.reviews_for_seller(producer.pk), 20).get_page(request.GET.get("trang"))
    return render(
        request,
        "web/reviews/seller.html",
        {"producer": producer, "page": page, "form": ReplyForm()},
    )


@login_required
@require_POST
def reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("reply", [])) or "Nội dung không hợp lệ.")
        return redirect("reviews-seller")
    try:
        reply_to_review(actor=request.user, review=review, text=form.cleaned_data["reply"])
    except DomainError as refusal:
        _refused(refusal)
        messages.error(request, refusal.message)
        return redirect("reviews-seller")
    messages.success(request, "Đã đăng trả lời.")
    return redirect("reviews-seller")
