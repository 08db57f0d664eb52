"""Running a fair (docs/selling-events.md, "Online fairs"): organisers (/to-chuc/hoi-cho/) create and publish fairs,
approve or refuse booths and read the figures with a CSV for the province's report; producers and their helpers
(/ban-hang/hoi-cho/) apply with fair prices and put a live session on the fair's schedule. One service per action."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.models import Role
from taybac.accounts.selectors import NotAllowed
from taybac.campaigns import fair_selectors, fair_services
from taybac.campaigns.fair_models import Fair, FairBooth
from taybac.campaigns.live_models import LiveSession
from taybac.catalog.models import Variant
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.core.money import parse_vnd
from taybac.regions.models import Province
from taybac.web.views_seller import acting_shop


def _when(raw: str) -> datetime | None:
    try:
        return timezone.make_aware(datetime.fromisoformat(raw[:20])) if raw else None
    except ValueError:
        return None


def _require_organiser_role(request: AuthenticatedHttpRequest) -> None:
    user = request.user
    if not (user.is_staff or user.role in (Role.OPERATOR, Role.OFFICER)):
        raise PermissionDenied("Trang này dành cho ban tổ chức hội chợ (Sở Công Thương, vận hành sàn).")


@login_required
def organiser_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organiser's fairs and the form to create one (POST creates a draft)."""
    _require_organiser_role(request)
    user = request.user
    if request.method == "POST":
        starts, ends = _when(request.POST.get("starts_at", "")), _when(request.POST.get("ends_at", ""))
        if starts is None or ends is None:
            messages.error(request, "Nhập ngày giờ bắt đầu và kết thúc.")
            return redirect("fair-organiser")
        provinces = [p for p in (small_int(v) for v in request.POST.getlist("provinces")[:20]) if p is not None]
        try:
            fair = fair_services.create_fair(
                actor=user,
                title=request.POST.get("title", "")[:300],
                theme=request.POST.get("theme", "")[:3000],
                province_ids=provinces,
                starts_at=starts,
                ends_at=ends,
                applications_close_at=_when(request.POST.get("applications_close_at", "")),
            )
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("fair-organiser")
        messages.success(request, "Đã tạo hội chợ (bản nháp). Công bố khi sẵn sàng.")
        return redirect("fair-manage", fair.pk)
    choices = Province.objects.filter(in_region=True)
    if user.role == Role.OFFICER and not user.is_staff:
        choices = choices.filter(pk=user.officer_province_id or 0)
    return render(
        request,
        "web/fairs/organiser_list.html",
        {
            "fairs": [(f, fair_selectors.status(f)) for f in fair_selectors.organised_by(user)[:100]],
            "labels": fair_selectors.STATUS_LABELS,
            "provinces": choices,
            "now": timezone.localtime(),
        },
    )


def _organised(request: AuthenticatedHttpRequest, fair_id: int) -> Fair:
    _require_organiser_role(request)
    fair = fair_selectors.organised_by(request.user).filter(pk=fair_id).first()
    if fair is None:
        raise Http404("Không có hội chợ này.")
    return fair


@login_required
@require_safe
def manage(request: AuthenticatedHttpRequest, fair_id: int) -> HttpResponse:
    fair = _organised(request, fair_id)
    rows, total = fair_selectors.figures(fair)
    if "csv" in request.GET:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(fair_selectors.report_rows(fair))
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="hoi-cho-{fair.slug}.csv"'
        return response
    return render(
        request,
        "web/fairs/manage.html",
        {
            "fair": fair,
            "status": fair_selectors.status(fair),
            "labels": fair_selectors.STATUS_LABELS,
            "booths": fair.booths.select_related("shop").prefetch_related("products__variant__product"),
            "rows": rows,
            "total": total,
        },
    )


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, fair_id: int) -> HttpResponse:
    fair = _organised(request, fair_id)
    try:
        fair_services.publish_fair(actor=request.user, fair=fair, published=request.POST.get("published") != "0")
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    messages.success(request, "Đã cập nhật trạng thái công bố.")
    return redirect("fair-manage", fair.pk)


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, fair_id: int, booth_id: int) -> HttpResponse:
    fair = _organised(request, fair_id)
    booth = fair.booths.filter(pk=booth_id).first()
    if booth is None:
        raise Http404("Không có gian hàng này.")
    try:
        fair_services.decide_booth(
            actor=request.user,
            booth=booth,
            approve=request.POST.get("approve") == "1",
            reason=request.POST.get("reason", "")[:300],
        )
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Đã ghi quyết định và nhắn tin cho nhà sản xuất.")
    return redirect("fair-manage", fair.pk)


