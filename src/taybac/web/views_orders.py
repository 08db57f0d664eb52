"""Buyer pages for ordering: cart, checkout (delivery or commune post office, VietQR or cash), the order page
with one QR code per shop order, and tracking by code and phone — no account needed."""
from __future__ import annotations

import re
import uuid
from itertools import groupby

from django.contrib import messages
from django.db.models import Prefetch, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from taybac.accounts.phone import PhoneError, normalize_phone
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.orders import idempotency
from taybac.orders.checkout import AddressInput, Contact, LineRequest, place_order
from taybac.orders.models import Order, OrderLine, ShopOrder
from taybac.payments.requests import transfer_request
from taybac.payments.vietqr import qr_svg
from taybac.regions.models import PickupPoint, Province
from taybac.web import cart


@require_POST
def cart_set(request: HttpRequest) -> HttpResponse:
    """Add to cart (from the product page) or change a quantity (from the cart); 0 removes the line."""
    variant, quantity = small_int(request.POST.get("variant")), small_int(request.POST.get("quantity", "1"), max_digits=3)
    if variant is None or quantity is None:
        messages.error(request, "Số lượng không hợp lệ.")
    else:
        adding = request.POST.get("add") == "1"
        current = cart.read(request).get(variant, 0) if adding else 0
        cart.set_quantity(request, variant, current + quantity)
        if adding:
            messages.success(request, "Đã thêm vào giỏ hàng.")
    return redirect("order-cart")


def _checkout_context(request: HttpRequest, lines: list[cart.CartLine]) -> dict:
    code = small_int(request.POST.get("tinh") or request.GET.get("tinh"))
    province = Province.objects.filter(code=code).first() if code is not None else None
    shops = [(shop, list(group)) for shop, group in groupby(lines, key=lambda line: line.variant.shop)]
    return {"shops": shops, "items_total": sum(line.total for line in lines), "province": province,
            "provinces": Province.objects.order_by("-in_region", "name"),
            "communes": province.communes.order_by("name") if province else [],
            "pickups": PickupPoint.objects.filter(is_active=True, address__province=province)
                                          .select_related("address__commune") if province else [],
            "token": request.POST["token"] if _token_key(request) else uuid.uuid4().hex, "form": request.POST}


def cart_page(request: HttpRequest) -> HttpResponse:
    """The cart and, below it, the checkout form (province first, then commune or post office)."""
    if request.method == "POST" and _token_key(request):
        placed = idempotency.recorded(scope=idempotency.scope_for(user=request.user,
                                                                  session_key=request.session.session_key),
                                      key=_token_key(request))
        if placed:  # the second tap of a double tap: the first already placed the order and emptied the cart
            return redirect(f"/don-hang/{placed.code}/?{urlencode({'sdt': placed.contact_phone})}")
    lines = cart.lines(request)
    context = _checkout_context(request, lines)
    if request.method == "POST" and lines:
        try:
            order = _place(request, lines, context)
        except DomainError as error:
            context["error"] = error.message
        else:
            cart.clear(request)
            return redirect(f"/don-hang/{order.code}/?{urlencode({'sdt': order.contact_phone})}")
    return render(request, "web/orders/cart.html", context, status=400 if context.get("error") else 200)


def _place(request: HttpRequest, lines: list[cart.CartLine], context: dict) -> Order:
    post = request.POST
    if _token_key(request) is None:
        raise DomainError("Phiên đặt hàng không hợp lệ, vui lòng tải lại trang giỏ hàng.", field="token")
    province = context["province"]
    if province is None:
        raise DomainError("Vui lòng chọn tỉnh nhận hàng.", field="tinh")
    address = pickup = None
    if post.get("nhan") == "buu-dien":
        pickup = PickupPoint.objects.filter(code=post.get("diem", ""), is_active=True,
                                            address__province=province).first()
        if pickup is None:
            raise DomainError("Vui lòng chọn bưu điện nhận hàng.", field="diem")
    else:
        address = AddressInput(province_code=province.code, commune_code=small_int(post.get("xa")) or 0,
                                 street=post.get("dia_chi", ""))
    return place_order(buyer=request.user, lines=[LineRequest(line.variant.pk, line.quantity) for line in lines],
                       contact=Contact(post.get("ten", ""), post.get("sdt", ""), post.get("email", "")),
                       payment_method=post.get("thanh_toan", ""), delivery_address=address, pickup_point=pickup,
                       idempotency_key=_token_key(request), session_key=request.session.session_key)


