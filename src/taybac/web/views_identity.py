"""Seller identity pages (docs/compliance.md, "Seller identity").

/ban-hang/danh-tinh/: the seller, or a helper acting for them with a live delegation, records legal name, identity
number and address; the number is shown masked and typed again in full to change anything. Two steps without
JavaScript, as at sign-up: pick the province (GET ?tinh=), then the rest (POST).
/van-hanh/danh-tinh-nguoi-ban/: operators see the shops whose payouts wait for an identity and download the
quarterly seller-information report (the only page where clear numbers leave the hub, audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.identity import identity_view, missing_for_payout
from taybac.accounts.identity_services import record_identity
from taybac.accounts.models import Role, SellerIdentity
from taybac.accounts.selectors import NotAllowed
from taybac.compliance import seller_report
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.regions.models import Province
from taybac.regions.selectors import communes_for_people, provinces_for_people
from taybac.web import forms_seller
from taybac.web.views_identity_forms import IdentityForm, initial_for, province_of
from taybac.web.views_seller import acting_shop


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def seller_identity(request: AuthenticatedHttpRequest) -> HttpResponse:
    acting = acting_shop(request)
    if isinstance(acting, HttpResponse):
        return acting
    producer, shop = acting
    current = SellerIdentity.objects.filter(producer=producer).select_related("commune").first()
    province_code = province_of(current, producer, small_int(request.POST.get("tinh") or request.GET.get("tinh")))
    communes = communes_for_people(province_code)
    data = request.POST.copy() if request.method == "POST" else None
    form = IdentityForm(
        data,
        producer=producer,
        communes=communes,
        initial=initial_for(current, producer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_identity(
                producer=producer,
                actor=request.user,
                legal_name=form.cleaned_data["legal_name"],
                id_kind=form.cleaned_data["id_kind"],
                number=form.cleaned_data["number"],
                street=form.cleaned_data["street"],
                commune_code=form.cleaned_data["commune"],
            )
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            forms_seller.attach(form, error)
        else:
            messages.success(request, "Đã lưu danh tính người bán. Gian hàng đủ điều kiện nhận tiền bán hàng.")
            return redirect("seller-identity")
    if data is not None:
        data["number"] = ""  # a refused form is shown again without the number typed (form.data is `data`)
    return render(
        request,
        "web/identity/seller.html",
        {
            "producer": producer,
            "shop": shop,
            "identity": identity_view(producer),
            "missing": missing_for_payout(producer_id=producer.pk),
            "on_behalf": producer.owner_id != request.user.pk,
            "form": form,
            "province": Province.objects.get(code=province_code),
            "provinces": provinces_for_people(),
        },
        status=400 if form.errors else 200,
    )


def _require_operator(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_authenticated and (user.is_superuser or getattr(user, "role", "") == Role.OPERATOR)):
        raise PermissionDenied("Chỉ vận hành sàn xem được danh tính người bán.")


@login_required
@require_safe
def operator_identities(request: HttpRequest) -> HttpResponse:
    """Shops whose payouts are blocked for want of an identity, and the quarterly report's download form."""
    _require_operator(request)
    return render(
        request,
        "web/identity/operator.html",
        {
            "blocked": seller_report.blocked_shops(),
            "quarter": seller_report.previous_quarter(timezone.localdate()).label,
        },
    )


@login_required
@require_safe
def operator_seller_report(request: HttpRequest) -> HttpResponse:
    """The quarter's seller-information report as a CSV download (clear numbers: audited, never cached)."""
    _require_operator(request)
    try:
        quarter = seller_report.parse_quarter(request.GET.get("quy", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("operator-identities")
    text = seller_report.report_csv(quarter=quarter, actor=request.user)
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")  # BOM: Excel reads UTF-8
    response["Content-Disposition"] = f'attachment; filename="bao-cao-nguoi-ban-{quarter.label}.csv"'
    response["Cache-Control"] = "no-store"
    return response
