"""The daily consolidation run: parcels waiting at commune post offices → the planner → stored consignments.

`run_consolidation(day=…)` is what the scheduled job (logistics/tasks.py) and `taybac logistics consolidate` call.
It replaces the day's previous run in the same transaction, so running it twice gives the same rows, and a run
that fails halfway leaves the previous one in place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from taybac.core.errors import DomainError
from taybac.logistics.consolidation import MAX_PARCEL_G, MAX_PARCELS, Parcel, plan_consolidation
from taybac.logistics.consolidation_rates import TableRates, active_rate_plan
from taybac.logistics.models import Consignment, ConsolidationRun, PlannedParcel, Shipment, ShipmentStatus

HUB_CARRIER = "hub"
# Waiting at the commune post office it was dropped at: taken in there ("picked_up": the post office's drop-off,
# fulfilment/shipments.py) or booked there and not yet recorded as taken in ("created"). Not "at_post_office":
# that is the parcel arriving at the buyer's post office, at the far end of the journey (fulfilment/tracking.py).
WAITING = (ShipmentStatus.CREATED, ShipmentStatus.PICKED_UP)
MAX_WAIT_DAYS = 14  # a hub parcel still "waiting" after two weeks is a record nobody closed, not a parcel to pool
BATCH = 2_000


@dataclass(frozen=True)
class _Waiting:
    """A shipment as the planner sees it, with the ids needed to store it."""

    parcel: Parcel
    shipment_id: int
    post_office_id: int


def _local_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start of the oldest day still planned, end of `day`) in the hub's time zone (Asia/Ho_Chi_Minh)."""
    tz = timezone.get_current_timezone()
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return end - datetime.timedelta(days=MAX_WAIT_DAYS + 1), end


def waiting_parcels(*, day: datetime.date) -> list[_Waiting]:
    """Hub-network shipments dropped at a post office by the end of `day` and still waiting there (one query).

    Weights outside what the planner accepts (1 g–100 kg) are left out: the carriers' `Parcel` already refuses
    them when a shipment is booked, so none is expected."""
    start, end = _local_bounds(day)
    rows = (
        Shipment.objects.filter(
            carrier=HUB_CARRIER,
            status__in=WAITING,
            origin_point__isnull=False,
            created_at__gte=start,
            created_at__lt=end,
            weight_g__gte=1,
            weight_g__lte=MAX_PARCEL_G,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "weight_g",
            "origin_point_id",
            "origin_point__code",
            "origin_point__address__province_id",
            "origin_point__address__commune_id",
            "shop_order__order__delivery_address__province_id",
            "shop_order__order__delivery_address__commune_id",
            "shop_order__order__pickup_point__address__province_id",
            "shop_order__order__pickup_point__address__commune_id",
        )[: MAX_PARCELS + 1]
    )
    out = []
    for pk, weight, point_id, code, province, commune, d_province, d_commune, p_province, p_commune in rows:
        dest_province, dest_commune = (d_province, d_commune) if d_province is not None else (p_province, p_commune)
        parcel = Parcel(str(pk), code, province, commune, dest_province, dest_commune, weight, day)
        out.append(_Waiting(parcel=parcel, shipment_id=pk, post_office_id=point_id))
    if len(out) > MAX_PARCELS:
        raise DomainError(f"Quá nhiều bưu kiện cho một lượt gom (tối đa {MAX_PARCELS:,}).", code="too_many")
    return out


def run_consolidation(*, day: datetime.date) -> ConsolidationRun:
    """Plan `day`'s waiting parcels with the active rate table and store the run, replacing the day's previous one.

    Refused with a `DomainError` (nothing changed): no active rate table or one missing a band, more than the
    planner's 200,000 parcels, or another run of the same day committing first."""
    waiting = waiting_parcels(day=day)
    table, rates = active_rate_plan()
    plan = plan_consolidation(parcels=[w.parcel for w in waiting], rates=rates)
    by_id = {w.parcel.parcel_id: w for w in waiting}
    totals = plan.totals()
    try:
        with transaction.atomic():
            ConsolidationRun.objects.filter(day=day).delete()
            run = ConsolidationRun.objects.create(
                day=day,
                rate_table=table,
                parcels=totals.parcels,
                pooled_parcels=totals.pooled_parcels,
                consignments=totals.consignments,
                weight_g=totals.weight_g,
                cost_without=totals.cost_without,
                cost_with=totals.cost_with,
                savings=totals.savings,
            )
            rows = Consignment.objects.bulk_create(
                [
                    Consignment(
                        run=run,
                        post_office_id=by_id[c.parcels[0].parcel_id].post_office_id,
                        origin_province_id=c.origin_province,
                        hub_province_id=c.hub_province,
                        parcels=len(c.parcels),
                        weight_g=c.weight_g,
                        line_haul=c.line_haul,
                        last_mile=c.last_mile,
                        cost_without=c.cost_without,
                        cost_with=c.cost_with,
                        savings=c.savings,
                    )
                    for c in plan.consignments
                ],
                batch_size=BATCH,
            )
            planned = [
                _planned(run, by_id[p.parcel_id], consignment=row, own_price=_alone(rates, p))
                for row, c in zip(rows, plan.consignments, strict=True)
                for p in c.parcels
            ]
            planned += [
                _planned(run, by_id[u.parcel.parcel_id], consignment=None, own_price=u.cost) for u in plan.unpooled
            ]
            PlannedParcel.objects.bulk_create(planned, batch_size=BATCH)
    except IntegrityError as exc:  # two runs of the same day at once: the first to commit wins
        raise DomainError("Một lượt gom khác cho ngày này vừa chạy xong; hãy chạy lại.", code="conflict") from exc
    return run


def _alone(rates: TableRates, p: Parcel) -> int:
    """A pooled parcel's own price, as the planner computed it (the consignment's cost without is their sum)."""
    return rates.price(
        origin_province=p.origin_province,
        dest_province=p.dest_province,
        dest_commune=p.dest_commune,
        weight_g=p.weight_g,
    )


def _planned(
    run: ConsolidationRun, waiting: _Waiting, *, consignment: Consignment | None, own_price: int
) -> PlannedParcel:
    p = waiting.parcel
    return PlannedParcel(
        run=run,
        shipment_id=waiting.shipment_id,
        consignment=consignment,
        post_office_id=waiting.post_office_id,
        origin_province_id=p.origin_province,
        dest_province_id=p.dest_province,
        weight_g=p.weight_g,
        own_price=own_price,
    )
