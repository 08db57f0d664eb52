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
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

import rfc8785
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import User
from taybac.core.errors import DomainError
from taybac.traceability import log
from taybac.traceability.epcis import build
from taybac.traceability.epcis.validation import EpcisValidationError, FieldError, validate_or_raise
from taybac.traceability.models import EventIdentifier, EventLot, Lot, TraceEvent

MAX_CAPTURE_EVENTS = 500
EPC_FIELDS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
CLASS_FIELDS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
LOT_ROLE = {"quantityList": EventLot.Role.OBJECT, "childQuantityList": EventLot.Role.OBJECT,
            "inputQuantityList": EventLot.Role.INPUT, "outputQuantityList": EventLot.Role.OUTPUT}
_CBV_PREFIXES = ("https://ref.gs1.org/cbv/BizStep-", "https://ref.gs1.org/cbv/Disp-",
                 "urn:epcglobal:cbv:bizstep:", "urn:epcglobal:cbv:disp:")


class CaptureError(DomainError):
    """A capture the hub refuses after schema validation (duplicate eventID, numbers JCS cannot hold)."""


def canonical(event: dict[str, Any]) -> str:
    """The leaf's text; `canonical(e).encode()` is exactly what the log hashed."""
    return rfc8785.dumps(event).decode("utf-8")


def short_cbv(value: str) -> str:
    """"urn:epcglobal:cbv:bizstep:shipping" and the https form both become "shipping", for EQ_bizStep."""
    for prefix in _CBV_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix):]
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


def lot_for_class(epc_class: str) -> Lot | None:
    """Our lot behind a lot-level class URI, on id.gs1.org or on this hub's own resolver."""
    parts = urlsplit(epc_class)
    if f"{parts.scheme}://{parts.netloc}" not in ("https://id.gs1.org", settings.PUBLIC_URL):
        return None
    segments = parts.path.strip("/").split("/")
    if len(segments) != 4 or segments[0] != "01" or segments[2] != "10":
        return None
    return Lot.objects.filter(variant__gtin=segments[1], code=unquote(segments[3])).first()


def store_events(events: list[dict[str, Any]], *, source: str, recorded_by: User | None = None,
                 lots: dict[str, Lot] | None = None, request_key: str | None = None) -> list[TraceEvent]:
    """Append complete events (eventID and recordTime set) to the log and index them, in one transaction.

    `lots` maps lot-class URIs to lots the caller already holds, saving a lookup per quantity element.
    `request_key` marks the events as recorded by that request (see `replayed`).
    """
    if not events:
        return []
    lots = dict(lots or {})
    texts = [canonical(e) for e in events]
    with transaction.atomic():
        first, _ = log.append([t.encode("utf-8") for t in texts])
        rows = TraceEvent.objects.bulk_create([TraceEvent(
            leaf_index=first + i, canonical=text, event_id=e["eventID"], event_type=e["type"],
            event_time=parse_time(e["eventTime"]), record_time=parse_time(e["recordTime"]),
            biz_step=short_cbv(e.get("bizStep", "")), disposition=short_cbv(e.get("disposition", "")),
            biz_location=(e.get("bizLocation") or {}).get("id", ""), source=source, recorded_by=recorded_by,
            request_key=f"{request_key}#{i}" if request_key else None,
        ) for i, (e, text) in enumerate(zip(events, texts))])
        if rows and rows[0].pk is None:  # backends that do not return ids from bulk_create
            rows = list(TraceEvent.objects.filter(leaf_index__gte=first).order_by("leaf_index"))
        identifiers, links = [], set()
        for row, event in zip(rows, events):
            for field, value in _identifiers(event):
                identifiers.append(EventIdentifier(event=row, field=field, value=value[:300]))
                if field in LOT_ROLE:
                    if value not in lots:
                        lots[value] = lot_for_class(value)
                    if lots[value] is not None:
                        links.add((row.pk, lots[value].pk, LOT_ROLE[field]))
        EventIdentifier.objects.bulk_create(identifiers)
        EventLot.objects.bulk_create([EventLot(event_id=e, lot_id=lo, role=r) for e, lo, r in sorted(links)])
    return rows


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


def capture(document: Any, *, recorded_by: User | None = None) -> list[TraceEvent]:
    """Validate an EPCIS 2.0 document against GS1's schema and store each event; all or nothing."""
    validate_or_raise(document)
    found = document["epcisBody"].get("eventList", [])
    if len(found) > MAX_CAPTURE_EVENTS:
        raise CaptureError(f"at most {MAX_CAPTURE_EVENTS} events per capture, got {len(found)}",
                           field="epcisBody.eventList", code="too_many_events")
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
    with transaction.atomic():
        log.lock()  # a concurrent capture of the same eventID waits here, then sees it taken
        taken = set(TraceEvent.objects.filter(event_id__in=ids).values_list("event_id", flat=True))
        if taken or len(set(ids)) != len(ids):
            duplicate = sorted(taken)[0] if taken else next(x for x in ids if ids.count(x) > 1)
            raise CaptureError(f"eventID {duplicate} is already recorded", field="eventID", code="duplicate_event")
        return store_events(events, source=TraceEvent.Source.CAPTURE, recorded_by=recorded_by)