@login_required
@require_POST
def edit(request: AuthenticatedHttpRequest, fair_id: int) -> HttpResponse:
    """Title, theme and dates (the provinces stay: booths were accepted for them)."""
    fair = _organised(request, fair_id)
    starts, ends = _when(request.POST.get("starts_at", "")), _when(request.POST.get("ends_at", ""))
    try:
        if starts is None or ends is None:
            raise fair_services.FairError("Nhập ngày giờ bắt đầu và kết thúc.")
        fair_services.edit_fair(
            actor=request.user,
            fair=fair,
            title=request.POST.get("title", "")[:300],
            theme=request.POST.get("theme", "")[:3000],
            starts_at=starts,
            ends_at=ends,
        )
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Đã lưu hội chợ.")
    return redirect("fair-manage", fair.pk)


# --- producers: apply, withdraw, schedule a live session ---


@login_required
def seller_fairs(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Fairs open to the acting producer's province, their booths, and the application form (POST applies)."""
    acting = acting_shop(request)
    if isinstance(acting, HttpResponse):
        return acting
    _, shop = acting
    if request.method == "POST":
        fair = (
            fair_selectors.open_for_shop(shop.province_id).filter(pk=small_int(request.POST.get("fair")) or 0).first()
        )
        if fair is None:
            messages.error(request, "Hội chợ không còn nhận đăng ký.")
            return redirect("seller-fairs")
        try:
            prices = {
                pk: parse_vnd(request.POST.get(f"price_{pk}", "")[:20])
                for pk in (small_int(v) for v in request.POST.getlist("variants")[:50])
                if pk is not None
            }
            fair_services.apply_for_booth(
                actor=request.user, fair=fair, shop=shop, pitch=request.POST.get("pitch", "")[:400], prices=prices
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Đã gửi đăng ký. Ban tổ chức sẽ nhắn tin khi duyệt.")
        return redirect("seller-fairs")
    booths = FairBooth.objects.filter(shop=shop).select_related("fair").prefetch_related("live_sessions__session")
    return render(
        request,
        "web/fairs/seller.html",
        {
            "shop": shop,
            "fairs": fair_selectors.open_for_shop(shop.province_id).exclude(
                pk__in=FairBooth.objects.filter(shop=shop, status="approved").values("fair_id")
            ),
            "booths": booths,
            "variants": Variant.objects.filter(shop=shop, is_active=True).select_related("product")[:100],
            "sessions": LiveSession.objects.filter(shop=shop).exclude(status="ended").order_by("scheduled_start")[:50],
        },
    )


@login_required
@require_POST
def seller_withdraw(request: AuthenticatedHttpRequest, booth_id: int) -> HttpResponse:
    booth = FairBooth.objects.select_related("shop__producer").filter(pk=booth_id).first()
    if booth is None:
        raise Http404("Không có gian hàng này.")
    try:
        fair_services.withdraw_booth(actor=request.user, booth=booth)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    messages.success(request, "Đã rút khỏi hội chợ.")
    return redirect("seller-fairs")


@login_required
@require_POST
def seller_live(request: AuthenticatedHttpRequest, booth_id: int) -> HttpResponse:
    """Put one of the booth's live sessions on the fair's schedule."""
    booth = FairBooth.objects.select_related("fair", "shop__producer").filter(pk=booth_id).first()
    session = LiveSession.objects.filter(pk=small_int(request.POST.get("session")) or 0).first()
    if booth is None:
        raise Http404("Không có gian hàng này.")
    try:
        if session is None:
            raise fair_services.FairError("Chọn buổi phát.")
        fair_services.schedule_booth_live(actor=request.user, booth=booth, session=session)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Đã đưa buổi phát vào lịch hội chợ.")
    return redirect("seller-fairs")
