"""Seller centre "Đợt bán mùa vụ" (/ban-hang/dat-truoc/): the acting producer's windows and the form to open
one, a window's pre-orders, close, cancel and confirm the harvest. Each action is one service; helpers act for
the producer they manage."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed, require_can_manage
from taybac.campaigns import window_harvest, window_services
from taybac.campaigns.window_models import SalesWindow, WindowPreorder
from taybac.campaigns.window_selectors import percent_taken, preorders_of, quota_left, shop_windows
from taybac.catalog.models import Variant
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.core.money import parse_vnd
from taybac.web.views_seller import acting_shop

Handler = Callable[[AuthenticatedHttpRequest, SalesWindow], HttpResponse]


def _managed(view: Handler) -> Callable[[AuthenticatedHttpRequest, int], HttpResponse]:
    """The window by id, 404 if missing, 403 unless the user manages its shop's producer."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, window_id: int) -> HttpResponse:
        window = SalesWindow.objects.select_related("shop__producer", "variant__product").filter(pk=window_id).first()
        if window is None:
            raise Http404("Không có đợt bán này.")
        try:
            require_can_manage(request.user, window.shop.producer)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        try:
            return view(request, window)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("seller-window", window.pk)

    return login_required(wrapper)


def _day(raw: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        return None


def _moment(day: datetime.date, end: bool) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59) if end else datetime.time(0, 0)))


@login_required
def windows(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The acting producer's windows and the form to open one (GET shows, POST opens)."""
    acting = acting_shop(request)
    if isinstance(acting, HttpResponse):
        return acting
    _, shop = acting
    if request.method == "POST":
        post = request.POST
        opens, closes, week = _day(post.get("opens", "")), _day(post.get("closes", "")), _day(post.get("week", ""))
        price = parse_vnd(post.get("price", "")[:20])
        if opens is None or closes is None or week is None or price is None:
            messages.error(request, "Điền đủ ngày mở, ngày đóng, tuần giao và giá (số đồng).")
            return redirect("seller-windows")
        today = timezone.localdate()
        try:
            window = window_services.open_window(
                actor=request.user,
                shop=shop,
                variant_id=small_int(post.get("variant")) or 0,
                title=post.get("title", "")[:200],
                opens_at=timezone.now() if opens <= today else _moment(opens, end=False),
                closes_at=_moment(closes, end=True),
                quota=small_int(post.get("quota"), max_digits=7) or 0,
                price=price,
                payment=post.get("payment", "")[:10],
                deposit_percent=small_int(post.get("deposit_percent"), max_digits=3) or 100,
                delivery_week=week,
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("seller-windows")
        messages.success(request, "Đã mở đợt đặt trước.")
        return redirect("seller-window", window.pk)
    variants = Variant.objects.filter(
        shop=shop, is_active=True, product__preorder_allowed=True, product__next_harvest__isnull=False
    ).select_related("product")
    today = timezone.localdate()
    return render(
        request,
        "web/windows/seller_list.html",
        {
            "windows": shop_windows(shop_id=shop.pk),
            "variants": variants.order_by("product__name")[:200],
            "today": today,
            "closes": today + datetime.timedelta(days=30),
            "week": today + datetime.timedelta(days=42),
        },
    )


@require_safe
@_managed
def manage(request: AuthenticatedHttpRequest, window: SalesWindow) -> HttpResponse:
    return render(
        request,
        "web/windows/seller_manage.html",
        {
            "window": window,
            "left": quota_left(window),
            "percent": percent_taken(window),
            "preorders": preorders_of(window),
        },
    )


@require_POST
@_managed
def close(request: AuthenticatedHttpRequest, window: SalesWindow) -> HttpResponse:
    window_services.close_window(actor=request.user, window=window)
    messages.success(request, "Đã đóng đặt trước.")
    return redirect("seller-window", window.pk)


@require_POST
@_managed
def cancel(request: AuthenticatedHttpRequest, window: SalesWindow) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Đánh dấu ô xác nhận để huỷ đợt bán.")
        return redirect("seller-window", window.pk)
    window_services.cancel_window(actor=request.user, window=window, reason=request.POST.get("reason", "")[:200])
    messages.success(request, "Đã huỷ đợt bán; người mua được hoàn tiền đã trả.")
    return redirect("seller-window", window.pk)


@require_POST
@login_required
def cancel_preorder(request: AuthenticatedHttpRequest, window_id: int, preorder_id: int) -> HttpResponse:
    """Cancel one waiting pre-order of this window (a buyer asked by phone): refunded, its units back on sale."""
    preorder = (
        WindowPreorder.objects.select_related("window__shop__producer", "shop_order__order")
        .filter(pk=preorder_id, window_id=window_id)
        .first()
    )
    if preorder is None:
        raise Http404("Không có đơn đặt trước này.")
    try:
        order = window_services.cancel_preorder(actor=request.user, preorder=preorder)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã huỷ đơn {order.code}; suất đã trả lại đợt bán, người mua được hoàn tiền đã trả.")
    return redirect("seller-window", window_id)


@require_POST
@_managed
def harvest(request: AuthenticatedHttpRequest, window: SalesWindow) -> HttpResponse:
    quantity = small_int(request.POST.get("harvested_quantity"), max_digits=7)
    if quantity is None:
        messages.error(request, "Nhập sản lượng thu hoạch (số nguyên).")
        return redirect("seller-window", window.pk)
    window_harvest.confirm_harvest(actor=request.user, window=window, harvested_quantity=quantity)
    messages.success(request, "Đã xác nhận thu hoạch; người mua đã được báo tin.")
    return redirect("seller-window", window.pk)


@require_POST
@_managed
def edit(request: AuthenticatedHttpRequest, window: SalesWindow) -> HttpResponse:
    """Rename, move the closing day, change the quota or the delivery week of an open window."""
    closes, week = _day(request.POST.get("closes", "")), _day(request.POST.get("week", ""))
    quota = small_int(request.POST.get("quota"), max_digits=7)
    if closes is None or week is None or quota is None:
        messages.error(request, "Điền đủ ngày đóng, tuần giao và số suất.")
        return redirect("seller-window", window.pk)
    window_services.edit_window(
        actor=request.user,
        window=window,
        title=request.POST.get("title", "")[:200],
        closes_at=_moment(closes, end=True),
        quota=quota,
        delivery_week=week,
    )
    messages.success(request, "Đã lưu thay đổi.")
    return redirect("seller-window", window.pk)
