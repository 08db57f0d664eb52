"""Storing a shipment's tracking events once each, and keeping `Shipment.status` moving forward only.

Carriers retry webhooks, polling sees the same history again, and a webhook may arrive after a later one, so:

* each event has a key (tracking code + our status + the carrier's status + the time, UTC); an event whose key
  the shipment already has is not stored again (the unique constraint backs this under concurrency);
* the shipment's status follows an event only when it does not go back: a later stage always moves it, an event
  of the same stage moves it only if it is not older than the current one (out for delivery ↔ failed attempts
  alternate), and delivered / returned / cancelled stick.

What a new event means for the order (shipped, delivered, returned, trace events) is decided one layer up, by
`taybac.fulfilment.tracking`, from what `record_events` returns.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from taybac.core.errors import DomainError
from taybac.logistics.carriers.base import TrackingEvent
from taybac.logistics.models_shipping import Shipment, ShipmentEvent, ShipmentStatus

MAX_EVENTS = 200  # per call: a carrier's whole history is a few dozen at most
S = ShipmentStatus
STAGE: dict[str, int] = {
    S.CREATED: 0,
    S.PICKED_UP: 1,
    S.IN_TRANSIT: 2,
    S.AT_POST_OFFICE: 3,
    S.OUT_FOR_DELIVERY: 4,
    S.FAILED: 4,
    S.DELIVERED: 9,
    S.RETURNED: 9,
    S.CANCELLED: 9,
}
TERMINAL = frozenset({S.DELIVERED, S.RETURNED, S.CANCELLED})


class TrackingError(DomainError):
    code = "tracking_refused"


@dataclass(frozen=True)
class TrackingUpdate:
    """What one call changed: the events stored now (oldest first) and the shipment's status before and after."""

    shipment: Shipment
    new: list[ShipmentEvent]
    status_before: str
    status_after: str

    @property
    def moved(self) -> bool:
        return self.status_before != self.status_after

    def reached(self, *statuses: str) -> bool:
        """True when this call stored an event of one of `statuses` (the first time it is seen)."""
        return any(event.status in statuses for event in self.new)


def event_key(*, event: TrackingEvent) -> str:
    """The same carrier event always gives the same key, whichever way (webhook or poll) it came."""
    at = event.at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%S")
    key = f"{event.tracking_code}|{event.status}|{event.carrier_status}|{at}"
    if len(key) <= 120:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _moves(current: str, current_at: datetime.datetime | None, event: ShipmentEvent) -> bool:
    if current in TERMINAL:
        return False
    if STAGE[event.status] != STAGE[current]:
        return STAGE[event.status] > STAGE[current]
    return current_at is None or event.at >= current_at


def _checked(shipment: Shipment, events: Sequence[TrackingEvent]) -> list[TrackingEvent]:
    if len(events) > MAX_EVENTS:
        raise TrackingError(f"Quá nhiều sự kiện trong một lần ({len(events)} > {MAX_EVENTS}).")
    for event in events:
        if event.tracking_code != shipment.tracking_code:
            raise TrackingError(f"Sự kiện của vận đơn {event.tracking_code[:40]} không thuộc vận đơn này.")
        if event.status not in STAGE:
            raise TrackingError(f"Trạng thái vận chuyển không rõ: {str(event.status)[:30]}.")
        if event.at.tzinfo is None:
            raise TrackingError("Thời điểm sự kiện thiếu múi giờ.")
    return sorted(events, key=lambda e: e.at)


def record_events(*, shipment: Shipment, events: Iterable[TrackingEvent], source: str) -> TrackingUpdate:
    """Store the events the shipment does not have yet and move its status forward; one transaction, the
    shipment's row locked so two deliveries of the same webhook cannot both count an event."""
    if source not in ShipmentEvent.Source.values:
        raise TrackingError(f"Nguồn sự kiện không hợp lệ: {source[:20]}.")
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
        ordered = _checked(locked, list(events))
        keyed = {event_key(event=event): event for event in ordered}
        known = set(locked.events.filter(key__in=list(keyed)).values_list("key", flat=True))
        before = locked.status
        current_at = locked.events.filter(status=before).aggregate(at=Max("at"))["at"]
        new: list[ShipmentEvent] = []
        for key, event in keyed.items():
            if key in known:
                continue
            row = ShipmentEvent.objects.create(
                shipment=locked,
                status=str(event.status),
                at=event.at,
                carrier_status=event.carrier_status[:60],
                description=event.description[:300],
                source=source,
                key=key,
            )
            new.append(row)
            if _moves(locked.status, current_at, row):
                locked.status, current_at = row.status, row.at
        if locked.status != before:
            locked.save(update_fields=["status", "updated_at"])
        elif new:
            locked.save(update_fields=["updated_at"])
    return TrackingUpdate(shipment=locked, new=new, status_before=before, status_after=locked.status)


def mark_polled(*, shipment: Shipment) -> None:
    """A poll that found nothing new still counts as looking: the shipment waits its turn again."""
    Shipment.objects.filter(pk=shipment.pk).update(updated_at=timezone.now())
