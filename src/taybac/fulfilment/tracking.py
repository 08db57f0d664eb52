"""A carrier's tracking events applied to the order: statuses, cash on delivery, trace events, messages.

`apply_shipment_events` is the one entry for the webhook view, the polling job and the post office's drop-off
(fulfilment/shipments.py). In one transaction it stores the new events (logistics.tracking: each event once,
the shipment's status never going back) and, only for what is new:

* picked up / in transit / at a post office / out for delivery while the order is still packed (or confirmed)
  → `shipped` through the state machine, with the lots' shipping event in the trace log (readPoint: the
  carrier; at the drop-off post office, its GLN as the place) — a seller who marked it shipped already logged it;
* the first time the parcel is near the buyer (at a post office, out for delivery) → an "arriving" trace event
  seen by the carrier (the hub network's own post office logs "receiving" itself, fulfilment/pickup.py);
* delivered → `delivered` as `fulfilment.services.deliver` does it: a cash-on-delivery order records the cash
  the carrier collected (`Shipment.cod_amount`) and credits the shop, and the delivery event is logged;
* returned to the sender → `returned` (stock is not changed by a return, as in the return flow; what the buyer
  paid becomes refundable, payments.payouts.refundable) with a "receiving / returned" trace event at the shop;
* a failed attempt → the order stays as it is, with an audit note and an SMS to the buyer and the seller;
* cancelled by the carrier → an audit note and an SMS to the seller, who may book again; a cancelled shipment's
  later events are stored for its timeline but move nothing (the order may have a new booking).

A repeated webhook stores nothing new, so it changes nothing and sends nothing. `poll_shipments` (every 30 min,
fulfilment/tasks.py) asks the carriers about shipments no webhook has updated for hours and applies the same way.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from taybac.core import audit, outbox
from taybac.core.errors import DomainError
from taybac.core.sms import money
from taybac.fulfilment.services import deliver
from taybac.logistics.carriers.base import Carrier, TrackingEvent, TrackingStatus
from taybac.logistics.models_shipping import Shipment, ShipmentEvent, ShipmentStatus
from taybac.logistics.tracking import TrackingUpdate, mark_polled, record_events
from taybac.logistics.tracking_selectors import stale_shipments
from taybac.orders.codes import display
from taybac.orders.lifecycle import advance
from taybac.orders.models import PaymentMethod, ShopOrder, Status
from taybac.payments.payouts import refundable
from taybac.regions.models import PickupPoint
from taybac.traceability.order_steps import record_order_step

logger = logging.getLogger("taybac.fulfilment.tracking")
S = ShipmentStatus
POLL_STALE = datetime.timedelta(hours=6)
POLL_BATCH = 100
POLL_BATCH_MAX = 500
LEFT_SHOP = (S.PICKED_UP, S.IN_TRANSIT, S.AT_POST_OFFICE, S.OUT_FOR_DELIVERY, S.DELIVERED, S.RETURNED)
NEAR_BUYER = (S.AT_POST_OFFICE, S.OUT_FOR_DELIVERY)


def carrier_urn(*, shipment: Shipment) -> str:
    """Who saw a carrier's event, as an EPCIS readPoint (an absolute URI; carriers have no GLN of ours)."""
    return f"urn:taybac:carrier:{shipment.carrier}"


def _sms(phone: str | None, text: str) -> list[outbox.Message]:
    return [outbox.sms(phone=phone, text=text[:300])] if phone else []


def _ship(shop_order: ShopOrder, shipment: Shipment) -> ShopOrder:
    """Packed (or still confirmed) → shipped, and the shipping event: the parcel left with the carrier."""
    if shop_order.status == Status.CONFIRMED:
        shop_order = advance(shop_order=shop_order, to=Status.PACKED, actor=None, note="carrier pick-up")
    shipped = advance(
        shop_order=shop_order, to=Status.SHIPPED, actor=None, note=f"{shipment.carrier} {shipment.tracking_code}"
    )
    point = shipment.origin_point
    record_order_step(
        shop_order=shipped,
        step="shipping",
        actor=None,
        pickup_point=point,
        read_point=None if point else carrier_urn(shipment=shipment),
    )
    return shipped


