"""Operators' reconciliation screen: transfers needing review, statement import, payments and the ledger."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import path

from taybac.core.errors import DomainError
from taybac.payments.models import BankTransaction, LedgerEntry, Payment
from taybac.payments.statements import import_statement


class StatementForm(forms.Form):
    statement = forms.FileField(label="Sao kê ngân hàng (CSV)")


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
        return [path("nhap-sao-ke/", self.admin_site.admin_view(self.import_view), name="payments_import")] + \
            super().get_urls()

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
        return render(request, "admin/payments/import.html", {**self.admin_site.each_context(request), "form": form,
                                                              "title": "Nhập sao kê ngân hàng"})


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

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            response.context_data["ledger_total"] = cl.queryset.aggregate(total=Sum("amount"))["total"] or 0
        return response
