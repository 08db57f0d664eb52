"""Operators' reconciliation screen: transfers needing review, statement import, payments and the ledger."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import admin, messages
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import path

from taybac.accounts.http import require_user
from taybac.catalog.models import Shop
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.orders.models import ShopOrder
from taybac.payments.models import BankTransaction, LedgerEntry, Payment, Refund
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


@admin.register(BankTransaction)
class BankTransactionAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "provider", "transaction_id", "amount", "memo", "shop_order", "outcome")
    list_filter = ("outcome", "provider")
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
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("recorded_at", "shop_order", "method", "amount")
    list_filter = ("method",)
    raw_id_fields = ("shop_order", "bank_transaction", "recorded_by")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Payout report: filter by shop to see what the hub owes it (the sum is shown above the list)."""

    list_display = ("created_at", "shop", "kind", "amount", "shop_order", "note")
    list_filter = ("kind", "shop")
    raw_id_fields = ("shop", "shop_order")

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
class RefundAdmin(admin.ModelAdmin):
    """Refunds are recorded through the form below (after the bank transfer), never edited afterwards."""

    list_display = ("recorded_at", "shop_order", "amount", "reference", "recorded_by")
    search_fields = ("shop_order__code", "reference")
    readonly_fields = ("shop_order", "amount", "reference", "note", "key", "recorded_at", "recorded_by")

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
