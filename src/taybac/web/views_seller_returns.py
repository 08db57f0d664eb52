"""Seller centre, returns: the acting producer's return requests, open ones first, answered with one tap (accept)
or a reason (refuse). fulfilment.buyer.answer_return checks again that the user manages the shop."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import can_manage
from taybac.core.errors import DomainError
from taybac.fulfilment.buyer import answer_return
from taybac.orders.models import ReturnRequest
from taybac.web.forms_buyer import AnswerForm
from taybac.web.views_seller import _acting

RETURNS_SHOWN = 100


@login_required
def returns(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    requests = (
        ReturnRequest.objects.filter(shop_order__shop__producer=producer)
        .select_related("shop_order__order")
        .prefetch_related("shop_order__lines")
        .annotate(
            open_first=Case(
                When(state=ReturnRequest.State.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("open_first", "-requested_at")[:RETURNS_SHOWN]
    )
    return render(request, "web/centre/returns.html", {"producer": producer, "requests": requests})


@login_required
@require_POST
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Accept or refuse one request of a shop the user manages (another shop's is a 404, as if absent)."""
    found = ReturnRequest.objects.select_related("shop_order__shop__producer").filter(pk=pk).first()
    if found is None or not can_manage(request.user, found.shop_order.shop.producer):
        raise Http404("Không tìm thấy yêu cầu trả hàng.")
    form = AnswerForm(request.POST)
    if not form.is_valid() or form.cleaned_data["accept"] is None:
        messages.error(request, "Chọn đồng ý hoặc từ chối.")
        return redirect("seller-returns")
    try:
        answer_return(
            actor=request.user,
            return_request=found,
            accept=form.cleaned_data["accept"],
            answer=form.cleaned_data["answer"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Đã trả lời người mua (gửi SMS).")
    return redirect("seller-returns")
