"""Seller centre orders: the acting producer's shop orders in tabs (new, to ship, shipped, done, returns,
cancelled), the next steps the state machine allows, and a confirmation page before a cancellation."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.models import Producer
from taybac.accounts.selectors import NotAllowed, require_can_manage
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.core.money import format_vnd, parse_vnd
from taybac.fulfilment.services import cancel_shop_order, deliver_shop_order, pack_shop_order, ship_shop_order
from taybac.logistics.tracking_selectors import SHIPMENTS
from taybac.orders.lifecycle import allowed_next
from taybac.orders.models import PaymentMethod, ReturnRequest, ShopOrder, Status
from taybac.traceability.models import Lot, OrderLineLot
from taybac.web import forms_seller as f
from taybac.web.seller.cancel import cancel_preview
from taybac.web.views_seller import _acting

# The steps a seller takes; confirming a transfer is the bank reconciliation's job, not the seller's.
SELLER_STEPS = {Status.PACKED, Status.SHIPPED, Status.DELIVERED, Status.CANCELLED}
LOTS_PER_VARIANT = 20
LIST_LIMIT = 100  # orders shown per tab, newest first


def _lot_choices(rows: list[dict]) -> None:
    """For orders that can be shipped: each line with the newest lots of its variant and the lot already chosen
    (two queries)."""
    shipping = [row for row in rows if Status.SHIPPED in row["steps"]]
    variant_ids = {line.variant_id for row in shipping for line in row["so"].lines.all()}
    by_variant: dict[int, list[Lot]] = {}
    for lot in (
        Lot.objects.filter(variant_id__in=variant_ids)
        .order_by("-harvested_on", "-id")
        .only("id", "code", "harvested_on", "variant_id")
        if variant_ids
        else []
    ):
        choices = by_variant.setdefault(lot.variant_id, [])
        if len(choices) < LOTS_PER_VARIANT:
            choices.append(lot)
    line_ids = [line.pk for row in shipping for line in row["so"].lines.all()]
    chosen = (
        dict(OrderLineLot.objects.filter(line_id__in=line_ids).values_list("line_id", "lot_id")) if by_variant else {}
    )
    for row in shipping:
        row["lot_lines"] = [
            (line, by_variant[line.variant_id], chosen.get(line.pk))
            for line in row["so"].lines.all()
            if line.variant_id in by_variant
        ]


def _posted_lots(request: HttpRequest) -> dict[int, int | None]:
    """`lot_<line id>` = lot id, or empty for none, as the shipping form sends them."""
    chosen: dict[int, int | None] = {}
    for key, value in request.POST.items():
        if key.startswith("lot_"):
            line_id, lot_id = small_int(key[4:]), small_int(value)
            if line_id is None or (value and lot_id is None):
                raise DomainError("Lô hàng đã chọn không hợp lệ.", field="lots")
            chosen[line_id] = lot_id
    return chosen


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    statuses: frozenset[str]  # empty: every order


# The tabs of the order list, as a seller works through them (Shopee's order, which buyers' sellers know).
TABS = (
    Tab("tat-ca", "Tất cả", frozenset()),
    Tab("moi", "Mới", frozenset({Status.PLACED, Status.AWAITING_PAYMENT, Status.CONFIRMED})),
    Tab("cho-giao", "Chờ giao", frozenset({Status.PACKED})),
    Tab("dang-giao", "Đang giao", frozenset({Status.SHIPPED})),
    Tab("hoan-tat", "Hoàn tất", frozenset({Status.DELIVERED, Status.COMPLETED})),
    Tab("tra-hang", "Trả hàng", frozenset({Status.RETURNED})),
    Tab("da-huy", "Đã hủy", frozenset({Status.CANCELLED})),
)
RETURNS = "tra-hang"


def _returns_filter() -> Q:
    """Returned orders, and delivered ones whose buyer asked to return them (answered on `seller-returns`)."""
    return Q(status=Status.RETURNED) | Q(return_request__state=ReturnRequest.State.REQUESTED)


def _tab_filter(tab: Tab) -> Q:
    if tab.slug == RETURNS:
        return _returns_filter()
    return Q(status__in=tab.statuses) if tab.statuses else Q()


def _counts(producer: Producer) -> dict[str, int]:
    """How many orders each tab holds, in one query."""
    return ShopOrder.objects.filter(shop__producer=producer).aggregate(
        **{tab.slug: Count("id", filter=_tab_filter(tab)) for tab in TABS}
    )


@login_required
def orders(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The shop's orders, newest first, one tab at a time (`?tab=`), each tab with its count."""
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    tab = next((t for t in TABS if t.slug == request.GET.get("tab")), TABS[0])
    shop_orders = (
        ShopOrder.objects.filter(shop__producer=producer)
        .filter(_tab_filter(tab))
        .select_related("order")
        .prefetch_related("lines", SHIPMENTS)
        .order_by("-created_at")[:LIST_LIMIT]
    )
    rows = [
        {
            "so": so,
            "steps": [Status(s) for s in sorted(allowed_next(status=so.status) & SELLER_STEPS - {Status.CANCELLED})],
            "can_cancel": Status.CANCELLED in allowed_next(status=so.status),  # a button to the confirmation page
        }
        for so in shop_orders
    ]
    _lot_choices(rows)
    counts = _counts(producer)
    return render(
        request,
        "web/centre/orders.html",
        {
            "producer": producer,
            "rows": rows,
            "tab": tab,
            "tabs": [(t, counts[t.slug]) for t in TABS],
            "limit": LIST_LIMIT,
        },
    )


