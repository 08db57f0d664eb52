"""Seller centre: the shop's dispatch address, asked once and remembered — the street, the pre-2025 district
when the shop's commune spans several (carriers route by it) and an optional GPS pin (docs/logistics.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed
from taybac.core.errors import DomainError
from taybac.logistics.senders import district_choices, save_sender_address, sender_address_of
from taybac.web.forms_seller import attach
from taybac.web.forms_sender import SenderAddressForm
from taybac.web.views_seller import _acting, _shop_of


@login_required
@require_http_methods(["GET", "POST"])
def sender_address(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    shop = _shop_of(producer, request.user)
    current = sender_address_of(shop=shop)
    districts = district_choices(shop=shop)
    initial = (
        {
            "street": current.street,
            "legacy_district_code": current.legacy_district_code,
            "latitude": current.latitude,
            "longitude": current.longitude,
        }
        if current
        else {}
    )
    form = SenderAddressForm(request.POST or None, initial=initial, districts=districts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_sender_address(
                actor=request.user,
                shop=shop,
                street=data["street"],
                legacy_district_code=data.get("legacy_district_code", ""),
                latitude=data["latitude"],
                longitude=data["longitude"],
            )
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            attach(form, error)
        else:
            messages.success(request, "Đã lưu địa chỉ gửi hàng.")
            return redirect("seller-sender-address")
    return render(
        request,
        "web/centre/sender_address.html",
        {"form": form, "shop": shop, "producer": producer, "current": current, "districts": districts},
        status=400 if form.errors else 200,
    )