def _token_key(request: HttpRequest) -> str | None:
    """The checkout form's one-time token (32 hex characters) as an idempotency key, scoped to this account or
    browser session like every checkout key (orders/idempotency.py); None if absent or malformed."""
    token = request.POST.get("token", "")
    return f"web-{token}" if re.fullmatch(r"[0-9a-f]{32}", token) else None


def _order_for(request: HttpRequest, code: str) -> Order:
    """The order with this code placed with the phone in `?sdt=`; a wrong pair is a 404, never a hint."""
    try:
        phone = normalize_phone(request.GET.get("sdt", ""))
    except PhoneError:
        phone = ""
    shop_orders = (ShopOrder.objects.select_related("shop__commune", "shop__province", "order")
                   .annotate(paid=Sum("payments__amount"))
                   .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id"))).order_by("id"))
    order = (Order.objects.select_related("delivery_address__commune", "delivery_address__province",
                                          "pickup_point__address__commune")
             .prefetch_related(Prefetch("shop_orders", queryset=shop_orders))
             .filter(code=code.upper(), contact_phone=phone).first()) if phone else None
    if order is None:
        raise Http404("Không tìm thấy đơn hàng với mã và số điện thoại này.")
    return order


def order_page(request: HttpRequest, code: str) -> HttpResponse:
    """An order's shop orders, what is due, and a VietQR code per shop order; needs the buyer's phone."""
    order = _order_for(request, code)
    parts = []
    for so in order.shop_orders.all():
        transfer = transfer_request(so, paid=so.paid or 0)
        parts.append({"so": so, "transfer": transfer, "qr": qr_svg(transfer.vietqr) if transfer else ""})
    return render(request, "web/orders/order.html",
                  {"order": order, "parts": parts, "total": sum(p["so"].total for p in parts)})


def receipt(request: HttpRequest, code: str, shop_code: str) -> HttpResponse:
    """A printable receipt of one shop order (print CSS, A5/A4 or a phone screen)."""
    order = _order_for(request, code)
    shop_order = next((so for so in order.shop_orders.all() if so.code == shop_code.upper()), None)
    if shop_order is None:
        raise Http404("Không tìm thấy đơn của gian hàng này.")
    return render(request, "web/orders/receipt.html", {"order": order, "so": shop_order,
                                                       "paid": shop_order.paid or 0})


def my_orders(request: HttpRequest) -> HttpResponse:
    """A signed-in buyer's orders: those placed while signed in and those placed as a guest with the same
    phone (the phone was proven by the sign-in code)."""
    if not request.user.is_authenticated:
        return redirect(f"/dang-nhap/?{urlencode({'next': '/don-mua/'})}")
    mine = Q(buyer=request.user) | Q(contact_phone=request.user.phone) if request.user.phone else Q(buyer=request.user)
    orders = (Order.objects.filter(mine).order_by("-created_at", "-id")
              .prefetch_related(Prefetch("shop_orders", queryset=ShopOrder.objects.select_related("shop")
                                         .order_by("id")))[:50])
    return render(request, "web/orders/mine.html", {"orders": orders})


def track(request: HttpRequest) -> HttpResponse:
    """Find an order by its code and the phone number it was placed with."""
    code = "".join(ch for ch in request.GET.get("ma", "").upper() if ch.isalnum())
    if code and request.GET.get("sdt"):
        return redirect(f"/don-hang/{code}/?{urlencode({'sdt': request.GET['sdt']})}")
    return render(request, "web/orders/track.html", {})
