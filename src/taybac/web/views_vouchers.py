"""Voucher pages (docs/selling-events.md, "Vouchers"): a shop's own at /ban-hang/ma-giam-gia/ (its owner or a
helper with a live delegation: list, create, stop) and the hub's at /van-hanh/ma-giam-gia/ (operators). Each
write calls one service of orders.vouchers, which checks who may act again."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed
from taybac.catalog.models import Shop
from taybac.core.errors import DomainError
from taybac.orders.models import Voucher
from taybac.orders.vouchers import MAX_AMOUNT, MAX_LIMIT, create_voucher, deactivate_voucher, is_operator
from taybac.payments.models import LedgerEntry
from taybac.web.views_seller import acting_shop

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LISTED = 100  # newest vouchers shown; a shop or the hub rarely runs more at once


class VoucherForm(forms.Form):
    """Shape only (numbers, dates); the rules and their Vietnamese messages are orders.vouchers'."""

    code = forms.CharField(label="Mã (3–20 ký tự chữ, số, dấu -)", max_length=20, min_length=3)
    label = forms.CharField(label="Ghi chú (ví dụ: hội chợ)", max_length=120, required=False)
    kind = forms.ChoiceField(label="Loại giảm", choices=Voucher.Kind.choices)
    value = forms.IntegerField(
        label="Mức giảm (đồng, hoặc % nếu giảm theo phần trăm)", min_value=1, max_value=MAX_AMOUNT
    )
    max_discount = forms.IntegerField(
        label="Giảm tối đa (đồng, cho mã phần trăm)", min_value=1, max_value=MAX_AMOUNT, required=False
    )
    min_subtotal = forms.IntegerField(
        label="Đơn tối thiểu (tiền hàng, đồng)", min_value=0, max_value=MAX_AMOUNT, initial=0
    )
    starts = forms.DateField(label="Từ ngày", widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(label="Đến hết ngày", widget=forms.DateInput(attrs={"type": "date"}))
    total_limit = forms.IntegerField(label="Tổng lượt dùng", min_value=1, max_value=MAX_LIMIT)
    per_buyer_limit = forms.IntegerField(label="Lượt mỗi người mua", min_value=1, max_value=MAX_LIMIT, initial=1)

    def first_error(self) -> str:
        field, errors = next(iter(self.errors.items()))
        label = self.fields[field].label if field in self.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])


def _create(request: HttpRequest, form: VoucherForm, shop: Shop | None) -> Voucher:
    data = form.cleaned_data
    starts = datetime.datetime.combine(data["starts"], datetime.time.min, tzinfo=VIETNAM)
    ends = datetime.datetime.combine(data["ends"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=VIETNAM)
    return create_voucher(
        actor=request.user,  # type: ignore[arg-type]
        shop=shop,
        code=data["code"],
        kind=data["kind"],
        value=data["value"],
        max_discount=data["max_discount"],
        min_subtotal=data["min_subtotal"] or 0,
        starts_at=starts,
        ends_at=ends,
        total_limit=data["total_limit"],
        per_buyer_limit=data["per_buyer_limit"],
        label=data["label"],
    )


def _page(request: HttpRequest, shop: Shop | None, template: str, extra: dict) -> HttpResponse:
    """The list and the create form; a POST creates, then returns here (PRG) or shows the form's error."""
    today = datetime.datetime.now(VIETNAM).date()
    form = VoucherForm(request.POST or None, initial={"starts": today, "ends": today + datetime.timedelta(days=13)})
    error = ""
    if request.method == "POST":
        if not form.is_valid():
            error = form.first_error()
        else:
            try:
                voucher = _create(request, form, shop)
            except NotAllowed as refused:
                raise PermissionDenied(refused.message) from None
            except DomainError as refused:
                error = refused.message
            else:
                messages.success(request, f"Đã tạo mã {voucher.code}.")
                return redirect(request.path)
    vouchers = Voucher.objects.filter(shop=shop) if shop else Voucher.objects.filter(shop__isnull=True)
    context = {"vouchers": vouchers.order_by("-created_at", "-id")[:LISTED], "form": form, "error": error, **extra}
    return render(request, template, context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def seller_vouchers(request: AuthenticatedHttpRequest) -> HttpResponse:
    acting = acting_shop(request)
    if isinstance(acting, HttpResponse):
        return acting
    _, shop = acting
    hub_funded = LedgerEntry.objects.filter(shop=shop, kind=LedgerEntry.Kind.VOUCHER).aggregate(s=Sum("amount"))["s"]
    return _page(request, shop, "web/vouchers/seller.html", {"shop": shop, "hub_funded": hub_funded or 0})


@login_required
@require_POST
def seller_voucher_stop(request: AuthenticatedHttpRequest, voucher_id: int) -> HttpResponse:
    acting = acting_shop(request)
    if isinstance(acting, HttpResponse):
        return acting
    _, shop = acting
    voucher = Voucher.objects.select_related("shop__producer").filter(pk=voucher_id, shop=shop).first()
    if voucher is None:
        raise Http404("Không có mã giảm giá này.")
    return _stop(request, voucher, "seller-vouchers")


def _require_operator(request: HttpRequest) -> None:
    if not is_operator(user=request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Chỉ vận hành sàn quản lý mã giảm giá của sàn.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def operator_vouchers(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    return _page(request, None, "web/vouchers/operator.html", {})


@login_required
@require_POST
def operator_voucher_stop(request: HttpRequest, voucher_id: int) -> HttpResponse:
    _require_operator(request)
    voucher = Voucher.objects.filter(pk=voucher_id, shop__isnull=True).first()
    if voucher is None:
        raise Http404("Không có mã giảm giá này.")
    return _stop(request, voucher, "operator-vouchers")


def _stop(request: HttpRequest, voucher: Voucher, back: str) -> HttpResponse:
    try:
        deactivate_voucher(actor=request.user, voucher=voucher)  # type: ignore[arg-type]
    except NotAllowed as refused:
        raise PermissionDenied(refused.message) from None
    messages.success(request, f"Đã ngừng mã {voucher.code}. Đơn đã dùng mã vẫn giữ mức giảm.")
    return redirect(back)
