"""The producer's live sessions in the seller centre (/ban-hang/truc-tiep/): schedule, go live with a link or
RTMP, pin products with a live price, confirm "chốt đơn" draft orders in one tap, hide messages, end.
Helpers act for the producer they manage (the seller centre's chosen producer); each action is one service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
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
from taybac.campaigns import live_chat, live_orders, live_services
from taybac.campaigns.live_models import ChatMessage, DraftOrder, LiveSession
from taybac.campaigns.live_selectors import rtmp_url, shown_products
from taybac.catalog.models import Variant
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.core.money import parse_vnd
from taybac.orders.models import PaymentMethod
from taybac.regions.models import PickupPoint
from taybac.web.views_seller import acting_shop

Handler = Callable[[AuthenticatedHttpRequest, LiveSession], HttpResponse]


def _managed(view: Handler) -> Callable[[AuthenticatedHttpRequest, int], HttpResponse]:
    """The session by id, 404 if missing, 403 unless the user manages its shop's producer."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
        session = LiveSession.objects.select_related("shop__producer").filter(pk=session_id).first()
        if session is None:
            raise Http404("Không có buổi phát này.")
        try:
            require_can_manage(request.user, session.shop.producer)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        try:
            return view(request, session)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("seller-live-manage", session.pk)

    return login_required(wrapper)


@login_required
def sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The acting producer's sessions and the form to schedule one (GET shows, POST schedules)."""
    acting = acting_shop(request)
    if isinstance(acting, HttpResponse):
        return acting
    _, shop = acting
    variants = Variant.objects.filter(shop=shop, is_active=True).select_related("product").order_by("product__name")
    if request.method == "POST":
        when = request.POST.get("scheduled_start", "")[:20]
        try:
            start = timezone.make_aware(datetime.fromisoformat(when)) if when else timezone.now()
        except ValueError:
            messages.error(request, "Giờ phát chưa đúng (ngày và giờ).")
            return redirect("seller-live")
        chosen = [small_int(v) for v in request.POST.getlist("variants")[:50]]
        try:
            session = live_services.schedule_session(
                actor=request.user,
                shop=shop,
                title=request.POST.get("title", "")[:200],
                scheduled_start=start,
                variant_ids=[v for v in chosen if v is not None],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("seller-live")
        return redirect("seller-live-manage", session.pk)
    return render(
        request,
        "web/live/seller_list.html",
        {"sessions": LiveSession.objects.filter(shop=shop)[:50], "variants": variants, "now": timezone.localtime()},
    )


@require_safe
@_managed
def manage(request: AuthenticatedHttpRequest, session: LiveSession) -> HttpResponse:
    return render(
        request,
        "web/live/seller_manage.html",
        {
            "session": session,
            "products": shown_products(session),
            "drafts": DraftOrder.objects.filter(session=session, status=DraftOrder.Status.DRAFT).select_related(
                "product__variant__product", "message__author"
            )[:100],
            "done": DraftOrder.objects.filter(session=session)
            .exclude(status=DraftOrder.Status.DRAFT)
            .select_related("order", "product")[:50],
            "chat": ChatMessage.objects.filter(session=session).order_by("-pk")[:50],
            "rtmp_url": rtmp_url(request.get_host()),
            "pickup_points": PickupPoint.objects.filter(is_active=True).order_by("name")[:300],
            "payment_methods": PaymentMethod.choices,
        },
    )


@require_POST
@_managed
def go_live(request: AuthenticatedHttpRequest, session: LiveSession) -> HttpResponse:
    live_services.go_live(actor=request.user, session=session, link=request.POST.get("link", "")[:400])
    messages.success(request, "Đang phát trực tiếp.")
    return redirect("seller-live-manage", session.pk)


@require_POST
@_managed
def rotate_key(request: AuthenticatedHttpRequest, session: LiveSession) -> HttpResponse:
    live_services.rotate_stream_key(actor=request.user, session=session)
    messages.success(request, "Đã đổi khóa phát. Dán khóa mới vào ứng dụng phát.")
    return redirect("seller-live-manage", session.pk)


@require_POST
@_managed
def pin(request: AuthenticatedHttpRequest, session: LiveSession) -> HttpResponse:
    product_id = small_int(request.POST.get("product")) or 0
    if request.POST.get("unpin"):
        live_services.unpin_product(actor=request.user, session=session, product_id=product_id)
        return redirect("seller-live-manage", session.pk)
    raw = request.POST.get("live_price", "")[:20].strip()
    price = parse_vnd(raw) if raw else None
    if raw and price is None:
        messages.error(request, "Giá trực tiếp chưa đúng (số đồng, ví dụ 150000).")
        return redirect("seller-live-manage", session.pk)
    live_services.pin_product(actor=request.user, session=session, product_id=product_id, live_price=price)
    return redirect("seller-live-manage", session.pk)


@require_POST
@_managed
def end(request: AuthenticatedHttpRequest, session: LiveSession) -> HttpResponse:
    live_services.end_session(actor=request.user, session=session, replay_url=request.POST.get("replay", "")[:400])
    messages.success(request, "Đã kết thúc buổi phát. Bản xem lại vẫn giữ các sản phẩm.")
    return redirect("seller-live-manage", session.pk)


@require_POST
@_managed
def hide(request: AuthenticatedHttpRequest, session: LiveSession) -> HttpResponse:
    message = ChatMessage.objects.filter(session=session, pk=small_int(request.POST.get("message")) or 0).first()
    if message is None:
        raise Http404("Không có bình luận này.")
    live_chat.hide_message(actor=request.user, message=message)
    return redirect("seller-live-manage", session.pk)


@require_POST
@_managed
def draft(request: AuthenticatedHttpRequest, session: LiveSession) -> HttpResponse:
    """Confirm (one tap: a real order with stock reserved) or reject a draft order from a comment."""
    found = DraftOrder.objects.filter(session=session, pk=small_int(request.POST.get("draft")) or 0).first()
    if found is None:
        raise Http404("Không có đơn nháp này.")
    if request.POST.get("reject"):
        live_orders.reject_draft(actor=request.user, draft=found)
        return redirect("seller-live-manage", session.pk)
    placed = live_orders.confirm_draft(
        actor=request.user,
        draft=found,
        payment_method=request.POST.get("payment_method", PaymentMethod.COD)[:20],
        pickup_point=request.POST.get("pickup_point", "")[:40] or None,
    )
    messages.success(request, f"Đã tạo đơn {placed.code} cho {found.name}.")
    return redirect("seller-live-manage", session.pk)
