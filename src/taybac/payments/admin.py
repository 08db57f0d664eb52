"""Operators' reconciliation screen: transfers needing review, statement import, payments and the ledger."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from taybac.accounts.http import require_user
from taybac.catalog.models import Shop
from taybac.core.adminkit import ReadOnlyAdmin, ReadOnlyInline, labelled, titled
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.core.money import format_vnd
from taybac.orders.admin import NormalizedSearch, ShopOrderAdmin, province_filter
from taybac.orders.codes import display
from taybac.orders.models import ShopOrder
from taybac.payments.credits import may_refund_credits, record_credit_refund
from taybac.payments.models import BankTransaction, Credit, LedgerEntry, Payment, Refund
from taybac.payments.payouts import payout_report, record_payout, record_refund
from taybac.payments.statements import import_statement


class StatementForm(forms.Form):
    statement = forms.FileField(label="Sao kê ngân hàng (CSV)")


class MoneyOutForm(forms.Form):
    """A refund or payout as the operator types it after making the bank transfer; `token` stops double submits."""

    amount = forms.IntegerField(label="Số tiền (đồng)", min_value=1, max_value=10**12)
    reference = forms.CharField(label="Mã giao dịch ngân hàng", max_length=100)
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)


class RefundForm(MoneyOutForm):
    shop_order = forms.CharField(label="Mã đơn của gian hàng", max_length=20)
    note = forms.CharField(label="Ghi chú", max_length=200, required=False)

    def clean_shop_order(self) -> ShopOrder:
        code = "".join(ch for ch in self.cleaned_data["shop_order"].upper() if ch.isalnum())
        found = ShopOrder.objects.filter(code=code).first()
        if found is None:
            raise forms.ValidationError("Không tìm thấy đơn của gian hàng với mã này.")
        return found


class CreditRefundForm(forms.Form):
    """The refund transfer of a credit, typed after it was sent; the credit itself makes a double submit harmless."""

    reference = forms.CharField(label="Mã giao dịch ngân hàng", max_length=100)


@admin.register(BankTransaction)
@labelled(
    occurred_at=("occurred_at", "Thời điểm"),
    amount=("amount", "Số tiền", True),
    memo=("memo", "Nội dung chuyển khoản"),
    outcome=("outcome", "Kết quả đối soát"),
)
class BankTransactionAdmin(admin.ModelAdmin):
    list_display = ("vi_occurred_at", "vi_amount", "vi_outcome", "vi_memo")
    list_filter = (
        ("outcome", titled(admin.ChoicesFieldListFilter, "kết quả đối soát")),
        ("provider", titled(admin.AllValuesFieldListFilter, "nguồn")),
        ("occurred_at", titled(admin.DateFieldListFilter, "ngày")),
    )
    search_fields = ("transaction_id", "memo", "shop_order__code")
    readonly_fields = [f.name for f in BankTransaction._meta.fields if f.name != "outcome"]
    change_list_template = "admin/payments/banktransaction/change_list.html"

    def has_add_permission(self, request) -> bool:  # transfers come from the bank, not from a form
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path("nhap-sao-ke/", self.admin_site.admin_view(self.import_view), name="payments_import")
        ] + super().get_urls()

    def import_view(self, request):
        form = StatementForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = import_statement(form.cleaned_data["statement"].read())
            except DomainError as error:
                form.add_error("statement", error.message)
            else:
                messages.success(request, f"{result.rows} dòng, {result.new} giao dịch mới: {result.outcomes}")
                return redirect("admin:payments_banktransaction_changelist")
        return render(
            request,
            "admin/payments/import.html",
            {**self.admin_site.each_context(request), "form": form, "title": "Nhập sao kê ngân hàng"},
        )


@admin.register(Payment)
@labelled(
    recorded_at=("recorded_at", "Ghi lúc"),
    shop_order=("shop_order.code", "Đơn của gian hàng"),
    shop=("shop_order.shop.name", "Gian hàng"),
    method=("method", "Hình thức"),
    amount=("amount", "Số tiền", True),
    transfer=("bank_transaction", "Giao dịch ngân hàng"),
    recorded_by=("recorded_by", "Người ghi"),
)
class PaymentAdmin(NormalizedSearch, ReadOnlyAdmin):
    """Money received: written by reconciliation (a matched transfer) or the courier's cash step, never by hand."""

    vi_name = vi_name_plural = "khoản thanh toán"

    list_display = ("vi_recorded_at", "vi_shop_order", "vi_amount")
    list_filter = (
        ("method", titled(admin.ChoicesFieldListFilter, "hình thức")),
        ("recorded_at", titled(admin.DateFieldListFilter, "ngày")),
        province_filter("tỉnh của gian hàng", "shop_order__shop__province_id"),
    )
    search_fields = ("shop_order__code", "shop_order__order__code", "shop_order__order__contact_phone")
    list_select_related = ("shop_order__shop", "bank_transaction", "recorded_by")
    fields = readonly_fields = (
        "vi_recorded_at",
        "vi_shop_order",
        "vi_shop",
        "vi_method",
        "vi_amount",
        "vi_transfer",
        "vi_recorded_by",
    )