def _return(shop_order: ShopOrder, shipment: Shipment) -> ShopOrder:
    returned = advance(
        shop_order=shop_order, to=Status.RETURNED, actor=None, note=f"{shipment.carrier} {shipment.tracking_code}"
    )
    record_order_step(shop_order=returned, step="returned", actor=None, read_point=carrier_urn(shipment=shipment))
    owed = refundable(shop_order=returned)
    code = display(returned.code)
    back = f" Tien da tra {money(owed)} se duoc hoan lai." if owed else ""
    outbox.enqueue(
        _sms(returned.order.contact_phone, f"Tay Bac Hub: don {code} khong giao duoc va da hoan ve gian hang.{back}")
        + _sms(returned.shop.producer.owner.phone, f"Tay Bac Hub: don {code} da hoan ve. Kiem tra lai hang nhan ve.")
    )
    return returned


def _failed(shop_order: ShopOrder, shipment: Shipment, event: ShipmentEvent) -> None:
    code = display(shop_order.code)
    reason = event.description or event.carrier_status
    audit.record(
        actor=None,
        action="shop_order.delivery_failed" if shop_order.status == Status.SHIPPED else "shop_order.pickup_failed",
        target=shop_order,
        detail={"carrier": shipment.carrier, "tracking_code": shipment.tracking_code, "reason": reason[:200]},
    )
    owner_phone = shop_order.shop.producer.owner.phone
    if shop_order.status == Status.SHIPPED:
        messages = _sms(
            shop_order.order.contact_phone,
            f"Tay Bac Hub: giao don {code} chua thanh cong. {shipment.carrier.upper()} se lien he giao lai; "
            f"ma van don {shipment.tracking_code}.",
        ) + _sms(owner_phone, f"Tay Bac Hub: giao don {code} khong thanh cong ({reason[:60]}).")
    else:
        messages = _sms(
            owner_phone, f"Tay Bac Hub: {shipment.carrier.upper()} chua lay duoc don {code} ({reason[:60]})."
        )
    outbox.enqueue(messages)


def _cancelled(shop_order: ShopOrder, shipment: Shipment) -> None:
    audit.record(
        actor=None,
        action="shop_order.shipment_cancelled",
        target=shop_order,
        detail={"carrier": shipment.carrier, "tracking_code": shipment.tracking_code},
    )
    outbox.enqueue(
        _sms(
            shop_order.shop.producer.owner.phone,
            f"Tay Bac Hub: van don {shipment.tracking_code} cua don {display(shop_order.code)} da bi huy. "
            "Tao van don moi neu van gui hang.",
        )
    )


def _apply(shop_order: ShopOrder, shipment: Shipment, update: TrackingUpdate, source: str) -> ShopOrder:
    if update.status_after == S.CANCELLED:  # a cancelled booking (perhaps replaced by a new one) moves nothing
        if update.status_before != S.CANCELLED:
            _cancelled(shop_order, shipment)
        return shop_order
    if update.reached(*LEFT_SHOP) and shop_order.status in (Status.CONFIRMED, Status.PACKED):
        shop_order = _ship(shop_order, shipment)
    new_ids = [event.pk for event in update.new]
    if (
        source != ShipmentEvent.Source.POST_OFFICE
        and update.reached(*NEAR_BUYER)
        and shop_order.status == Status.SHIPPED
        and not shipment.events.filter(status__in=NEAR_BUYER).exclude(pk__in=new_ids).exists()
    ):
        record_order_step(shop_order=shop_order, step="arriving", actor=None, read_point=carrier_urn(shipment=shipment))
    after, before = update.status_after, update.status_before
    if after == before:
        return shop_order
    if after == S.DELIVERED and shop_order.status == Status.SHIPPED:
        cod = shop_order.order.payment_method == PaymentMethod.COD
        shop_order = deliver(
            actor=None,
            shop_order=shop_order,
            cash_collected=(shipment.cod_amount or shop_order.total) if cod else None,
            note=f"{shipment.carrier} {shipment.tracking_code}",
        )
    elif after == S.RETURNED and shop_order.status == Status.SHIPPED:
        shop_order = _return(shop_order, shipment)
    elif after == S.FAILED:
        last = max((e for e in update.new if e.status == S.FAILED), key=lambda e: e.at)
        _failed(shop_order, shipment, last)
    return shop_order


