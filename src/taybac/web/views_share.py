"""The producer's share links and campaign report (/ban-hang/chia-se/, docs/selling-events.md "Sharing and
campaigns"): make a link for a page, a campaign and a channel (Facebook's sharer, Zalo's share page or a copyable
address); see visits, orders and revenue per link and campaign beside the shop's change against the prior period."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.campaigns import share_selectors
from taybac.campaigns.fair_models import FairBooth
from taybac.campaigns.live_models import LiveSession
from taybac.campaigns.share_models import ShareLink
from taybac.campaigns.share_services import create_link, link_url
from taybac.campaigns.window_models import SalesWindow
from taybac.catalog.models import Product
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.web.views_brands import share_links
from taybac.web.views_seller import acting_shop

PERIODS = {"7": 7, "30": 30, "90": 90}


def _period(request: AuthenticatedHttpRequest) -> tuple[date, date, str]:
    key = request.GET.get("ky", "30")
    key = key if key in PERIODS else "30"
    end = timezone.localdate()
    return end - timedelta(days=PERIODS[key] - 1), end, key


@login_required
def links(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the links, the report for the chosen period (?ky=7|30|90, ?csv for the file); POST: a new link."""
    acting = acting_shop(request)
    if isinstance(acting, HttpResponse):
        return acting
    _, shop = acting
    if request.method == "POST":
        target, _, raw_id = request.POST.get("target", "")[:40].partition(":")
        target_id = small_int(raw_id)
        try:
            link = create_link(
                actor=request.user,
                shop=shop,
                target=target,
                target_id=target_id or 0,
                campaign=request.POST.get("campaign", "")[:100],
                channel=request.POST.get("channel", "")[:20],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Đã tạo liên kết {link_url(link=link)}")
        return redirect("seller-share")
    start, end, key = _period(request)
    if "csv" in request.GET:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(share_selectors.report_csv_rows(shop, start, end))
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="chien-dich-{shop.slug}-{start}-{end}.csv"'
        return response
    targets = [("shop:" + str(shop.pk), f"Gian hàng {shop.name}")]
    targets += [(f"product:{p.pk}", p.name) for p in Product.objects.filter(shop=shop, is_active=True)[:100]]
    targets += [
        (f"booth:{b.pk}", f"Gian hội chợ: {b.fair.title}")
        for b in FairBooth.objects.filter(shop=shop, status="approved").select_related("fair")[:20]
    ]
    targets += [(f"live:{s.pk}", f"Livestream: {s.title}") for s in LiveSession.objects.filter(shop=shop)[:20]]
    targets += [(f"window:{sw.pk}", f"Đợt bán: {sw}") for sw in SalesWindow.objects.filter(shop=shop)[:20]]
    recent = [
        (link, link_url(link=link), share_links(link_url(link=link)))
        for link in share_selectors.links_of(shop).order_by("-created_at")[:20]
    ]
    return render(
        request,
        "web/share/seller.html",
        {
            "shop": shop,
            "targets": targets,
            "channels": ShareLink.Channel.choices,
            "recent": recent,
            "report": share_selectors.report(shop, start, end),
            "change": share_selectors.change(shop, start, end),
            "start": start,
            "end": end,
            "period": key,
        },
    )
