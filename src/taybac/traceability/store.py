"""Storing EPCIS events as log leaves: the one path by which any event, ours or captured, enters the hub.

Canonicalisation is RFC 8785 (JSON Canonicalization Scheme): the leaf is the JCS bytes of the whole event as
stored, recordTime and eventID included, so every byte a buyer is shown is covered by the log. GS1's event
hash (CBV 2.0 §8.9) was considered and not used for leaves: it deliberately leaves out fields (recordTime,
eventID, errorDeclaration) and needs the full JSON-LD vocabulary to expand prefixes, so it cannot prove
"this exact record was not changed". JCS can, with a small, well-specified, widely implemented algorithm.
"""

from __future__ import annotations

import copy
import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import rfc8785
from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import Producer, User
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.regions.models import PickupPoint
from taybac.traceability import capture_scope, log
from taybac.traceability.capture_scope import CLASS_FIELDS, EPC_FIELDS, Capturer
from taybac.traceability.epcis import build
from taybac.traceability.epcis.validation import EpcisValidationError, FieldError, validate_or_raise
from taybac.traceability.models import CaptureKey, EventIdentifier, EventLot, Lot, TraceEvent

MAX_CAPTURE_EVENTS = 500
LOT_ROLE = {
    "quantityList": EventLot.Role.OBJECT,
    "childQuantityList": EventLot.Role.OBJECT,
    "inputQuantityList": EventLot.Role.INPUT,
    "outputQuantityList": EventLot.Role.OUTPUT,
}
_CBV_PREFIXES = (
    "https://ref.gs1.org/cbv/BizStep-",
    "https://ref.gs1.org/cbv/Disp-",
    "urn:epcglobal:cbv:bizstep:",
    "urn:epcglobal:cbv:disp:",
)


class CaptureError(DomainError):
    """A capture the hub refuses after schema validation (duplicate eventID, numbers JCS cannot hold)."""


def canonical(event: dict[str, Any]) -> str:
    """The leaf's text; `canonical(e).encode()` is exactly what the log hashed."""
    return rfc8785.dumps(event).decode("utf-8")


def short_cbv(value: str) -> str:
    """ "urn:epcglobal:cbv:bizstep:shipping" and the https form both become "shipping", for EQ_bizStep."""
    for prefix in _CBV_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def parse_time(value: str) -> datetime.datetime:
    """An RFC 3339 date-time with offset (already checked with `is_rfc3339`) as an aware UTC datetime.

    Leap second 60 reads as 59; instants outside what Python can hold in UTC clamp to its first or last.
    """
    text = value.upper()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if text[17:19] == "60":
        text = text[:17] + "59" + text[19:]
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no timezone offset")
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        edge = datetime.datetime.min if moment.year == 1 else datetime.datetime.max
        return edge.replace(tzinfo=datetime.UTC)


def _identifiers(event: dict[str, Any]) -> Iterable[tuple[str, str]]:
    if isinstance(event.get("parentID"), str):
        yield "parentID", event["parentID"]
    for field in EPC_FIELDS:
        for epc in event.get(field) or []:
            yield field, epc
    for field in CLASS_FIELDS:
        for element in event.get(field) or []:
            yield field, element["epcClass"]


def derive(event: dict[str, Any]) -> dict[str, Any]:
    """The TraceEvent columns that index an event, all read from the event alone (`taybac trace verify`
    recomputes them from the logged text and names any column that differs)."""
    return {
        "event_id": event["eventID"],
        "event_type": event["type"],
        "event_time": parse_time(event["eventTime"]),
        "record_time": parse_time(event["recordTime"]),
        "biz_step": short_cbv(event.get("bizStep", "")),
        "disposition": short_cbv(event.get("disposition", "")),
        "biz_location": (event.get("bizLocation") or {}).get("id", ""),
    }


