"""Buyer pages for ordering: cart, checkout (delivery or commune post office, VietQR or cash), the order page
with one QR code per shop order, and tracking by code and phone — no account needed."""

from __future__ import annotations

import uuid
from itertools import groupby

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taybac.accounts.http import signed_in_user
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.orders import idempotency
from taybac.orders.checkout import LineRequest, place_order
from taybac.orders.models import Order
from taybac.payments.selectors import OrderDue
from taybac.payments.vietqr import qr_svg
from taybac.regions.models import PickupPoint, Province
from taybac.web import cart, order_links, views_buyer
from taybac.web.forms_checkout import CheckoutForm, token_key


@require_POST
def cart_set(request: HttpRequest) -> HttpResponse:
    """Add to cart (from the product page) or change a quantity (from the cart); 0 removes the line. Only a
    variant on sale can be added (a closed shop's, a withdrawn or sold-out one cannot)."""
    variant = small_int(request.POST.get("variant"))
    quantity = small_int(request.POST.get("quantity", "1"), max_digits=3)
    adding = request.POST.get("add") == "1"
    if variant is None or quantity is None:
        messages.error(request, "Số lượng không hợp lệ.")
    elif quantity > 0 and not cart.on_sale(variant):
        cart.set_quantity(request, variant, 0)
        messages.error(request, "Sản phẩm này hiện không còn bán.")
    else:
        current = cart.read(request).get(variant, 0) if adding else 0
        cart.set_quantity(request, variant, current + quantity)
        if adding:
            messages.success(request, "Đã thêm vào giỏ hàng.")
    return redirect("order-cart")


def _checkout_context(request: HttpRequest, lines: list[cart.CartLine]) -> dict:
    code = small_int(request.POST.get("tinh") or request.GET.get("tinh"))
    province = Province.objects.filter(code=code).first() if code is not None else None
    shops = [(shop, list(group)) for shop, group in groupby(lines, key=lambda line: line.variant.shop)]
    token = request.POST.get("token", "")
    return {
        "shops": shops,
        "items_total": sum(line.total for line in lines),
        "province": province,
        "provinces": Province.objects.order_by("-in_region", "name"),
        "communes": province.communes.order_by("name") if province else [],
        "pickups": PickupPoint.objects.filter(is_active=True, address__province=province).select_related(
            "address__commune"
        )
        if province
        else [],
        "token": token if token_key(token) else uuid.uuid4().hex,
        "form": request.POST,
    }


def _to_order_page(order: Order) -> HttpResponse:
    return redirect(order_links.order_url(order.code))  # a signed link: the phone never goes in an address


def cart_page(request: HttpRequest) -> HttpResponse:
    """The cart and, below it, the checkout form (province first, then commune or post office)."""
    lines, dropped = cart.lines(request)
    if dropped:
        messages.warning(request, "Có sản phẩm trong giỏ đã hết hàng hoặc ngừng bán nên đã được bỏ ra.")
    context = _checkout_context(request, lines)
    if request.method == "POST":
        form = CheckoutForm(request.POST)
        key = token_key(request.POST.get("token"))
        if not lines and key:  # the second tap of a double tap: the first placed the order and emptied the cart
            placed = idempotency.recorded(
                key=key, scope=idempotency.scope_for(user=request.user, session_key=request.session.session_key)
            )
            if placed:
                return _to_order_page(placed)
        elif lines:
            try:
                order = _place(request, form, lines, context["province"])
            except DomainError as error:
                context["error"] = error.message
            else:
                cart.clear(request)
                return _to_order_page(order)
    return render(request, "web/orders/cart.html", context, status=400 if context.get("error") else 200)


def _place(request: HttpRequest, form: CheckoutForm, lines: list[cart.CartLine], province: Province | None) -> Order:
    """Place the cart's order from a valid form; a form error is raised as the domain's errors are."""
    if not form.is_valid():
        field = next(iter(form.errors))
        raise DomainError(form.first_error(), field=field)
    if province is None:
        raise DomainError("Vui lòng chọn tỉnh nhận hàng.", field="tinh")
    address, pickup_point = form.delivery()
    return place_order(
        buyer=signed_in_user(request),
        lines=[LineRequest(line.variant.pk, line.quantity) for line in lines],
        contact=form.contact(),
        payment_method=form.cleaned_data["thanh_toan"],
        delivery_address=address,
        pickup_point=pickup_point,
        idempotency_key=form.idempotency_key,
        session_key=request.session.session_key,
    )


def _order_due(request: HttpRequest, code: str) -> OrderDue:
    """The order for its signed-in buyer or a fresh signed link (web/order_links.py); anyone else a 404."""
    return order_links.order_due_for(request, code)


def order_page(request: HttpRequest, code: str) -> HttpResponse:
    """An order's shop orders, what is due, and a VietQR code per shop order; needs the buyer's phone."""
    due = _order_due(request, code)
    parts = [
        {"so": part.shop_order, "transfer": part.transfer, "qr": qr_svg(part.transfer.vietqr) if part.transfer else ""}
        for part in due.parts
    ]
    return render(request, "web/orders/order.html", {"order": due.order, "parts": parts, "total": due.total})


def receipt(request: HttpRequest, code: str, shop_code: str) -> HttpResponse:
    """A printable receipt of one shop order (print CSS, A5/A4 or a phone screen)."""
    due = _order_due(request, code)
    part = due.part(shop_code)
    if part is None:
        raise Http404("Không tìm thấy đơn của gian hàng này.")
    return render(request, "web/orders/receipt.html", {"order": due.order, "so": part.shop_order, "paid": part.paid})


def my_orders(request: HttpRequest) -> HttpResponse:
    """The buyer's orders (web/views_buyer.py; the route stays here)."""
    return views_buyer.my_orders(request)


def track(request: HttpRequest) -> HttpResponse:
    """The look-up by code and phone (web/views_buyer.py; the route stays here)."""
    return views_buyer.track(request)
