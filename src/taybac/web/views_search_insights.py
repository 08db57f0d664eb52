"""What buyers search for (docs/insights.md, "What buyers search for"): the officers' and operators' page
(/so-lieu/tim-kiem/, each chart's table as CSV with `?csv=<chart>`) and the seller centre's "Người mua đang tìm…"
(/ban-hang/nguoi-mua-tim/).

Read-only pages (GET/HEAD only, so no write path). Who sees which province is insights.indicators.dashboard_scope,
as on the indicator dashboard: an officer sees searches by buyers of their own province whatever `tinh` says; an
operator chooses a province of the region or everyone. A seller sees terms for the shop they act for.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.insights.charts import csv_text
from taybac.insights.dashboard import Dashboard
from taybac.insights.search_insights import K_VISITS, demand_for_shop
from taybac.insights.search_insights_page import search_dashboard
from taybac.web.views_insights import province_choice
from taybac.web.views_seller import acting_shop

DEMAND_WEEKS = 8


def _csv(board: Dashboard, key: str, where: str) -> HttpResponse:
    """One chart's table as CSV, UTF-8 with a byte-order mark so Excel shows Vietnamese."""
    chart = board.chart(key[:40])
    if chart is None:
        return HttpResponse("Không có biểu đồ này.", status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse("\ufeff" + csv_text(chart.table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tim-kiem-{chart.key}-{where}.csv"'
    return response


@require_safe
@login_required
def searches(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Searches by buyers of the officer's province, or of the operator's choice (`tinh`; everyone by default)."""
    scope, provinces, chosen = province_choice(request)
    place = f"người mua ở {chosen.name}" if chosen is not None else "mọi người mua"
    board = search_dashboard(
        province=chosen.pk if chosen is not None else None, place=place, today=timezone.localdate()
    )
    if "csv" in request.GET:
        return _csv(board, request.GET["csv"], str(chosen.pk) if chosen is not None else "toan-san")
    return render(
        request,
        "web/insights/search.html",
        {
            "board": board,
            "scope": scope,
            "provinces": provinces,
            "chosen": chosen,
            "k": K_VISITS,
            "csv_prefix": f"tinh={chosen.pk}" if scope.may_choose and chosen is not None else "",
        },
    )


@require_safe
@login_required
def shop_demand(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Người mua đang tìm…": unmet and rising searches matching the shop's products, or its province's unmet ones."""
    acting = acting_shop(request)
    if isinstance(acting, HttpResponse):
        return acting
    _, shop = acting
    rows = demand_for_shop(shop=shop, today=timezone.localdate(), weeks=DEMAND_WEEKS)
    return render(
        request, "web/centre/search_demand.html", {"shop": shop, "rows": rows, "weeks": DEMAND_WEEKS, "k": K_VISITS}
    )