def store_events(
    events: list[dict[str, Any]],
    *,
    source: str,
    recorded_by: User | None = None,
    on_behalf_of: Producer | Sequence[int | None] | None = None,
    capture_key: CaptureKey | None = None,
    pickup_point: PickupPoint | None = None,
    lots: Mapping[str, Lot | None] | None = None,
    request_key: str | None = None,
) -> list[TraceEvent]:
    """Append complete events (eventID and recordTime set) to the log and index them, in one transaction.

    Who recorded them is kept beside each event for its trace page: the user, the producer it was recorded for
    (one for all events, or a producer id per event), the partner's key, or the post office of its staff.
    `lots` maps lot-class URIs to lots the caller already holds; the others are read in one query.
    `request_key` marks the events as recorded by that request (see `replayed`).
    """
    if not events:
        return []
    behalf = (
        list(on_behalf_of)
        if isinstance(on_behalf_of, (list, tuple))
        else [getattr(on_behalf_of, "pk", None)] * len(events)
    )
    lots = dict(lots or {})
    texts = [canonical(e) for e in events]
    with transaction.atomic():
        declared = declared_events(events)
        first, _ = log.append([t.encode("utf-8") for t in texts])
        rows = TraceEvent.objects.bulk_create(
            [
                TraceEvent(
                    leaf_index=first + i,
                    canonical=text,
                    **derive(e),
                    source=source,
                    recorded_by=recorded_by,
                    on_behalf_of_id=behalf[i],
                    capture_key=capture_key,
                    pickup_point=pickup_point,
                    request_key=f"{request_key}#{i}" if request_key else None,
                    declares_id=declared.get(i),
                )
                for i, (e, text) in enumerate(zip(events, texts))
            ]
        )
        if rows and rows[0].pk is None:  # backends that do not return ids from bulk_create
            rows = list(TraceEvent.objects.filter(leaf_index__gte=first).order_by("leaf_index"))
        named = [list(_identifiers(event)) for event in events]
        missing = {value for found in named for field, value in found if field in LOT_ROLE and value not in lots}
        lots.update(capture_scope.lots_for_classes(missing))
        identifiers, links = [], set()
        for row, found in zip(rows, named):
            for field, value in found:
                identifiers.append(EventIdentifier(event=row, field=field, value=value[:300]))
                lot = lots.get(value) if field in LOT_ROLE else None
                if lot is not None:
                    links.add((row.pk, lot.pk, LOT_ROLE[field]))
        EventIdentifier.objects.bulk_create(identifiers)
        EventLot.objects.bulk_create([EventLot(event_id=e, lot_id=lo, role=r) for e, lo, r in sorted(links)])
    return rows


def declared_events(events: Sequence[dict[str, Any]]) -> dict[int, int]:
    """Position of each error declaration among `events` -> id of the recorded event it repeats (same eventID).

    Callers have checked the declarations (corrections.check); one query, none without declarations.
    """
    at = {i: e.get("eventID") for i, e in enumerate(events) if isinstance(e.get("errorDeclaration"), dict)}
    if not at:
        return {}
    originals = dict(
        TraceEvent.objects.filter(event_id__in=set(at.values()), declares__isnull=True).values_list("event_id", "pk")
    )
    return {i: originals[event_id] for i, event_id in at.items() if event_id in originals}


def replayed(request_key: str | None) -> list[TraceEvent]:
    """The events an earlier request with this idempotency key recorded, in log order ([] if none).

    Callers check it after `log.lock()`, so a double tap racing itself finds the first tap's events.
    """
    if not request_key:
        return []
    return list(TraceEvent.objects.filter(request_key__startswith=f"{request_key}#").order_by("leaf_index"))


def _standalone(event: dict[str, Any], context: Any, now: str) -> dict[str, Any]:
    """The event as it will be stored: the document's @context carried in, recordTime and eventID set."""
    event = copy.deepcopy(event)
    if "@context" not in event and context not in (None, build.EPCIS_CONTEXT, [build.EPCIS_CONTEXT]):
        event = {"@context": context, **event}
    event["recordTime"] = now  # EPCIS: set by the capturing system, whatever the client sent
    event.setdefault("eventID", f"urn:uuid:{uuid.uuid4()}")
    return event


