"""Operators' view of orders (/quan-tri/): find one by its code or the buyer's phone, filter by status, date,
province and payment method, read its shop orders, lines, payments and refunds. Nothing here edits an order or
its money: status changes go through the seller centre and the services (stock, SMS, ledger), refunds through
their own form. payments/admin.py adds a shop order's payments and refunds to its page (orders may not import
payments)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from phonenumbers import NumberParseException

from taybac.accounts.phone import PhoneError, display_phone, normalize_phone
from taybac.core.adminkit import ReadOnlyAdmin, ReadOnlyInline, labelled, titled
from taybac.core.money import format_vnd
from taybac.orders.codes import display
from taybac.orders.models import Order, OrderLine, ReturnRequest, ShopOrder
from taybac.regions.selectors import provinces_for_people

_CODE = re.compile(r"^TB-?[0-9A-Z]{4}-?[0-9A-Z]{4}$", re.IGNORECASE)


def search_terms(term: str) -> str:
    """What an operator types, as stored: "0912 345 678" -> "+84912345678", "tb-acde-3479" -> "TBACDE3479"."""
    term = " ".join(term.split())
    if _CODE.match(term.replace(" ", "")):
        return term.replace(" ", "").replace("-", "").upper()
    if len(re.sub(r"\D", "", term)) >= 9 and re.fullmatch(r"[+\d .()-]+", term):
        try:
            return normalize_phone(term, mobile_only=False)
        except PhoneError:
            return term
    return term


class NormalizedSearch(admin.ModelAdmin):
    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        return super().get_search_results(request, queryset, search_terms(search_term))


def province_filter(title: str, *paths: str) -> type[admin.SimpleListFilter]:
    """A filter by province (the region's first, in Vietnamese order) over one or more paths to a province id,
    e.g. the delivery address's or the pickup point's."""

    class ProvinceFilter(admin.SimpleListFilter):
        parameter_name = "tinh"

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            return [(str(p.code), p.name) for p in provinces_for_people()]

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            code = self.value()
            if not code or not code.isdigit():
                return queryset
            match = Q()
            for path in paths:
                match |= Q(**{path: int(code)})
            return queryset.filter(match)

    ProvinceFilter.title = title
    return ProvinceFilter


DELIVERY = ("delivery_address__province_id", "pickup_point__address__province_id")


@labelled(
    code=("code", "Mã"),
    shop=("shop.name", "Gian hàng"),
    status=("status", "Trạng thái"),
    items_total=("items_total", "Tiền hàng", True),
    shipping_fee=("shipping_fee", "Phí giao", True),
    total=("total", "Tổng", True),
)
class ShopOrderInline(ReadOnlyInline):
    model = ShopOrder
    fields = readonly_fields = ("vi_code", "vi_shop", "vi_status", "vi_items_total", "vi_shipping_fee", "vi_total")
    verbose_name = "đơn của gian hàng"
    verbose_name_plural = "các đơn của gian hàng"


@admin.register(Order)
@labelled(
    code=("code", "Mã đơn"),
    created_at=("created_at", "Ngày đặt"),
    contact_name=("contact_name", "Người mua"),
    contact_phone=("contact_phone", "Điện thoại"),
    contact_email=("contact_email", "E-mail"),
    payment_method=("payment_method", "Thanh toán"),
    delivery_address=("delivery_address", "Giao tới"),
    pickup_point=("pickup_point", "Nhận tại"),
    buyer=("buyer", "Tài khoản người mua"),
)
class OrderAdmin(NormalizedSearch, ReadOnlyAdmin):
    list_display = ("printed_code", "vi_created_at", "phone")  # three columns that wrap: they fit a 360 px phone
    list_filter = (
        ("created_at", titled(admin.DateFieldListFilter, "ngày đặt")),
        ("payment_method", titled(admin.ChoicesFieldListFilter, "cách thanh toán")),
        province_filter("tỉnh nhận hàng", *DELIVERY),
    )
    search_fields = ("code", "contact_phone", "shop_orders__code", "contact_name")
    date_hierarchy = "created_at"
    list_per_page = 50
    fields = readonly_fields = (
        "vi_code",
        "vi_created_at",
        "vi_contact_name",
        "vi_contact_phone",
        "vi_contact_email",
        "vi_payment_method",
        "vi_delivery_address",
        "vi_pickup_point",
        "vi_buyer",
    )
    inlines = [ShopOrderInline]
    list_select_related = True

    @admin.display(description="Mã đơn", ordering="code")
    def printed_code(self, order: Order) -> str:
        """As printed on receipts and read aloud: TB-ACDE-3479."""
        return display(order.code)

    @admin.display(description="Điện thoại", ordering="contact_phone")
    def phone(self, order: Order) -> str:
        """As people write it: 0912 345 678 (searching works either way)."""
        try:
            return display_phone(order.contact_phone)
        except NumberParseException:
            return order.contact_phone

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return super().get_queryset(request).select_related("delivery_address__commune", "pickup_point")


@labelled(
    quantity=("quantity", "SL"),
    line_total=("line_total", "Thành tiền", True),
)
class OrderLineInline(ReadOnlyInline):
    """Three columns, so the lines fit a phone: what (product, variant, unit price), how many, how much."""

    model = OrderLine
    fk_name = "shop_order"
    show_change_link = False
    fields = readonly_fields = ("item", "vi_quantity", "vi_line_total")
    verbose_name = "dòng hàng"
    verbose_name_plural = "các dòng hàng"

    @admin.display(description="Sản phẩm")
    def item(self, line: OrderLine) -> str:
        price = format_vnd(line.unit_price).replace(" ", "\u00a0")
        return f"{line.product_name} · {line.variant_name} · {price}" + (" · đặt trước" if line.preorder else "")


@admin.register(ShopOrder)
@labelled(
    code=("code", "Mã"),
    order=("order.code", "Đơn hàng"),
    shop=("shop.name", "Gian hàng"),
    status=("status", "Trạng thái"),
    items_total=("items_total", "Tiền hàng", True),
    shipping_fee=("shipping_fee", "Phí giao", True),
    total=("total", "Tổng", True),
    created_at=("created_at", "Ngày đặt"),
    reserved_until=("reserved_until", "Giữ hàng đến"),
    arrived_at_pickup=("arrived_at_pickup", "Đến điểm nhận lúc"),
    phone=("order.contact_phone", "Điện thoại người mua"),
    method=("order.payment_method", "Thanh toán"),
)
class ShopOrderAdmin(NormalizedSearch, ReadOnlyAdmin):
    list_display = ("printed_code", "vi_status", "vi_total")
    list_filter = (
        ("status", titled(admin.ChoicesFieldListFilter, "trạng thái")),
        ("created_at", titled(admin.DateFieldListFilter, "ngày đặt")),
        province_filter("tỉnh nhận hàng", *(f"order__{path}" for path in DELIVERY)),
        ("order__payment_method", titled(admin.ChoicesFieldListFilter, "cách thanh toán")),
    )
    search_fields = ("code", "order__code", "order__contact_phone", "shop__name")
    date_hierarchy = "created_at"
    list_per_page = 50
    list_select_related = ("order", "shop")
    fields = readonly_fields = (
        "vi_code",
        "vi_order",
        "vi_shop",
        "vi_status",
        "vi_method",
        "vi_phone",
        "vi_items_total",
        "vi_shipping_fee",
        "vi_total",
        "vi_created_at",
        "vi_reserved_until",
        "vi_arrived_at_pickup",
        "refund_link",
    )
    inlines = [OrderLineInline]  # payments/admin.py adds the money

    @admin.display(description="Mã", ordering="code")
    def printed_code(self, shop_order: ShopOrder) -> str:
        return display(shop_order.code)

    @admin.display(description="Hoàn tiền")
    def refund_link(self, obj: ShopOrder) -> str:
        """The refund form, filled in with this shop order (recorded after the bank transfer is made)."""
        return format_html(
            '<a href="{}?don={}">Ghi hoàn tiền cho đơn này</a>', reverse("admin:payments_refund_add"), obj.code
        )


@admin.register(ReturnRequest)
@labelled(
    shop_order=("shop_order.code", "Đơn của gian hàng"),
    state=("state", "Trạng thái"),
    reason=("reason", "Lý do của người mua"),
    requested_at=("requested_at", "Yêu cầu lúc"),
    answer=("answer", "Trả lời của gian hàng"),
    answered_at=("answered_at", "Trả lời lúc"),
)
class ReturnRequestAdmin(ReadOnlyAdmin):
    list_display = ("vi_shop_order", "vi_state", "vi_requested_at")
    list_filter = (
        ("state", titled(admin.ChoicesFieldListFilter, "trạng thái")),
        ("requested_at", titled(admin.DateFieldListFilter, "ngày yêu cầu")),
    )
    search_fields = ("shop_order__code", "shop_order__order__code", "shop_order__order__contact_phone")
    list_select_related = ("shop_order",)
    fields = readonly_fields = (
        "vi_shop_order",
        "vi_state",
        "vi_reason",
        "vi_requested_at",
        "vi_answer",
        "vi_answered_at",
    )

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        return super().get_search_results(request, queryset, search_terms(search_term))
