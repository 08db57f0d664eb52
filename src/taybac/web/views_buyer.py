"""The buyer's pages: look-up by code and phone (POST, landing on a signed link), their orders, cancelling a shop
order before it is packed, asking to return a delivered one, and their saved addresses.

Order pages are opened by the signed-in buyer whose order it is or through a signed link (web/order_links.py);
anyone else gets a 404. Every write goes through one service that checks the same again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from taybac.accounts import addresses
from taybac.accounts.http import AuthenticatedHttpRequest, signed_in_user
from taybac.accounts.models import SavedAddress
from taybac.accounts.selectors import saved_addresses_of
from taybac.core.client_address import client_network
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.fulfilment.buyer import BUYER_CANCELLABLE, cancel_by_buyer
from taybac.orders.lookup import LookupLimited, find_order_code
from taybac.orders.models import ShopOrder
from taybac.orders.returns import request_return, return_deadline
from taybac.orders.selectors import orders_of_buyer
from taybac.payments.payouts import refundable
from taybac.regions.models import Province
from taybac.regions.selectors import communes_for_people, provinces_for_people
from taybac.web import order_links
from taybac.web.forms_buyer import AddressForm, ReasonForm, TrackForm
from taybac.web.forms_seller import attach


def track(request: HttpRequest) -> HttpResponse:
    """Find an order by its code and the phone it was placed with (POST), then go to a signed link to it: the
    phone never appears in an address. A GET may carry `?ma=` (the SMS link) to fill in the code."""
    form = TrackForm(request.POST or None, initial={"ma": request.GET.get("ma", "")[:20]})
    status, retry_after = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                code = find_order_code(
                    code=form.cleaned_data["ma"], phone=form.cleaned_data["sdt"], network=client_network(request)
                )
            except LookupLimited as error:
                form.add_error(None, error.message)
                status, retry_after = 429, error.retry_after
            else:
                if code is not None:
                    return redirect(order_links.order_url(code))
                form.add_error(None, "Không tìm thấy đơn hàng với mã và số điện thoại này.")
                status = 404
        else:
            status = 400
    response = render(request, "web/orders/track.html", {"form": form}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def my_orders(request: HttpRequest) -> HttpResponse:
    """A signed-in buyer's orders, including those placed as a guest with the same (proven) phone."""
    if not request.user.is_authenticated:
        return redirect(f"/dang-nhap/?{urlencode({'next': '/don-mua/'})}")
    return render(request, "web/orders/mine.html", {"orders": orders_of_buyer(request.user)})


def _shop_order(request: HttpRequest, code: str, shop_code: str) -> tuple[ShopOrder, bool]:
    """The shop order of an order the visitor may open, and whether they came with a signed link."""
    shop_order = (
        ShopOrder.objects.select_related("order", "shop")
        .filter(order__code=code.upper(), code=shop_code.upper())
        .first()
    )
    if shop_order is None or not order_links.may_open(request, shop_order.order):
        raise Http404("Không tìm thấy đơn hàng, hoặc liên kết đã hết hạn.")
    return shop_order, order_links.key_opens(request.GET.get(order_links.PARAM, ""), shop_order.order.code)


def _back_to_order(code: str, holds_link: bool) -> HttpResponse:
    return redirect(order_links.order_url(code) if holds_link else f"/don-hang/{code}/")


def cancel(request: HttpRequest, code: str, shop_code: str) -> HttpResponse:
    """GET: what cancelling does (stock released, a refund of what was paid); POST: cancel."""
    shop_order, holds_link = _shop_order(request, code, shop_code)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_by_buyer(
                shop_order=shop_order,
                actor=signed_in_user(request),
                holds_link=holds_link,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Đã hủy đơn của {shop_order.shop.name}.")
        return _back_to_order(shop_order.order.code, holds_link)
    context = {
        "so": shop_order,
        "form": form,
        "paid": refundable(shop_order=shop_order) if shop_order.status in BUYER_CANCELLABLE else 0,
        "allowed": shop_order.status in BUYER_CANCELLABLE,
        "key": request.GET.get(order_links.PARAM, "") if holds_link else "",
    }
    return render(request, "web/buyer/cancel.html", context, status=400 if form.errors else 200)


def return_request(request: HttpRequest, code: str, shop_code: str) -> HttpResponse:
    """GET: the return form (reason) and the rule (within days of delivery); POST: send it to the shop."""
    shop_order, holds_link = _shop_order(request, code, shop_code)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_return(
                shop_order=shop_order,
                actor=signed_in_user(request),
                holds_link=holds_link,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            attach(form, error)
        else:
            messages.success(request, "Đã gửi yêu cầu trả hàng. Gian hàng sẽ trả lời, bạn sẽ nhận tin nhắn SMS.")
            return _back_to_order(shop_order.order.code, holds_link)
    context = {
        "so": shop_order,
        "form": form,
        "deadline": return_deadline(shop_order=shop_order),
        "key": request.GET.get(order_links.PARAM, "") if holds_link else "",
    }
    return render(request, "web/buyer/return.html", context, status=400 if form.errors else 200)


def _address_page(request: AuthenticatedHttpRequest, form: AddressForm, editing: SavedAddress | None) -> HttpResponse:
    province_code = small_int(request.POST.get("tinh") or request.GET.get("tinh")) or (
        editing.commune.province_id if editing else None
    )
    province = Province.objects.filter(code=province_code).first() if province_code else None
    context = {
        "form": form,
        "editing": editing,
        "addresses": saved_addresses_of(request.user),
        "limit": addresses.MAX_ADDRESSES,
        "province": province,
        "provinces": provinces_for_people(),
        "communes": communes_for_people(province.code) if province else [],
    }
    return render(request, "web/buyer/addresses.html", context, status=400 if form.errors else 200)


@login_required
def address_book(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The saved addresses and the form to add one (province first: choosing it reloads with its communes)."""
    form = AddressForm(request.POST if request.POST.get("luu") else None)
    if form.is_bound and form.is_valid():
        try:
            addresses.add_address(actor=request.user, data=form.to_input())
        except DomainError as error:
            attach(form, error)
        else:
            messages.success(request, "Đã lưu địa chỉ.")
            return redirect("buyer-addresses")
    elif request.method == "POST" and not form.is_bound:
        form = AddressForm(initial=request.POST.dict())
    return _address_page(request, form, None)


def _own_address(request: AuthenticatedHttpRequest, pk: int) -> SavedAddress:
    found = SavedAddress.objects.select_related("commune").filter(pk=pk, user=request.user).first()
    if found is None:
        raise Http404("Không tìm thấy địa chỉ.")
    return found


@login_required
def address_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    address = _own_address(request, pk)
    if request.POST.get("luu"):
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                addresses.edit_address(actor=request.user, address=address, data=form.to_input())
            except DomainError as error:
                attach(form, error)
            else:
                messages.success(request, "Đã sửa địa chỉ.")
                return redirect("buyer-addresses")
    else:
        form = AddressForm(initial=request.POST.dict() if request.method == "POST" else AddressForm.initial_of(address))
    return _address_page(request, form, address)


@login_required
@require_POST
def address_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    addresses.delete_address(actor=request.user, address=_own_address(request, pk))
    messages.success(request, "Đã xóa địa chỉ.")
    return redirect("buyer-addresses")


@login_required
@require_POST
def address_default(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    addresses.set_default_address(actor=request.user, address=_own_address(request, pk))
    messages.success(request, "Đã đặt làm địa chỉ mặc định.")
    return redirect("buyer-addresses")
