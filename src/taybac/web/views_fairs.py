"""The buyer's fair pages (docs/selling-events.md, "Online fairs"): the list (/hoi-cho/), a fair (theme, dates,
booths, schedule of live sessions) and a booth with its fair prices and an order form that charges the fair price
only while the fair is open (the price is looked up in campaigns.fair_services, never read from the form)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from taybac.campaigns import fair_selectors
from taybac.campaigns.fair_models import Fair, FairBooth
from taybac.campaigns.fair_services import count_page_visit, order_from_booth
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.core.money import format_vnd
from taybac.orders.models import PaymentMethod
from taybac.regions.models import PickupPoint
from taybac.web import order_links, views_share_visits
from taybac.web.views_brands import share_links

PICKUP_CHOICES = 300
LAST_ORDER = "fair_last_order"


def _fair(slug: str) -> Fair:
    fair = fair_selectors.public_fairs().filter(slug=slug[:80]).first()
    if fair is None:
        raise Http404("Không có hội chợ này.")
    return fair


def _booth(fair: Fair, booth_id: int) -> FairBooth:
    booth = fair_selectors.approved_booths(fair).filter(pk=booth_id).first()
    if booth is None:
        raise Http404("Không có gian hàng này.")
    return booth


def _count(request: HttpRequest, target: str, target_id: int) -> None:
    """Visitor figures: GET only (require_safe lets HEAD through: skipped), obvious bots skipped."""
    if request.method == "GET" and not views_share_visits.is_bot(request):
        count_page_visit(target=target, target_id=target_id)


def _og(request: HttpRequest, title: str, description: str) -> dict[str, str]:
    url = request.build_absolute_uri(request.path)
    return {"title": title, "description": description[:200], "url": url, "image": ""}


@require_safe
def fairs(request: HttpRequest) -> HttpResponse:
    items = [(f, fair_selectors.status(f)) for f in fair_selectors.public_fairs()[:50]]
    return render(request, "web/fairs/list.html", {"items": items, "labels": fair_selectors.STATUS_LABELS})


@require_safe
def fair_page(request: HttpRequest, slug: str) -> HttpResponse:
    fair = _fair(slug)
    _count(request, "fair", fair.pk)
    og = _og(request, fair.title, fair.theme)
    return render(
        request,
        "web/fairs/fair.html",
        {
            "fair": fair,
            "status": fair_selectors.status(fair),
            "labels": fair_selectors.STATUS_LABELS,
            "booths": fair_selectors.approved_booths(fair),
            "schedule": fair_selectors.schedule(fair),
            "og": og,
            "share": share_links(og["url"]),
        },
    )


@require_safe
def booth_page(request: HttpRequest, slug: str, booth_id: int) -> HttpResponse:
    fair = _fair(slug)
    booth = _booth(fair, booth_id)
    _count(request, "booth", booth.pk)
    og = _og(request, f"{booth.shop.name} · {fair.title}", booth.pitch or fair.theme)
    return render(
        request,
        "web/fairs/booth.html",
        {
            "fair": fair,
            "booth": booth,
            "status": fair_selectors.status(fair),
            "lines": fair_selectors.booth_lines(booth),
            "pickup_points": PickupPoint.objects.filter(is_active=True).order_by("name")[:PICKUP_CHOICES],
            "payment_methods": PaymentMethod.choices,
            "last_order": request.session.pop(LAST_ORDER, ""),
            "og": og,
            "share": share_links(og["url"]),
        },
    )


def _session_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return f"session:{request.session.session_key}"


@require_POST
def booth_order(request: HttpRequest, slug: str, booth_id: int) -> HttpResponse:
    """One booth product at the booth's current price; back to the booth page with the result."""
    fair = _fair(slug)
    booth = _booth(fair, booth_id)
    back = f"/hoi-cho/{fair.slug}/gian/{booth.pk}/#dat-hang"
    item_id = small_int(request.POST.get("product"))
    quantity = small_int(request.POST.get("quantity"), max_digits=3)
    if item_id is None or quantity is None:
        messages.error(request, "Chọn sản phẩm và số lượng.")
        return redirect(back)
    try:
        order = order_from_booth(
            buyer=request.user if request.user.is_authenticated else None,
            booth=booth,
            item_id=item_id,
            quantity=quantity,
            name=request.POST.get("name", "")[:200],
            phone=request.POST.get("phone", "")[:40],
            payment_method=request.POST.get("payment_method", "")[:20],
            pickup_point=request.POST.get("pickup_point", "")[:40],
            session_key=_session_key(request),
            idempotency_key=request.POST.get("key", "")[:100] or None,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    views_share_visits.attribute(request, order)
    total = format_vnd(sum(so.total for so in order.shop_orders.all()))
    request.session[LAST_ORDER] = order_links.order_url(order.code)
    messages.success(request, f"Đã đặt đơn {order.code}, tổng {total}.")
    return redirect(back)
