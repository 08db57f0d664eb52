"""Buyer pages for ordering: cart, checkout (delivery or commune post office, VietQR or cash) with the shipping
options per shop (carrier, service, fee, delivery days, COD fee) and the grand total shown before the order is
placed, the order page with one VietQR for the whole
checkout (saved as a PNG, details copyable), and tracking by code and phone — no account needed."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from taybac.accounts.http import signed_in_user
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.orders import idempotency
from taybac.orders.checkout import MAX_LINES, LineRequest, place_order
from taybac.orders.codes import display
from taybac.orders.models import Order
from taybac.orders.quote import CartQuote, quote_cart
from taybac.payments.selectors import OrderDue
from taybac.payments.vietqr import qr_png, qr_svg
from taybac.regions.models import PickupPoint, Province
from taybac.regions.selectors import communes_for_people, provinces_for_people
from taybac.web import cart, order_links, search_visits, views_buyer, views_share_visits
from taybac.web.forms_checkout import CheckoutForm, DestinationForm, shipping_choices, token_key
from taybac.web.views_vouchers_checkout import voucher_code, voucher_typed

MAX_PICKUPS = 60  # post offices listed for one province (a province has at most about a hundred communes)


@require_POST
def cart_set(request: HttpRequest) -> HttpResponse:
    """Add to cart (from the product page), change a quantity or remove a line (from the cart: quantity 0 or
    the line's "Xóa" button, `xoa=1`). Only a variant on sale can be added (a closed shop's, a withdrawn or
    sold-out one cannot)."""
    variant = small_int(request.POST.get("variant"))
    removing = request.POST.get("xoa") == "1"
    quantity = 0 if removing else small_int(request.POST.get("quantity", "1"), max_digits=3)
    adding = request.POST.get("add") == "1"
    if variant is None or quantity is None:
        messages.error(request, "Số lượng không hợp lệ.")
    elif quantity > 0 and not cart.on_sale(variant):
        cart.set_quantity(request, variant, 0)
        messages.error(request, "Sản phẩm này hiện không còn bán.")
    elif quantity > 0 and variant not in (held := cart.read(request)) and len(held) >= MAX_LINES:
        messages.error(request, f"Giỏ hàng có tối đa {MAX_LINES} sản phẩm khác nhau mỗi đơn.")
    else:
        current = cart.read(request).get(variant, 0) if adding else 0
        cart.set_quantity(request, variant, current + quantity)
        if adding:
            messages.success(request, "Đã thêm vào giỏ hàng.")
        elif removing:
            messages.success(request, "Đã xóa sản phẩm khỏi giỏ hàng.")
    return redirect("order-cart")


def _quote(
    lines: list[cart.CartLine], destination: DestinationForm, choices: dict[int, str], voucher: dict | None = None
) -> tuple[CartQuote | None, str]:
    """The cart priced to where the buyer chose, with each shop's shipping options and the chosen one
    (orders.quote: what checkout charges), or an error to show; None without lines. `voucher` holds the code
    typed in "Mã giảm giá" with the buyer's phone and account (orders/vouchers.py: the discount shown)."""
    if not lines:
        return None, ""
    requested = [LineRequest(line.variant.pk, line.quantity) for line in lines]
    province, method = destination.province_code(), destination.payment_method()
    try:
        return quote_cart(
            lines=requested,
            province_code=province,
            commune_code=destination.commune_code(),
            pickup_point=destination.pickup_code(),
            payment_method=method,
            shipping_choices=choices,
            **(voucher or {}),
        ), ""
    except DomainError as error:  # a closed post office, a commune of another province, no carrier, too many lines
        shown = "" if error.field == "commune_code" else error.message  # the province changed: pick a commune again
        return quote_cart(
            lines=requested[:MAX_LINES], province_code=province if error.field != "province_code" else None
        ), shown


def _checkout_context(request: HttpRequest, lines: list[cart.CartLine]) -> dict:
    data = request.POST if request.method == "POST" else request.GET
    quote, error = _quote(lines, DestinationForm(data), shipping_choices(data), voucher_typed(request, data))
    province = quote.province if quote else None
    token = request.POST.get("token", "")
    pickups = (
        PickupPoint.objects.filter(is_active=True, address__province=province)
        .select_related("address__commune")
        .order_by("name")[:MAX_PICKUPS]
        if province
        else []
    )
    return {
        "quote": quote,
        "count": sum(line.quantity for line in lines),
        "province": province,
        "provinces": provinces_for_people(),
        "communes": communes_for_people(province.code) if province else [],
        "pickups": pickups,
        "token": token if token_key(token) else uuid.uuid4().hex,
        "form": data,
        "error": error if request.method == "POST" else "",
    }


