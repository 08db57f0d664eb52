"""The platform's legal pages (Decree 52/2013/NĐ-CP as amended by Decree 85/2021/NĐ-CP): terms of use and the
dispute procedure for buyers and sellers. Static text with the operator's details (compliance/legal.py) and the
time limits the hub enforces (the return window, the payout rules)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from taybac.compliance.legal import operator_info
from taybac.orders.returns import RETURN_DAYS


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "web/legal/terms.html", {"operator": operator_info(), "return_days": RETURN_DAYS})


@require_safe
def disputes(request: HttpRequest) -> HttpResponse:
    return render(request, "web/legal/disputes.html", {"operator": operator_info(), "return_days": RETURN_DAYS})
