"""Consolidation pages (docs/logistics.md, "Consolidation"): the operator/officer report by origin province and
month with its CSV (/van-hanh/gom-hang/), and the post office's consignments of today (/buu-dien/gom-hang/).

Read-only pages (GET/HEAD only, so they are no write path): the plans are written by the 17:30 job
(logistics/tasks.py). Who sees which province is decided by logistics.consolidation_reports; a bad filter is
shown as a message, never a 500.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.logistics import consolidation_reports as reports
from taybac.logistics.consolidation import ReportRow, Totals, report_csv, savings_percent
from taybac.logistics.models import Consignment


@dataclass(frozen=True)
class Figures:
    """One line of the report table as the page shows it."""

    label: str
    totals: Totals
    percent: str
    weight_kg: str


def _vi_number(text: str) -> str:
    """'1,234.5' → '1.234,5': Vietnamese writes thousands with dots and decimals with a comma."""
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _kg(grams: int) -> str:
    return _vi_number(f"{grams / 1000:,.1f}")


def _figures(label: str, totals: Totals) -> Figures:
    return Figures(label, totals, _vi_number(savings_percent(totals=totals)), _kg(totals.weight_g))


@dataclass(frozen=True)
class DayRow:
    consignment: Consignment
    weight_kg: str


def _month_label(month: str) -> str:
    return f"{month[5:]}/{month[:4]}"


def _scope(request: AuthenticatedHttpRequest) -> reports.Scope:
    try:
        return reports.report_scope(request.user)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None


def _province(request: AuthenticatedHttpRequest) -> int | None:
    return small_int(request.GET.get("tinh", "").strip()[:12]) or None


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


@require_safe
@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = _scope(request)
    month = request.GET.get("thang", "").strip()[:7]
    province = None if scope.province is not None else _province(request)  # an officer's is fixed by the scope
    errors = []
    try:
        rows = reports.report_rows(scope=scope, month=month, province=province)
    except DomainError as error:
        errors.append(error.message)
        month = ""
        rows = reports.report_rows(scope=scope, province=province)
    asked_day = request.GET.get("ngay", "").strip()[:10]
    day = _day(asked_day)
    if asked_day and day is None:
        errors.append("Ngày không hợp lệ: chọn ngày trong lịch.")
    day = day or reports.latest_day()
    filters = {k: v for k, v in (("thang", month), ("tinh", str(province or ""))) if v}
    return render(
        request,
        "web/logistics/report.html",
        {
            "scope": scope,
            "rows": [_figures(f"{_month_label(r.month)} · {r.province_name}", r.totals) for r in rows],
            "total": _figures("Tổng cộng", reports.grand_total(rows)),
            "months": [(m, _month_label(m)) for m in reports.months()],
            "month": month,
            "provinces": reports.report_provinces(scope=scope),
            "province": province,
            "day": day,
            "consignments": [
                DayRow(c, _kg(c.weight_g))
                for c in (reports.day_consignments(scope=scope, day=day, province=province) if day else [])
            ],
            "max_day_rows": reports.MAX_DAY_ROWS,
            "csv_query": urlencode(filters),
            "errors": errors,
        },
    )


@require_safe
@login_required
def report_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The report's CSV (header in docs/logistics.md), UTF-8 with a byte-order mark so Excel shows Vietnamese."""
    scope = _scope(request)
    month = request.GET.get("thang", "").strip()[:7]
    try:
        rows: list[ReportRow] = reports.report_rows(scope=scope, month=month, province=_province(request))
    except DomainError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    where = scope.province.pk if scope.province is not None else (_province(request) or "tat-ca")
    name = f"gom-hang-{month or 'tat-ca-thang'}-{where}.csv"
    response = HttpResponse("\ufeff" + report_csv(rows=rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@login_required
def office(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Today's consignments at the staff member's post offices: which parcels go together to which hub."""
    day = timezone.localdate()
    try:
        offices = reports.office_plan(user=request.user, day=day)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    sections = [
        {"office": o, "items": [(item, _kg(item.consignment.weight_g)) for item in o.consignments]} for o in offices
    ]
    return render(request, "web/logistics/office.html", {"sections": sections, "day": day})