def apply_shipment_events(*, shipment: Shipment, events: Sequence[TrackingEvent], source: str) -> TrackingUpdate:
    """Store the carrier's events for `shipment` and move its order accordingly, all in one transaction (see the
    module's docstring). Returns what was new; nothing new means nothing was done."""
    with transaction.atomic():
        # The order first, then the shipment (record_events): the post office's steps lock in the same order.
        shop_order = (
            ShopOrder.objects.select_for_update(of=("self",))
            .select_related("order", "shop__producer__owner")
            .get(pk=shipment.shop_order_id)
        )
        update = record_events(shipment=shipment, events=events, source=source)
        if update.new:
            _apply(shop_order, update.shipment, update, source)
    return update


def live_shipment(*, shop_order: ShopOrder) -> Shipment | None:
    """The order's shipment that is not cancelled, if it has one."""
    return Shipment.objects.filter(shop_order=shop_order).exclude(status=S.CANCELLED).first()


def record_post_office_step(*, shop_order: ShopOrder, status: str, point: PickupPoint) -> TrackingUpdate | None:
    """The hub network's own tracking: a post office recorded the parcel's arrival or hand-over (fulfilment/pickup.py
    moves the order itself), so the shipment's timeline shows it. Nothing when the order has no shipment."""
    shipment = live_shipment(shop_order=shop_order)
    if shipment is None:
        return None
    words: dict[str, str] = {
        S.AT_POST_OFFICE: f"Đã đến {point.name}",
        S.DELIVERED: f"Người mua đã nhận tại {point.name}",
    }
    event = TrackingEvent(
        tracking_code=shipment.tracking_code,
        status=TrackingStatus(status),
        at=timezone.now(),
        carrier_status=f"post_office:{point.code}"[:60],
        description=words.get(status, point.name),
    )
    return record_events(shipment=shipment, events=[event], source=ShipmentEvent.Source.POST_OFFICE)


@dataclass(frozen=True)
class PollResult:
    asked: int
    new_events: int
    failed: int


def poll_shipments(
    *,
    carriers: Mapping[str, Carrier],
    now: datetime.datetime | None = None,
    stale_after: datetime.timedelta = POLL_STALE,
    batch: int = POLL_BATCH,
) -> PollResult:
    """Ask the carriers about live shipments nothing has updated for `stale_after` (a missed webhook, a carrier
    without webhooks), at most `batch` per run, least recently updated first; each answer is applied like a
    webhook. A carrier that is down or not configured any more is skipped until the next run."""
    now = now or timezone.now()
    due = stale_shipments(older_than=now - stale_after, limit=max(1, min(batch, POLL_BATCH_MAX)))
    asked = new = failed = 0
    for shipment in due:
        carrier = carriers.get(shipment.carrier)
        if carrier is None:
            continue
        asked += 1
        try:
            events = carrier.track(tracking_code=shipment.tracking_code)
            update = apply_shipment_events(shipment=shipment, events=events, source=ShipmentEvent.Source.POLL)
        except DomainError as error:  # CarrierError included: down, refused, nonsense
            logger.warning("tracking %s:%s failed: %s", shipment.carrier, shipment.tracking_code, error.message)
            failed += 1
            mark_polled(shipment=shipment)
            continue
        new += len(update.new)
        if not update.new:
            mark_polled(shipment=shipment)
    return PollResult(asked=asked, new_events=new, failed=failed)