def _shop_order(pk: int) -> ShopOrder:
    key = small_int(pk)  # a 30-digit id in the URL overflows database integers
    shop_order = (
        ShopOrder.objects.select_related("shop__producer__owner", "order").filter(pk=key).first()
        if key is not None
        else None
    )
    if shop_order is None:
        raise Http404("Không tìm thấy đơn.")
    return shop_order


@login_required
@require_GET
def order_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The confirmation step before a cancellation: what will happen to the buyer, their money and the stock.
    Its button posts to `order_step`; nothing changes on this page."""
    shop_order = _shop_order(pk)
    try:
        require_can_manage(request.user, shop_order.shop.producer)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    preview = cancel_preview(shop_order)
    return render(
        request,
        "web/centre/order_cancel.html",
        {"so": shop_order, "preview": preview, "form": f.CancelForm()},
        status=200 if preview.allowed else 409,
    )


@login_required
@require_POST
def order_step(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One button of the order list: parse its form, call the step's one service (taybac.fulfilment).
    Cancelling needs the confirmation page's `xac_nhan`; without it the seller is sent to that page."""
    shop_order = _shop_order(pk)
    to = request.POST.get("to", "")
    if to not in SELLER_STEPS:
        raise PermissionDenied("Bước này không do người bán thực hiện.")
    cancel = f.CancelForm(request.POST) if to == Status.CANCELLED else None
    if cancel is not None and not cancel.is_valid():
        try:
            require_can_manage(request.user, shop_order.shop.producer)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        for problem in cancel.errors.get("reason", []):
            messages.error(request, str(problem))
        return redirect("seller-order-cancel", pk=shop_order.pk)
    cash = None
    try:
        if to == Status.SHIPPED:
            ship_shop_order(actor=request.user, shop_order=shop_order, lots=_posted_lots(request))
        elif to == Status.DELIVERED:
            if shop_order.order.payment_method == PaymentMethod.COD:
                cash = parse_vnd(request.POST.get("thu", ""))
            deliver_shop_order(actor=request.user, shop_order=shop_order, cash_collected=cash)
        elif to == Status.PACKED:
            pack_shop_order(actor=request.user, shop_order=shop_order)
        elif cancel is not None:
            cancel_shop_order(actor=request.user, shop_order=shop_order, reason=cancel.cleaned_data["reason"])
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("seller-orders")
    messages.success(
        request,
        f"Đơn {shop_order.code}: {Status(to).label}."
        + (" Người mua đã được báo qua SMS." if to == Status.CANCELLED else ""),
    )
    if cash is not None and cash != shop_order.total:
        messages.warning(
            request,
            f"Đã thu {format_vnd(cash)}, khác tổng đơn {format_vnd(shop_order.total)}: bộ phận vận hành sẽ kiểm tra.",
        )
    return redirect("seller-orders")
