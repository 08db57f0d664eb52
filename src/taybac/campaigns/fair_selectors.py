"""Reads for online fairs (docs/selling-events.md, "Online fairs"): what buyers see, what organisers manage, and
the visitor, order and revenue figures per booth and for the fair (the province's report and its CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.campaigns.fair_models import BoothProduct, Fair, FairBooth, FairLiveSession, FairOrder
from taybac.campaigns.fair_services import booth_price, is_open
from taybac.campaigns.share_models import PageVisit


def status(fair: Fair, *, now: datetime | None = None) -> str:
    """upcoming | open | ended (a draft reads "draft")."""
    now = now or timezone.now()
    if not fair.published:
        return "draft"
    if is_open(fair=fair, now=now):
        return "open"
    return "upcoming" if now < fair.starts_at else "ended"


STATUS_LABELS = {"draft": "Bản nháp", "upcoming": "Sắp diễn ra", "open": "Đang diễn ra", "ended": "Đã kết thúc"}


def public_fairs() -> QuerySet[Fair]:
    return Fair.objects.filter(published=True).prefetch_related("provinces")


def public_fairs_with_booths() -> QuerySet[Fair]:
    """Published fairs, each with `approved` (its approved booths) and each booth with `active_items` (its
    products still on sale): a page of fairs in a fixed number of queries, however many booths (the API)."""
    items = BoothProduct.objects.filter(variant__is_active=True).select_related("variant__product")
    booths = (
        FairBooth.objects.filter(status=FairBooth.Status.APPROVED)
        .select_related("shop", "shop__province")
        .prefetch_related(Prefetch("products", queryset=items, to_attr="active_items"))
    )
    return public_fairs().prefetch_related(Prefetch("booths", queryset=booths, to_attr="approved"))


def organised_by(user: User) -> QuerySet[Fair]:
    """Operators see every fair; an officer the fairs that include their province."""
    fairs = Fair.objects.prefetch_related("provinces")
    if user.is_staff or user.role == Role.OPERATOR:
        return fairs
    if user.role == Role.OFFICER and user.officer_province_id:
        return fairs.filter(provinces=user.officer_province_id).distinct()
    return fairs.none()


def open_for_shop(province_id: int) -> QuerySet[Fair]:
    """Published fairs of the shop's province that have not ended: where a producer may apply."""
    return public_fairs().filter(provinces=province_id, ends_at__gt=timezone.now()).distinct()


def approved_booths(fair: Fair) -> QuerySet[FairBooth]:
    return fair.booths.filter(status=FairBooth.Status.APPROVED).select_related("shop", "shop__province")


@dataclass(frozen=True)
class BoothLine:
    id: int
    variant_id: int
    product_name: str
    variant_name: str
    product_url: str
    price: int
    usual_price: int
    fair_price: int


def booth_lines(booth: FairBooth) -> list[BoothLine]:
    """The booth's products on sale with their prices now; prefetched by public_fairs_with_booths or read here."""
    items = getattr(booth, "active_items", None)
    if items is None:
        items = BoothProduct.objects.filter(booth=booth, variant__is_active=True).select_related(
            "variant__product", "booth__fair"
        )
    return [
        BoothLine(
            id=i.pk,
            variant_id=i.variant_id,
            product_name=i.variant.product.name,
            variant_name=i.variant.name,
            product_url=f"/san-pham/{i.variant.product_id}-{i.variant.product.slug}/",
            price=booth_price(item=i),
            usual_price=i.variant.price,
            fair_price=i.fair_price,
        )
        for i in items
    ]


def schedule(fair: Fair) -> QuerySet[FairLiveSession]:
    return fair.live_sessions.select_related("session", "booth__shop").filter(booth__status="approved")


@dataclass(frozen=True)
class BoothFigures:
    booth_id: int
    shop: str
    province: str
    status: str
    visits: int
    orders: int
    revenue: int


def figures(fair: Fair) -> tuple[list[BoothFigures], BoothFigures]:
    """Per booth and for the whole fair: page visits (the fair's page counts toward the fair only), orders
    placed from booths and their goods revenue (cancelled orders left out)."""
    booths = list(fair.booths.select_related("shop__province").order_by("shop__name"))
    ids = [b.pk for b in booths]
    visits = dict(
        PageVisit.objects.filter(target="booth", target_id__in=ids)
        .values_list("target_id")
        .annotate(n=Sum("count"))
        .values_list("target_id", "n")
    )
    orders = {
        row["booth_id"]: row
        for row in FairOrder.objects.filter(booth_id__in=ids)
        .exclude(shop_order__status="cancelled")
        .values("booth_id")
        .annotate(n=Count("id"), revenue=Sum("revenue"))
    }
    rows = [
        BoothFigures(
            booth_id=b.pk,
            shop=b.shop.name,
            province=b.shop.province.name,
            status=b.get_status_display(),
            visits=visits.get(b.pk, 0),
            orders=orders.get(b.pk, {}).get("n", 0),
            revenue=orders.get(b.pk, {}).get("revenue", 0) or 0,
        )
        for b in booths
    ]
    fair_visits = PageVisit.objects.filter(target="fair", target_id=fair.pk).aggregate(n=Sum("count"))["n"] or 0
    total = BoothFigures(
        booth_id=0,
        shop="Toàn hội chợ",
        province="",
        status="",
        visits=fair_visits + sum(r.visits for r in rows),
        orders=sum(r.orders for r in rows),
        revenue=sum(r.revenue for r in rows),
    )
    return rows, total


CSV_HEADER: list[str | int] = ["gian_hang", "tinh", "trang_thai", "luot_xem", "don_hang", "doanh_thu_dong"]


def report_rows(fair: Fair) -> list[list[str | int]]:
    """The province's report as CSV rows: one per booth and the fair's total last."""
    rows, total = figures(fair)
    body: list[list[str | int]] = [[r.shop, r.province, r.status, r.visits, r.orders, r.revenue] for r in rows]
    return [CSV_HEADER, *body, [total.shop, "", "", total.visits, total.orders, total.revenue]]
