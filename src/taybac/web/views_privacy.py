"""Personal data pages (docs/compliance.md, "Personal data"): the privacy notice for everyone, and for a signed-in
buyer or seller their data page: marketing consent (opt in with an unticked box, withdraw in one tap), a copy of
their data, and the deletion of their account confirmed by a code sent to their phone. Each write is one
service in taybac.compliance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.compliance import consent
from taybac.compliance.models import ConsentRecord
from taybac.compliance.privacy import PURPOSES
from taybac.compliance.retention import ACCOUNTING_YEARS
from taybac.compliance.selectors import data_requests_of
from taybac.compliance.services import (
    confirm_deletion,
    deletion_blockers,
    export_my_data,
    pending_deletion,
    request_deletion,
)
from taybac.core.client_address import client_network
from taybac.core.errors import DomainError

MARKETING = ConsentRecord.Purpose.MARKETING


@require_safe
def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice, rendered from the record of processing purposes (compliance/privacy.py)."""
    return render(request, "web/privacy/notice.html", {"purposes": PURPOSES, "years": ACCOUNTING_YEARS})


def _data_page(request: AuthenticatedHttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    version, text = consent.wording(purpose=MARKETING)
    context = {
        "marketing": consent.has_consent(user=user, purpose=MARKETING),
        "wording": text,
        "wording_version": version,
        "blockers": deletion_blockers(user=user),
        "pending": pending_deletion(user=user),
        "requests": data_requests_of(user),
        "years": ACCOUNTING_YEARS,
        "error": error,
    }
    return render(request, "web/privacy/data.html", context, status=status)


@login_required
@require_safe
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _data_page(request)


@login_required
@require_POST
def marketing_consent(request: AuthenticatedHttpRequest) -> HttpResponse:
    """`rut=1` withdraws (one tap); otherwise the box `dong_y` must be ticked by the person."""
    if request.POST.get("rut"):
        consent.set_consent(user=request.user, purpose=MARKETING, granted=False)
        messages.success(request, "Đã rút lại đồng ý: bạn sẽ không nhận tin khuyến mãi nữa.")
    elif request.POST.get("dong_y") == "on":
        consent.set_consent(user=request.user, purpose=MARKETING, granted=True)
        messages.success(request, "Đã ghi nhận đồng ý nhận tin. Bạn có thể rút lại bất cứ lúc nào.")
    else:
        return _data_page(request, error="Hãy đánh dấu ô đồng ý nếu bạn muốn nhận tin.", status=400)
    return redirect("privacy-data")


@login_required
@require_POST
def download(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        export = export_my_data(actor=request.user)
    except DomainError as error:
        return _data_page(request, error=error.message, status=429)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        request_deletion(actor=request.user, network=client_network(request))
    except DomainError as error:
        return _data_page(request, error=error.message, status=400)
    return redirect("privacy-delete-confirm")


@login_required
def delete_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the code form; POST: the code, then the account is de-identified and signed out."""
    if pending_deletion(user=request.user) is None:
        messages.info(request, "Chưa có yêu cầu xoá tài khoản nào đang chờ xác nhận.")
        return redirect("privacy-data")
    error, status = "", 200
    if request.method == "POST":
        try:
            confirm_deletion(actor=request.user, code=request.POST.get("ma", "")[:10], network=client_network(request))
        except DomainError as failure:
            error, status = failure.message, 400
        else:
            logout(request)
            messages.success(request, "Tài khoản của bạn đã được xoá. Cảm ơn bạn đã dùng Tây Bắc Hub.")
            return redirect("store-home")
    return render(
        request, "web/privacy/delete_confirm.html", {"error": error, "years": ACCOUNTING_YEARS}, status=status
    )
