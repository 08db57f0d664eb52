"""The producer's campaign report (docs/selling-events.md, "Sharing and campaigns"): visits, attributed orders and
revenue per link and per campaign over a period, and the shop's own orders and revenue in that period against
the prior period of the same length (so a campaign's effect is read beside the shop's trend)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from taybac.campaigns.share_models import AttributedOrder, LinkVisit, ShareLink
from taybac.catalog.models import Shop
from taybac.orders.models import ShopOrder

MAX_DAYS = 366


def links_of(shop: Shop) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(shop=shop)


@dataclass(frozen=True)
class LinkRow:
    link: ShareLink
    visits: int
    orders: int
    revenue: int


@dataclass(frozen=True)
class CampaignRow:
    campaign: str
    links: list[LinkRow]
    visits: int
    orders: int
    revenue: int


@dataclass(frozen=True)
class Change:
    """The shop's orders and revenue in the period and the prior one; percentages are None without a base."""

    orders: int
    revenue: int
    prior_orders: int
    prior_revenue: int

    @staticmethod
    def _pct(now: int, before: int) -> int | None:
        return None if before == 0 else round((now - before) * 100 / before)

    @property
    def orders_pct(self) -> int | None:
        return self._pct(self.orders, self.prior_orders)

    @property
    def revenue_pct(self) -> int | None:
        return self._pct(self.revenue, self.prior_revenue)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return datetime.combine(start, time.min, zone), datetime.combine(end + timedelta(days=1), time.min, zone)


def shop_totals(shop: Shop, start: date, end: date) -> tuple[int, int]:
    """The shop's orders and goods revenue placed from `start` to `end` inclusive (cancelled left out)."""
    since, until = _bounds(start, end)
    row = (
        ShopOrder.objects.filter(shop=shop, created_at__gte=since, created_at__lt=until)
        .exclude(status="cancelled")
        .aggregate(n=Count("id"), revenue=Sum("items_total"))
    )
    return row["n"] or 0, row["revenue"] or 0


def change(shop: Shop, start: date, end: date) -> Change:
    days = (end - start).days + 1
    orders, revenue = shop_totals(shop, start, end)
    prior_orders, prior_revenue = shop_totals(shop, start - timedelta(days=days), start - timedelta(days=1))
    return Change(orders=orders, revenue=revenue, prior_orders=prior_orders, prior_revenue=prior_revenue)


def report(shop: Shop, start: date, end: date) -> list[CampaignRow]:
    """Campaigns with their links, most revenue first; links with nothing in the period still listed."""
    since, until = _bounds(start, end)
    links = list(links_of(shop).order_by("campaign", "id")[:500])
    ids = [link.pk for link in links]
    visits = dict(
        LinkVisit.objects.filter(link_id__in=ids, day__gte=start, day__lte=end)
        .values("link_id")
        .annotate(n=Sum("count"))
        .values_list("link_id", "n")
    )
    orders = {
        r["link_id"]: r
        for r in AttributedOrder.objects.filter(link_id__in=ids, created_at__gte=since, created_at__lt=until)
        .exclude(shop_order__status="cancelled")
        .values("link_id")
        .annotate(n=Count("id"), revenue=Sum("revenue"))
    }
    by_campaign: dict[str, list[LinkRow]] = {}
    for link in links:
        got = orders.get(link.pk, {})
        by_campaign.setdefault(link.campaign, []).append(
            LinkRow(link, visits.get(link.pk, 0), got.get("n", 0), got.get("revenue", 0) or 0)
        )
    rows = [
        CampaignRow(
            campaign=name,
            links=rows,
            visits=sum(r.visits for r in rows),
            orders=sum(r.orders for r in rows),
            revenue=sum(r.revenue for r in rows),
        )
        for name, rows in by_campaign.items()
    ]
    return sorted(rows, key=lambda r: (-r.revenue, -r.visits, r.campaign))


CSV_HEADER: list[str | int] = ["chien_dich", "kenh", "trang", "ma", "luot_xem", "don_hang", "doanh_thu_dong"]


def report_csv_rows(shop: Shop, start: date, end: date) -> list[list[str | int]]:
    """One row per link, then the shop's totals for the period and the prior one."""
    rows: list[list[str | int]] = [CSV_HEADER]
    for campaign in report(shop, start, end):
        for r in campaign.links:
            rows.append([campaign.campaign, r.link.channel, r.link.path, r.link.code, r.visits, r.orders, r.revenue])
    c = change(shop, start, end)
    rows.append(["(ca gian hang, ky nay)", "", "", "", "", c.orders, c.revenue])
    rows.append(["(ca gian hang, ky truoc)", "", "", "", "", c.prior_orders, c.prior_revenue])
    return rows
