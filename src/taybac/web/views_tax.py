"""Tax pages: the seller's withholding statements (/ban-hang/thue/) and the operators' monthly declaration
(/van-hanh/thue/) with its CSV and the record that it was filed (compliance/declaration.py, statements.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from taybac.compliance import declaration as decl
from taybac.compliance import statements
from taybac.core.errors import DomainError
from taybac.payments.models import TaxDeclarationFiling, TaxWithholding
from taybac.web.views_seller import acting_shop


def _require_operator(request: HttpRequest) -> None:
    if not decl.is_operator(user=request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Chỉ vận hành sàn xem được tờ khai thuế.")


@login_required
@require_safe
def seller_tax(request: HttpRequest) -> HttpResponse:
    """The months and years the seller can open a statement for."""
    acting = acting_shop(request)  # type: ignore[arg-type]
    if isinstance(acting, HttpResponse):
        return acting
    producer, shop = acting
    months = statements.periods(producer=producer)
    years = sorted({m[:4] for m in months}, reverse=True)
    return render(
        request, "web/tax/seller.html", {"producer": producer, "shop": shop, "months": months, "years": years}
    )


@login_required
@require_safe
def seller_statement(request: HttpRequest, period: str) -> HttpResponse:
    """A month's or a year's statement of the acting producer's own withholdings, printable (print CSS)."""
    acting = acting_shop(request)  # type: ignore[arg-type]
    if isinstance(acting, HttpResponse):
        return acting
    producer, shop = acting
    try:
        report = statements.statement(producer=producer, period=period)
    except DomainError:
        raise Http404("Kỳ không hợp lệ.") from None
    context = {"report": report, "shop": shop, "synthetic": settings.TAYBAC_DEMO}
    return render(request, "web/tax/statement.html", context)


@login_required
@require_safe
def operator_tax(request: HttpRequest) -> HttpResponse:
    """Every month with withholdings, newest first: totals and whether its declaration is filed."""
    _require_operator(request)
    months = (
        TaxWithholding.objects.values("period")
        .annotate(revenue=Sum("revenue"), vat=Sum("vat"), pit=Sum("pit"))
        .order_by("-period")[:36]
    )
    filed = dict(TaxDeclarationFiling.objects.values_list("period", "reference"))
    current = timezone.localdate().strftime("%Y-%m")
    rows = [{**m, "filed": filed.get(m["period"]), "due": decl.due_date(month=m["period"])} for m in months]
    context = {"rows": rows, "current": current, "synthetic": settings.TAYBAC_DEMO}
    return render(request, "web/tax/operator.html", context)


@login_required
@require_safe
def operator_declaration(request: HttpRequest, month: str) -> HttpResponse:
    _require_operator(request)
    report = _declaration(month)
    current = timezone.localdate().strftime("%Y-%m")
    context = {
        "report": report,
        "ledger": -decl.ledger_tax_total(month=month),
        "closed": month < current,
        "synthetic": settings.TAYBAC_DEMO,  # the demo's made-up sales, marked as such
    }
    return render(request, "web/tax/declaration.html", context)


@login_required
@require_safe
def operator_declaration_csv(request: HttpRequest, month: str) -> HttpResponse:
    """The file the accountant uploads or keeps: the same rows as the page."""
    _require_operator(request)
    response = HttpResponse(decl.to_csv(report=_declaration(month)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="to-khai-thue-khau-tru-{month}.csv"'
    response["Cache-Control"] = "no-store"  # sellers' identity numbers
    return response


@login_required
@require_POST
def operator_mark_filed(request: HttpRequest, month: str) -> HttpResponse:
    _require_operator(request)
    try:
        decl.mark_filed(actor=request.user, month=month, reference=request.POST.get("reference", ""))  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã ghi nhận tờ khai tháng {month} đã nộp.")
    return redirect("operator-tax-month", month=month)


def _declaration(month: str) -> decl.Declaration:
    try:
        return decl.declaration(month=month)
    except DomainError:
        raise Http404("Tháng không hợp lệ.") from None