@labelled(
    recorded_at=("recorded_at", "Ghi lúc"),
    method=("method", "Hình thức"),
    amount=("amount", "Số tiền", True),
)
class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = readonly_fields = ("vi_recorded_at", "vi_method", "vi_amount")
    verbose_name = "thanh toán"
    verbose_name_plural = "các khoản đã thanh toán"


@labelled(
    recorded_at=("recorded_at", "Ghi lúc"),
    amount=("amount", "Số tiền", True),
    reference=("reference", "Mã giao dịch"),
)
class RefundInline(ReadOnlyInline):
    model = Refund
    fields = readonly_fields = ("vi_recorded_at", "vi_amount", "vi_reference")
    verbose_name = "hoàn tiền"
    verbose_name_plural = "các khoản đã hoàn"


class ShopOrderMoneyAdmin(ShopOrderAdmin):
    """A shop order's page with what was paid and refunded for it (orders' admin may not import payments)."""

    inlines = [*ShopOrderAdmin.inlines, PaymentInline, RefundInline]


admin.site.unregister(ShopOrder)
admin.site.register(ShopOrder, ShopOrderMoneyAdmin)


@admin.register(Credit)
@labelled(
    created_at=("created_at", "Nhận lúc"),
    order=("order.code", "Đơn hàng"),
    amount=("amount", "Số tiền thừa", True),
    refunded_at=("refunded_at", "Đã hoàn lúc"),
    refund_reference=("refund_reference", "Mã giao dịch hoàn"),
)
class CreditAdmin(NormalizedSearch, ReadOnlyAdmin):
    """Money a buyer paid beyond what was owed, held for them until refunded."""

    list_display = ("order_code", "vi_amount", "refunded")  # three columns that wrap: they fit a 360 px phone
    list_filter = (
        ("created_at", titled(admin.DateFieldListFilter, "ngày nhận")),
        ("refunded_at", titled(admin.EmptyFieldListFilter, "đã hoàn")),
    )
    search_fields = ("order__code", "order__contact_phone", "refund_reference")
    list_select_related = ("order",)
    fields = readonly_fields = ("vi_created_at", "vi_order", "vi_amount", "vi_refunded_at", "vi_refund_reference")
    change_form_template = "admin/payments/credit/change_form.html"

    @admin.display(description="Đơn hàng", ordering="order__code")
    def order_code(self, obj: Credit) -> str:
        return display(obj.order.code)

    @admin.display(description="Đã hoàn lúc", ordering="refunded_at")
    def refunded(self, obj: Credit) -> str:
        """When it was refunded, else the link to record it (one column: the list fits a 360 px phone)."""
        if obj.refunded_at is not None:
            return self.vi_refunded_at(obj)  # type: ignore[attr-defined]
        url = reverse("admin:payments_credit_refund", args=[obj.pk])
        return format_html('<a href="{}">Ghi nhận đã hoàn tiền thừa</a>', url)

    def get_urls(self):
        refund = self.admin_site.admin_view(self.refund_view)
        return [path("<path:object_id>/hoan-tien/", refund, name="payments_credit_refund")] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"may_refund": may_refund_credits(user=request.user), "refund_form": CreditRefundForm()}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def refund_view(self, request, object_id):
        """Record that a credit was sent back (the transfer is made first), then back to the credit's page."""
        if not may_refund_credits(user=request.user):
            raise PermissionDenied
        credit = self.get_queryset(request).filter(pk=small_int(unquote(object_id)) or 0).first()
        if credit is None:
            raise Http404
        form = CreditRefundForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                credit = record_credit_refund(
                    credit=credit, reference=form.cleaned_data["reference"], actor=require_user(request)
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    f"Đã ghi nhận hoàn {format_vnd(credit.amount)} tiền thừa của đơn {credit.order.code} "
                    f"(mã giao dịch {credit.refund_reference}).",
                )
                return redirect("admin:payments_credit_change", credit.pk)
        return render(
            request,
            "admin/payments/credit/refund.html",
            {
                **self.admin_site.each_context(request),
                "title": "Ghi nhận đã hoàn tiền thừa",
                "credit": credit,
                "form": form,
            },
        )


