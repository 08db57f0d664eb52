"""The buyer's harvest sales window pages (docs/selling-events.md, "Harvest sales windows"): the list
(/dat-truoc/), one window (/dat-truoc/<id>/: crop, price, quota left, delivery week, a plain pre-order form) and
the short buyer's choice page (/dat-truoc/chon/<token>/, no sign-in: the signed link is the key)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from taybac.campaigns import window_harvest, window_services
from taybac.campaigns.window_models import SalesWindow, WindowPreorder
from taybac.campaigns.window_selectors import is_taking, percent_taken, public_windows, quota_left
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.core.money import format_vnd
from taybac.orders.models import PaymentMethod
from taybac.payments.requests import checkout_transfer
from taybac.payments.vietqr import qr_svg
from taybac.regions.models import PickupPoint
from taybac.web import order_links

LAST = "window_last_preorder"


def _window(window_id: int) -> SalesWindow:
    window = public_windows().filter(pk=window_id).first()
    if window is None:
        raise Http404("Không có đợt đặt trước này.")
    return window


@require_safe
def windows(request: HttpRequest) -> HttpResponse:
    return render(request, "web/windows/list.html", {"windows": list(public_windows()[:50])})


@require_safe
def window_page(request: HttpRequest, window_id: int) -> HttpResponse:
    window = _window(window_id)
    last = (
        WindowPreorder.objects.filter(pk=small_int(request.session.get(LAST)) or 0, window=window)
        .select_related("shop_order__order")
        .first()
    )
    transfer = None
    if last is not None:
        order = last.shop_order.order
        transfer = (
            checkout_transfer(order, owed=last.deposit) if last.outcome == WindowPreorder.Outcome.WAITING else None
        )
    methods = [
        (v, label) for v, label in PaymentMethod.choices if window.payment == "full" or v == PaymentMethod.VIETQR
    ]
    return render(
        request,
        "web/windows/page.html",
        {
            "window": window,
            "left": quota_left(window),
            "percent": percent_taken(window),
            "taking": is_taking(window),
            "payment_methods": methods,
            "pickup_points": PickupPoint.objects.filter(is_active=True).order_by("name")[:300],
            "last": last,
            "last_url": order_links.order_url(last.shop_order.order.code) if last else "",
            "transfer": transfer,
            "qr": qr_svg(transfer.vietqr) if transfer else "",
        },
    )


@require_POST
def preorder(request: HttpRequest, window_id: int) -> HttpResponse:
    window = _window(window_id)
    quantity = small_int(request.POST.get("quantity"), max_digits=3)
    if quantity is None:
        messages.error(request, "Nhập số lượng từ 1.")
        return redirect("window-page", window.pk)
    if not request.session.session_key:
        request.session.save()
    try:
        made = window_services.preorder(
            buyer=request.user if request.user.is_authenticated else None,
            window=window,
            quantity=quantity,
            name=request.POST.get("name", "")[:200],
            phone=request.POST.get("phone", "")[:40],
            payment_method=request.POST.get("payment_method", "")[:20],
            pickup_point=request.POST.get("pickup_point", "")[:40],
            session_key=request.session.session_key,
            idempotency_key=request.POST.get("key", "")[:100] or None,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("window-page", window.pk)
    request.session[LAST] = made.pk
    code = made.shop_order.order.code
    messages.success(
        request, f"Đã đặt trước {made.quantity} suất, đơn {code}. Cần trả ngay {format_vnd(made.deposit)}."
    )
    return redirect("window-page", window.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def choose(request: HttpRequest, token: str) -> HttpResponse:
    """Refund or substitute for a short pre-order; the signed link is all it needs (bounded to 30 days)."""
    preorder = window_harvest.preorder_for_token(token=token)
    if preorder is None:
        raise Http404("Liên kết không đúng hoặc đã hết hạn.")
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        try:
            preorder = window_harvest.choose(
                preorder=preorder,
                refund=choice == "refund",
                substitute_id=small_int(request.POST.get("substitute")) if choice == "substitute" else None,
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("window-choose", token)
    short = preorder.quantity - (preorder.filled_quantity or 0)
    return render(
        request,
        "web/windows/choose.html",
        {
            "preorder": preorder,
            "window": preorder.window,
            "short": short,
            "refund_amount": short * preorder.window.price,
            "open": preorder.outcome == WindowPreorder.Outcome.WAITING and preorder.filled_quantity is not None,
            "substitutes": window_harvest.substitutes_for(preorder=preorder),
            "order_url": order_links.order_url(preorder.shop_order.order.code),
        },
    )
