"""Seller centre: "Cảnh báo mùa vụ", the shop's glut and shortage warnings with their suggestions, and for every
other category it grows, why there is no warning (docs/insights.md, "Production advice").

Read only: the warnings are written by the weekly job (insights/advice.py). A helper acting for a producer sees
that producer's shop, chosen as on every seller-centre page (`views_seller._acting`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.insights.advice_rules import assess_shop
from taybac.insights.advice_selectors import warnings_for_shop
from taybac.web.views_seller import _acting


@login_required
@require_safe
def warnings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    shop = getattr(producer, "shop", None)
    warnings = warnings_for_shop(shop=shop) if shop is not None else []
    warned = {w.warning.category_id for w in warnings}
    others = (
        [a for a in assess_shop(shop=shop, today=timezone.localdate()) if a.category.pk not in warned]
        if shop is not None
        else []
    )
    return render(
        request,
        "web/centre/advice.html",
        {
            "producer": producer,
            "shop": shop,
            "warnings": warnings,
            "others": others,
            "on_behalf": producer.owner_id != request.user.pk,
        },
    )
