"""Indicator pages (docs/insights.md, "Indicator dashboard"): the public summary (/so-lieu/) and the province
dashboard for officers and operators (/so-lieu/tinh/), each chart's table as CSV with `?csv=<chart>`.

Read-only pages (GET/HEAD only, so no write path). Who sees which province is decided by
insights.indicators.dashboard_scope: an officer always gets their own province whatever `tinh` says; an operator
chooses one of the region's provinces or the whole hub. A chart that does not exist is a 404, never a 500.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed
from taybac.core.ids import small_int
from taybac.insights import dashboard as pages
from taybac.insights.charts import csv_text
from taybac.insights.forecast_pages import ForecastSection, forecast_section
from taybac.insights.indicators import Scope, dashboard_scope
from taybac.regions.models import Province
from taybac.regions.selectors import provinces_for_people


def _csv(board: pages.Dashboard | ForecastSection, key: str, where: str) -> HttpResponse:
    """One chart's table as CSV, UTF-8 with a byte-order mark so Excel shows Vietnamese."""
    chart = board.chart(key[:40])
    if chart is None:
        return HttpResponse("Không có biểu đồ này.", status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse("\ufeff" + csv_text(chart.table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="so-lieu-{chart.key}-{where}.csv"'
    return response


@require_safe
def summary(request: HttpRequest) -> HttpResponse:
    """The public summary: the region's figures, aggregates only."""
    board = pages.public_summary(today=timezone.localdate())
    if "csv" in request.GET:
        return _csv(board, request.GET["csv"], "ca-vung")
    return render(request, "web/insights/summary.html", {"board": board})


def province_choice(request: AuthenticatedHttpRequest) -> tuple[Scope, list[Province], Province | None]:
    """Who may see which province (insights.indicators.dashboard_scope), the provinces an operator may choose from,
    and the one shown: an officer's own whatever `tinh` says; an operator's `tinh`, or None for the whole hub."""
    try:
        scope = dashboard_scope(user=request.user)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    provinces = list(provinces_for_people(in_region=True)) if scope.may_choose else []
    if not scope.may_choose:
        return scope, provinces, scope.province
    asked = small_int(request.GET.get("tinh", "")[:12])
    return scope, provinces, next((p for p in provinces if p.pk == asked), None)


@require_safe
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The province dashboard: an officer's own province; an operator's choice (`tinh`), the whole hub by default."""
    scope, provinces, chosen = province_choice(request)
    place = chosen.name if chosen is not None else "Toàn sàn"
    board = pages.cached_province_dashboard(
        province=chosen.pk if chosen is not None else None, place=place, today=timezone.localdate()
    )
    if "csv" in request.GET:
        key = request.GET["csv"]
        if chosen is not None and key.startswith("du-bao-"):  # a forecast chart (insights.forecast_pages)
            return _csv(forecast_section(province_id=chosen.pk), key, str(chosen.pk))
        return _csv(board, key, str(chosen.pk) if chosen is not None else "toan-san")
    return render(
        request,
        "web/insights/dashboard.html",
        {
            "board": board,
            "scope": scope,
            "provinces": provinces,
            "chosen": chosen,
            "forecasts": forecast_section(province_id=chosen.pk) if chosen is not None else None,
            "csv_prefix": f"tinh={chosen.pk}" if scope.may_choose and chosen is not None else "",
        },
    )
