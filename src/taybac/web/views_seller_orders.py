"""Seller centre orders: the acting producer's shop orders, and the next steps the state machine allows."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taybac.accounts.selectors import NotAllowed, require_can_manage
from taybac.core.errors import DomainError
from taybac.core.money import format_vnd, parse_vnd
from taybac.orders.lifecycle import advance, allowed_next
from taybac.orders.models import PaymentMethod, ShopOrder, Status
from taybac.payments.reconciliation import record_cash_on_delivery
from taybac.web.views_seller import _acting

# The steps a seller takes; confirming a transfer is the bank reconciliation's job, not the seller's.
SELLER_STEPS = {Status.PACKED, Status.SHIPPED, Status.DELIVERED, Status.CANCELLED}


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    shop_orders = (ShopOrder.objects.filter(shop__producer=producer).select_related("order")
                   .prefetch_related("lines").order_by("-created_at")[:100])
    rows = [{"so": so, "steps": [Status(s) for s in sorted(allowed_next(so.status) & SELLER_STEPS)]}
            for so in shop_orders]
    return render(request, "web/centre/orders.html", {"producer": producer, "rows": rows})


@login_required
@require_POST
def order_step(request: HttpRequest, pk: int) -> HttpResponse:
    shop_order = ShopOrder.objects.select_related("shop__producer__owner", "order").filter(pk=pk).first()
    if shop_order is None:
        raise Http404("Không tìm thấy đơn.")
    try:
        require_can_manage(request.user, shop_order.shop.producer)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    to = request.POST.get("to", "")
    if to not in SELLER_STEPS:
        raise PermissionDenied("Bước này không do người bán thực hiện.")
    owner = shop_order.shop.producer.owner
    try:
        if to == Status.DELIVERED and shop_order.order.payment_method == PaymentMethod.COD:
            collected = parse_vnd(request.POST.get("thu", ""))
            record_cash_on_delivery(shop_order=shop_order, amount=collected, actor=request.user, on_behalf_of=owner)
            if collected != shop_order.total:
                messages.warning(request, f"Đã thu {format_vnd(collected)}, khác tổng đơn {format_vnd(shop_order.total)}: "
                                          "bộ phận vận hành sẽ kiểm tra.")
        else:
            advance(shop_order=shop_order, to=to, actor=request.user, on_behalf_of=owner)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đơn {shop_order.code}: {Status(to).label}.")
    return redirect("seller-orders")
