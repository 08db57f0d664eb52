"""Reads of the stored consolidation runs: the operator/officer report by origin province and month, a day's
consignments, and what a post office hands to the line-haul carrier today.

Who sees what is decided here, so the page, the CSV and any future API agree: operators (and staff) see every
province, an officer of the provincial Department of Industry and Trade only their own (`officer_province`),
post office staff only their own post offices' consignments; everyone else is refused with `NotAllowed`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed
from taybac.core.errors import DomainError
from taybac.logistics.consolidation import ReportRow, Totals
from taybac.logistics.models import Consignment, ConsolidationRun, PlannedParcel
from taybac.regions.models import PickupPoint, Province
from taybac.regions.selectors import provinces_for_people

MAX_DAY_ROWS = 300  # consignments listed for one day on a page; the CSV has the totals of all of them
MAX_OFFICE_PARCELS = 5_000  # a commune post office's day, with a wide margin
MAX_MONTHS = 120  # ten years of months in one report


@dataclass(frozen=True)
class Scope:
    """What the viewer may read: every province (`province` None) or one."""

    province: Province | None


def report_scope(user: User) -> Scope:
    """Operators and staff: all provinces; an officer: their province; anyone else: `NotAllowed`."""
    if user.is_authenticated and (user.is_staff or user.role == Role.OPERATOR):
        return Scope(province=None)
    if user.is_authenticated and user.role == Role.OFFICER and user.officer_province_id is not None:
        return Scope(province=Province.objects.get(pk=user.officer_province_id))
    raise NotAllowed("Báo cáo gom hàng chỉ dành cho bộ phận vận hành và cán bộ Sở Công Thương.")


def parse_month(text: str) -> tuple[datetime.date, datetime.date] | None:
    """'2026-12' → [1 Dec 2026, 1 Jan 2027); '' → None (every month); anything else → DomainError."""
    if not text:
        return None
    try:
        first = datetime.datetime.strptime(text[:7], "%Y-%m").date() if len(text) == 7 else None
    except ValueError:
        first = None
    if first is None or first.year < 2000:
        raise DomainError("Tháng không hợp lệ: chọn theo dạng năm-tháng, ví dụ 2026-12.", field="thang")
    following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def _province_filter(scope: Scope, province: int | None) -> int | None:
    """The province to filter on: an officer's own whatever they ask, else the one asked for (or all)."""
    return scope.province.pk if scope.province is not None else province


def report_provinces(*, scope: Scope) -> list[Province]:
    """Provinces offered in the filter: the officer's own, or the region's (where the commune post offices are)."""
    if scope.province is not None:
        return [scope.province]
    return list(provinces_for_people(in_region=True))


def months() -> list[str]:
    """Months that have a stored run, newest first ('2026-12'), for the month filter."""
    return [f"{d:%Y-%m}" for d in ConsolidationRun.objects.dates("day", "month", order="DESC")[:MAX_MONTHS]]


def report_rows(*, scope: Scope, month: str = "", province: int | None = None) -> list[ReportRow]:
    """Totals by origin province and month from the stored runs (two grouped queries), month then province."""
    bounds = parse_month(month)
    wanted = _province_filter(scope, province)
    consignments = Consignment.objects.all()
    alone = PlannedParcel.objects.filter(consignment__isnull=True)
    if bounds:
        consignments = consignments.filter(run__day__gte=bounds[0], run__day__lt=bounds[1])
        alone = alone.filter(run__day__gte=bounds[0], run__day__lt=bounds[1])
    if wanted is not None:
        consignments = consignments.filter(origin_province_id=wanted)
        alone = alone.filter(origin_province_id=wanted)
    merged: dict[tuple[str, int], Totals] = defaultdict(Totals)
    for row in (
        consignments.annotate(month=TruncMonth("run__day"))
        .values("month", "origin_province")
        .annotate(
            n=Sum("parcels"), k=Count("id"), w=Sum("weight_g"), without=Sum("cost_without"), cost=Sum("cost_with")
        )
        .order_by()
    ):
        key = (f"{row['month']:%Y-%m}", row["origin_province"])
        merged[key] = merged[key] + Totals(row["n"], row["n"], row["k"], row["w"], row["without"], row["cost"])
    for row in (
        alone.annotate(month=TruncMonth("run__day"))
        .values("month", "origin_province")
        .annotate(n=Count("id"), w=Sum("weight_g"), price=Sum("own_price"))
        .order_by()
    ):
        key = (f"{row['month']:%Y-%m}", row["origin_province"])
        merged[key] = merged[key] + Totals(row["n"], 0, 0, row["w"], row["price"], row["price"])
    names = dict(Province.objects.filter(pk__in={p for _, p in merged}).values_list("pk", "name"))
    return [
        ReportRow(month=m, province=p, province_name=names.get(p, str(p)), totals=t)
        for (m, p), t in sorted(merged.items())
    ]


def grand_total(rows: list[ReportRow]) -> Totals:
    return sum((r.totals for r in rows), Totals())


def day_consignments(*, scope: Scope, day: datetime.date, province: int | None = None) -> list[Consignment]:
    """One day's consignments (at most MAX_DAY_ROWS), biggest savings first, with their places loaded."""
    found = Consignment.objects.filter(run__day=day).select_related("post_office", "origin_province", "hub_province")
    wanted = _province_filter(scope, province)
    if wanted is not None:
        found = found.filter(origin_province_id=wanted)
    return list(found.order_by("-savings", "pk")[:MAX_DAY_ROWS])


def latest_day() -> datetime.date | None:
    """The most recent planned day (runs are per day for every province at once)."""
    run = ConsolidationRun.objects.order_by("-day").only("day").first()
    return run.day if run else None


@dataclass(frozen=True)
class OfficeConsignment:
    """A consignment as the post office counter needs it: where it goes and which parcels to put in it."""

    consignment: Consignment
    tracking_codes: list[str]


@dataclass(frozen=True)
class OfficeDay:
    point: PickupPoint
    consignments: list[OfficeConsignment]
    alone: int  # parcels planned to go on their own


def office_plan(*, user: User, day: datetime.date) -> list[OfficeDay]:
    """The day's consignments of each post office `user` works at (three queries); `NotAllowed` for non-staff."""
    points = list(PickupPoint.objects.filter(staff=user).order_by("name")) if user.is_authenticated else []
    if not points:
        raise NotAllowed("Tài khoản này chưa được giao làm việc tại bưu điện nào.")
    rows = list(
        Consignment.objects.filter(run__day=day, post_office__in=points)
        .select_related("hub_province")
        .order_by("hub_province__name", "pk")
    )
    codes: dict[int, list[str]] = defaultdict(list)
    alone: dict[int, int] = defaultdict(int)
    for consignment_id, point_id, code in (
        PlannedParcel.objects.filter(run__day=day, post_office__in=points)
        .order_by("shipment__tracking_code")
        .values_list("consignment_id", "post_office_id", "shipment__tracking_code")[:MAX_OFFICE_PARCELS]
    ):
        if consignment_id is None:
            alone[point_id] += 1
        else:
            codes[consignment_id].append(code)
    return [
        OfficeDay(
            point=point,
            consignments=[OfficeConsignment(c, codes[c.pk]) for c in rows if c.post_office_id == point.pk],
            alone=alone[point.pk],
        )
        for point in points
    ]