def capture(document: Any, *, by: Capturer) -> list[TraceEvent]:
    """Validate an EPCIS 2.0 document against GS1's schema and store each event; all or nothing.

    `by` may only name its own producers' identifiers (capture_scope.check: ScopeError otherwise); the check,
    the duplicate check and the append run under the log lock in one transaction, and the capture is audited.
    """
    from taybac.traceability import corrections  # it reads lots through verification, which imports this module

    validate_or_raise(document)
    found = document["epcisBody"].get("eventList", [])
    if len(found) > MAX_CAPTURE_EVENTS:
        raise CaptureError(
            f"at most {MAX_CAPTURE_EVENTS} events per capture, got {len(found)}",
            field="epcisBody.eventList",
            code="too_many_events",
        )
    corrections.require_event_ids(found)
    now = build.timestamp(timezone.now())
    events = [_standalone(e, document.get("@context"), now) for e in found]
    errors = []
    for i, event in enumerate(events):
        try:
            canonical(event)
        except (rfc8785.CanonicalizationError, ValueError) as exc:
            errors.append(FieldError(f"epcisBody.eventList[{i}]", f"cannot be canonicalised (RFC 8785): {exc}"))
    if errors:
        raise EpcisValidationError(errors)
    ids = [e["eventID"] for e in events]
    plain = [e["eventID"] for e in events if not corrections.declares(e)]  # a declaration repeats its eventID
    with transaction.atomic():
        log.lock()  # a concurrent capture of the same eventID waits here, then sees it taken
        taken = set(TraceEvent.objects.filter(event_id__in=plain).values_list("event_id", flat=True))
        if taken or len(set(ids)) != len(ids):
            duplicate = sorted(taken)[0] if taken else next(x for x in ids if ids.count(x) > 1)
            raise CaptureError(f"eventID {duplicate} is already recorded", field="eventID", code="duplicate_event")
        corrections.check(events, by)
        scope = capture_scope.check(events, by)
        rows = store_events(
            events,
            source=TraceEvent.Source.CAPTURE,
            recorded_by=by.user,
            on_behalf_of=scope.on_behalf_of,
            capture_key=by.key,
            lots=scope.lots,
        )
        corrections.refresh_lots(rows)
        _audit(rows, by, scope.on_behalf_of)
        return rows


def _audit(rows: list[TraceEvent], by: Capturer, behalf: list[int | None]) -> None:
    """One entry per producer the events were captured for: "user (or key) captured N events on behalf of P"."""
    groups: dict[int | None, list[TraceEvent]] = {}
    for row, producer_id in zip(rows, behalf):
        groups.setdefault(producer_id, []).append(row)
    producers = Producer.objects.in_bulk([p for p in groups if p is not None])
    for producer_id, group in groups.items():
        producer = producers.get(producer_id) if producer_id is not None else None
        detail: dict[str, Any] = {
            "events": [row.event_id for row in group],
            "leaves": [group[0].leaf_index, group[-1].leaf_index],
        }
        if by.key is not None:
            detail["capture_key"] = {"id": by.key.pk, "name": by.key.name}
        audit.record(
            actor=by.user,
            on_behalf_of=producer.owner if producer else None,
            action="epcis.captured",
            target=by.key if by.key is not None else producer,
            detail=detail,
        )


def lot_quantity(lot: Lot, amount: int, *, packs: bool = False) -> dict[str, Any]:
    """`amount` in the lot's unit (120 kg), or with `packs` a count of the variant's trade items (2 jars)."""
    return build.quantity(lot.variant.gtin, lot.code, amount, "" if packs else lot.unit)


def store_hub_event(
    event: dict[str, Any],
    *,
    actor: User | None,
    lots: list[Lot],
    request_key: str | None = None,
    on_behalf_of: Producer | None = None,
    pickup_point: PickupPoint | None = None,
) -> TraceEvent:
    """Store one event the hub itself records (not a partner's capture), stamped now, for `lots`."""
    event["recordTime"] = build.timestamp(timezone.now())
    classes = {build.lot_class(lot.variant.gtin, lot.code): lot for lot in lots}
    return store_events(
        [event],
        source=TraceEvent.Source.HUB,
        recorded_by=actor,
        lots=classes,
        request_key=request_key,
        on_behalf_of=on_behalf_of,
        pickup_point=pickup_point,
    )[0]
