"""The post-office page (/buu-dien/): staff of a pickup point see the parcels coming to them, record that one
arrived ("Đã nhận hàng") and that the buyer collected it ("Đã giao cho người mua").

Both buttons are plain POST forms (no JavaScript) and both steps are idempotent in the service, so a double tap
or a resubmitted form after a dropped connection records nothing twice and answers with the same success.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.core.money import format_vnd, parse_vnd
from taybac.fulfilment.pickup import hand_over_at_pickup_point, receive_at_pickup_point
from taybac.fulfilment.selectors import MIN_SEARCH, parcels, search_code, staff_points
from taybac.orders.codes import display
from taybac.orders.models import PaymentMethod, ShopOrder

NOT_STAFF = (
    "Tài khoản này chưa được giao làm việc tại bưu điện nào. Nhờ bộ phận vận hành Tây Bắc Hub "
    "thêm số điện thoại của bạn vào danh sách nhân viên bưu điện."
)


def _masked(phone: str) -> str:
    """'+84912345678' -> '**** *** 678': enough to check with the buyer, not enough to copy."""
    return "**** *** " + phone[-3:] if len(phone) >= 3 else ""


@dataclass(frozen=True)
class ParcelRow:
    """One parcel on the page: the shop order and what the counter needs to see about it."""

    shop_order: ShopOrder
    masked_phone: str
    cod: bool  # cash to collect when handing over
    received: bool  # already at the post office


def _row(shop_order: ShopOrder) -> ParcelRow:
    return ParcelRow(
        shop_order=shop_order,
        masked_phone=_masked(shop_order.order.contact_phone),
        cod=shop_order.order.payment_method == PaymentMethod.COD,
        received=shop_order.arrived_at_pickup is not None,
    )


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    points = staff_points(request.user)
    if not points:
        raise PermissionDenied(NOT_STAFF)
    raw = request.GET.get("ma", "").strip()[:40]
    code = search_code(raw)
    rows = [_row(so) for so in parcels(points, code=code)] if code or not raw else []
    sections = []
    for point in points:
        mine = [row for row in rows if row.shop_order.order.pickup_point_id == point.pk]
        sections.append(
            {
                "point": point,
                "coming": [row for row in mine if not row.received],
                "waiting": [row for row in mine if row.received],
            }
        )
    return render(
        request,
        "web/pickup/home.html",
        {
            "sections": sections,
            "raw": raw,
            "searching": bool(raw),
            "found": rows if raw else [],
            "search_error": f"Nhập ít nhất {MIN_SEARCH} chữ hoặc số của mã đơn." if raw and not code else "",
        },
    )


def _shop_order(pk: int) -> ShopOrder:
    key = small_int(pk)  # a 30-digit id in the URL overflows database integers
    shop_order = ShopOrder.objects.select_related("order").filter(pk=key).first() if key is not None else None
    if shop_order is None:
        raise Http404("Không tìm thấy đơn.")
    return shop_order


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list, or to the search the staff member came from."""
    code = request.POST.get("ma", "").strip()[:40]
    return redirect(f"/buu-dien/?{urlencode({'ma': code})}" if code else "/buu-dien/")


@login_required
@require_POST
def receive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    shop_order = _shop_order(pk)
    try:
        receive_at_pickup_point(actor=request.user, shop_order=shop_order)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Đã nhận đơn {display(shop_order.code)} tại bưu điện. Người mua đã được nhắn tin đến nhận hàng."
        )
    return _back(request)


@login_required
@require_POST
def hand_over(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    shop_order = _shop_order(pk)
    try:
        cash = parse_vnd(request.POST["thu"]) if "thu" in request.POST else None
        hand_over_at_pickup_point(actor=request.user, shop_order=shop_order, cash_collected=cash)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã giao đơn {display(shop_order.code)} cho người mua.")
        if shop_order.order.payment_method == PaymentMethod.COD and cash is not None and cash != shop_order.total:
            messages.warning(
                request,
                f"Đã thu {format_vnd(cash)}, khác tổng đơn {format_vnd(shop_order.total)}: "
                "bộ phận vận hành sẽ kiểm tra.",
            )
    return _back(request)