def _to_order_page(order: Order) -> HttpResponse:
    return redirect(order_links.order_url(order.code))  # a signed link: the phone never goes in an address


def cart_page(request: HttpRequest) -> HttpResponse:
    """The cart (item count, a remove button per line) and, below it, the checkout form: province, then commune
    and street or a post office (with its address and opening hours), the shipping options per shop and the
    grand total before "Đặt hàng". "Tính phí" (or, with JavaScript, changing the province, commune, post
    office, payment or an option) only re-renders the quote; until the fees are known "Đặt hàng" does too."""
    lines, dropped = cart.lines(request)
    if dropped:
        messages.warning(request, "Có sản phẩm trong giỏ đã hết hàng hoặc ngừng bán nên đã được bỏ ra.")
    context = _checkout_context(request, lines)
    quote = context["quote"]
    priced = quote is not None and quote.total is not None
    if request.method == "POST" and request.POST.get("tinh_phi") != "1" and not context["error"]:
        form = CheckoutForm(request.POST)
        key = token_key(request.POST.get("token"))
        if not lines and key:  # the second tap of a double tap: the first placed the order and emptied the cart
            placed = idempotency.recorded(
                key=key, scope=idempotency.scope_for(user=request.user, session_key=request.session.session_key)
            )
            if placed:
                return _to_order_page(placed)
        elif lines and not priced:  # the buyer has not seen the delivery fees yet: show them, place nothing
            context["error"] = form.first_error() if not form.is_valid() else "Vui lòng xem phí giao rồi bấm Đặt hàng."
        elif lines:
            try:
                order = _place(request, form, lines, context["province"])
            except DomainError as error:
                context["error"] = error.message
            else:
                cart.clear(request)
                views_share_visits.attribute(request, order)
                return search_visits.order_placed(request, _to_order_page(order), context["province"])
    return render(request, "web/orders/cart.html", context, status=400 if context.get("error") else 200)


def _place(request: HttpRequest, form: CheckoutForm, lines: list[cart.CartLine], province: Province | None) -> Order:
    """Place the cart's order from a valid form; a form error is raised as the domain's errors are. The total
    the page showed must be the one charged (orders.checkout.TotalChanged otherwise)."""
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
        shipping_choices=shipping_choices(request.POST),
        expected_total=form.shown_total,
        voucher=voucher_code(request.POST),
    )


def _order_due(request: HttpRequest, code: str) -> OrderDue:
    """The order for its signed-in buyer or a fresh signed link (web/order_links.py); anyone else a 404."""
    return order_links.order_due_for(request, code)


def _access(request: HttpRequest) -> str:
    """The query that opened this page, carried to its receipt and QR links (whatever proves access)."""
    return request.GET.urlencode()


def order_page(request: HttpRequest, code: str) -> HttpResponse:
    """An order's shop orders with each one's status, what was paid and what remains, and one VietQR for what
    the whole checkout still owes (the hub collects as the marketplace's agent and splits it)."""
    due = _order_due(request, code)
    transfer = due.transfer
    parts = [
        {"so": p.shop_order, "paid": p.paid, "due": p.due, "awaiting": p.awaiting, "partly": p.partly_paid}
        for p in due.parts
    ]
    holds = [p.shop_order.reserved_until for p in due.parts if p.awaiting and p.shop_order.reserved_until]
    return render(
        request,
        "web/orders/order.html",
        {
            "due": due,
            "order": due.order,
            "parts": parts,
            "total": due.total,
            "transfer": transfer,
            "qr": qr_svg(transfer.vietqr) if transfer else "",
            "held_until": min(holds) if holds else None,
            "access": _access(request),
        },
    )


@require_safe
def order_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    """The checkout's VietQR as a PNG download (a phone saves it to the gallery; banking apps scan images)."""
    due = _order_due(request, code)
    if due.transfer is None:
        raise Http404("Đơn này không còn khoản nào cần chuyển khoản.")
    response = HttpResponse(qr_png(due.transfer.vietqr), content_type="image/png")
    name = f"vietqr-{display(due.order.code)}-{due.transfer.amount}d.png"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"  # the amount changes as transfers arrive
    return response


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