@admin.register(LedgerEntry)
@labelled(
    created_at=("created_at", "Ghi lúc"),
    shop=("shop.name", "Gian hàng"),
    kind=("kind", "Loại"),
    amount=("amount", "Số tiền", True),
    shop_order=("shop_order.code", "Đơn của gian hàng"),
    note=("note", "Ghi chú"),
    recorded_by=("recorded_by", "Người ghi"),
)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Payout report: filter by shop to see what the hub owes it (the sum is shown above the list). Sales,
    refunds and payouts are written by the services (a payout through the form below), never edited."""

    list_display = ("vi_created_at", "vi_shop", "vi_kind", "vi_amount")
    list_filter = (
        ("kind", titled(admin.ChoicesFieldListFilter, "loại")),
        ("created_at", titled(admin.DateFieldListFilter, "ngày")),
        province_filter("tỉnh của gian hàng", "shop__province_id"),
        ("shop", titled(admin.RelatedFieldListFilter, "gian hàng")),
    )
    search_fields = ("shop__name", "shop_order__code", "note")
    list_select_related = ("shop", "shop_order", "recorded_by")
    fields = readonly_fields = (
        "vi_created_at",
        "vi_shop",
        "vi_kind",
        "vi_amount",
        "vi_shop_order",
        "vi_note",
        "vi_recorded_by",
    )

    def get_urls(self):
        return [
            path("chi-tra/", self.admin_site.admin_view(self.payout_view), name="payments_payouts")
        ] + super().get_urls()

    def payout_view(self, request):
        """The payout report: what the hub owes each shop, with a form to record the transfer just made."""
        form = MoneyOutForm(request.POST or None, initial={"token": uuid.uuid4().hex})
        if request.method == "POST" and form.is_valid():
            shop = Shop.objects.filter(pk=small_int(request.POST.get("shop")) or 0).first()
            try:
                if shop is None:
                    raise DomainError("Chọn gian hàng cần chi trả.", field="shop")
                record_payout(
                    shop=shop,
                    amount=form.cleaned_data["amount"],
                    reference=form.cleaned_data["reference"],
                    key=f"payout-{form.cleaned_data['token']}",
                    actor=require_user(request),
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Đã ghi chi trả {form.cleaned_data['amount']} ₫ cho {shop.name}.")
                return redirect("admin:payments_payouts")
        elif request.method == "POST":
            messages.error(request, "Kiểm tra lại số tiền và mã giao dịch.")
        return render(
            request,
            "admin/payments/payouts.html",
            {
                **self.admin_site.each_context(request),
                "title": "Chi trả cho nhà sản xuất",
                "rows": payout_report(),
                "token": uuid.uuid4().hex,
            },
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            response.context_data["ledger_total"] = cl.queryset.aggregate(total=Sum("amount"))["total"] or 0
        return response


@admin.register(Refund)
@labelled(
    recorded_at=("recorded_at", "Ghi lúc"),
    shop_order=("shop_order.code", "Đơn của gian hàng"),
    amount=("amount", "Số tiền", True),
    reference=("reference", "Mã giao dịch ngân hàng"),
    note=("note", "Ghi chú"),
    recorded_by=("recorded_by", "Người ghi"),
)
class RefundAdmin(NormalizedSearch, admin.ModelAdmin):
    """Refunds are recorded through the form below (after the bank transfer), never edited afterwards."""

    list_display = ("vi_recorded_at", "vi_shop_order", "vi_amount")
    list_filter = (
        ("recorded_at", titled(admin.DateFieldListFilter, "ngày")),
        province_filter("tỉnh của gian hàng", "shop_order__shop__province_id"),
    )
    search_fields = ("shop_order__code", "shop_order__order__code", "shop_order__order__contact_phone", "reference")
    list_select_related = ("shop_order", "recorded_by")
    fields = readonly_fields = (
        "vi_recorded_at",
        "vi_shop_order",
        "vi_amount",
        "vi_reference",
        "vi_note",
        "vi_recorded_by",
    )

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def add_view(self, request, form_url="", extra_context=None):
        form = RefundForm(
            request.POST or None, initial={"token": uuid.uuid4().hex, "shop_order": request.GET.get("don", "")}
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                record_refund(
                    shop_order=data["shop_order"],
                    amount=data["amount"],
                    reference=data["reference"],
                    key=f"refund-{data['token']}",
                    actor=require_user(request),
                    note=data["note"],
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, f"Đã ghi hoàn {data['amount']} ₫ cho đơn {data['shop_order'].code}.")
                return redirect("admin:payments_refund_changelist")
        return render(
            request,
            "admin/payments/refund_form.html",
            {**self.admin_site.each_context(request), "title": "Ghi hoàn tiền cho người mua", "form": form},
        )
