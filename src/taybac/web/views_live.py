"""The buyer's live page (/truc-tiep/<id>/, docs/selling-events.md "Livestream selling"): video, pinned products
with their live prices and an order form, the chat. Every action is a plain form post that returns to the page;
with JavaScript (web/static/web/live.js) the same posts go by fetch and the chat and prices update by SSE."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from taybac.campaigns.live_chat import post_message
from taybac.campaigns.live_models import LiveSession
from taybac.campaigns.live_orders import order_from_page
from taybac.campaigns.live_rtmp import publish_allowed
from taybac.campaigns.live_selectors import (
    events_url,
    hls_url,
    latest_messages,
    public_sessions,
    shown_products,
)
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.core.money import format_vnd
from taybac.orders.models import PaymentMethod
from taybac.regions.models import PickupPoint
from taybac.web import order_links

PICKUP_CHOICES = 300
LAST_ORDER = "live_last_order"


def _session(session_id: int) -> LiveSession:
    session = public_sessions().filter(pk=session_id).first()
    if session is None:
        raise Http404("Không có buổi phát này.")
    return session


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answer(request: HttpRequest, session: LiveSession, *, ok: bool, text: str, **extra: str) -> HttpResponse:
    """JSON for the page's script; otherwise a message and back to the page (no JavaScript needed)."""
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": text, **extra}, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, text)
    if "order_url" in extra:
        request.session[LAST_ORDER] = extra["order_url"]  # the page links it once: pay by VietQR, follow the order
    return redirect(f"/truc-tiep/{session.pk}/#{'dat-hang' if 'order_url' in extra else 'tro-chuyen'}")


def _sender_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return f"session:{request.session.session_key}"


@require_safe
def sessions(request: HttpRequest) -> HttpResponse:
    """Live now, coming up, and replays."""
    return render(request, "web/live/list.html", {"sessions": public_sessions()[:50]})


@require_safe
def live_page(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    audio_only = request.GET.get("che-do") == "nghe"
    low = request.GET.get("che-do") == "thap"
    return render(
        request,
        "web/live/page.html",
        {
            "session": session,
            "products": shown_products(session),
            "chat": latest_messages(session),
            "events_url": events_url(session.pk),
            "hls_url": hls_url(session) if session.source == LiveSession.Source.RTMP else "",
            "audio_only": audio_only,
            "low": low,
            "pickup_points": PickupPoint.objects.filter(is_active=True).order_by("name")[:PICKUP_CHOICES],
            "payment_methods": PaymentMethod.choices,
            "last_order": request.session.pop(LAST_ORDER, ""),
        },
    )


@require_POST
def chat(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    user = request.user if request.user.is_authenticated else None
    try:
        post_message(
            session=session,
            user=user,
            sender_key=_sender_key(request),
            name=request.POST.get("name", "")[:200],
            text=request.POST.get("text", "")[:2000],
        )
    except DomainError as error:
        return _answer(request, session, ok=False, text=error.message)
    return _answer(request, session, ok=True, text="Đã gửi bình luận.")


@require_POST
def order(request: HttpRequest, session_id: int) -> HttpResponse:
    """One product from the live page, at the live price, without leaving the page."""
    session = _session(session_id)
    product_id = small_int(request.POST.get("product"))
    quantity = small_int(request.POST.get("quantity"), max_digits=3)
    if product_id is None or quantity is None:
        return _answer(request, session, ok=False, text="Chọn sản phẩm và số lượng.")
    try:
        placed = order_from_page(
            buyer=request.user if request.user.is_authenticated else None,
            session=session,
            product_id=product_id,
            quantity=quantity,
            name=request.POST.get("name", "")[:200],
            phone=request.POST.get("phone", "")[:40],
            payment_method=request.POST.get("payment_method", "")[:20],
            pickup_point=request.POST.get("pickup_point", "")[:40],
            session_key=_sender_key(request),
            idempotency_key=request.POST.get("key", "")[:100] or None,
        )
    except DomainError as error:
        return _answer(request, session, ok=False, text=error.message)
    total = format_vnd(sum(so.total for so in placed.shop_orders.all()))
    link = order_links.order_url(placed.code)
    how = "Mở đơn để quét mã VietQR." if placed.payment_method == PaymentMethod.VIETQR else "Trả tiền khi nhận hàng."
    return _answer(request, session, ok=True, text=f"Đã đặt đơn {placed.code}, tổng {total}. {how}", order_url=link)


@csrf_exempt  # nginx-rtmp's on_publish callback, from the same machine; it carries the stream key, not a cookie
@require_POST
def rtmp_publish(request: HttpRequest) -> HttpResponse:
    """nginx-rtmp asks before accepting a stream: the key must be a live RTMP session's. The answer renames the
    stream to "live-<id>" (a 3xx with the new name), so the public HLS address never shows the key."""
    session = publish_allowed(stream_key=request.POST.get("name", "")[:100], remote=request.META.get("REMOTE_ADDR", ""))
    if session is None:
        return HttpResponse("refused", status=403, content_type="text/plain")
    response = HttpResponse(status=302)
    response["Location"] = f"live-{session.pk}"
    return response
