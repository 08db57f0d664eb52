"""EPCIS 2.0 SimpleEventQuery over the stored events: the filters of `GET /api/v1/epcis/events`.

Parameters follow EPCIS 2.0 §8.2.7.1 (eventType, GE_/LT_eventTime, GE_/LT_recordTime, EQ_bizStep,
EQ_disposition, EQ_bizLocation, MATCH_*, EQ_eventID). Different parameters are ANDed; the values given for one
parameter are ORed. EPCs and classes match exactly (EPC pattern URIs, `urn:epc:idpat:…`, are not expanded).
Identifier filters are `IN (SELECT event_id FROM eventidentifier …)` subqueries on the indexed `value`
column, so one page of any query is one SQL statement. Results are in log (leaf) order; the page cursor is
the last leaf index returned.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from taybac.traceability.models import EventIdentifier, TraceEvent
from taybac.traceability.store import CLASS_FIELDS, EPC_FIELDS, short_cbv

MAX_PER_PAGE = 1000
DEFAULT_PER_PAGE = 100
MAX_VALUE_LENGTH = 300  # EventIdentifier.value and the indexed columns hold 300 characters

# MATCH_* parameter -> the event fields it looks in (EPCIS 2.0 §8.2.7.1, Table 8-4).
MATCH_FIELDS: dict[str, tuple[str, ...]] = {
    "MATCH_epc": ("epcList", "childEPCs"),
    "MATCH_parentID": ("parentID",),
    "MATCH_inputEPC": ("inputEPCList",),
    "MATCH_outputEPC": ("outputEPCList",),
    "MATCH_anyEPC": ("parentID", *EPC_FIELDS),
    "MATCH_epcClass": ("quantityList", "childQuantityList"),
    "MATCH_inputEPCClass": ("inputQuantityList",),
    "MATCH_outputEPCClass": ("outputQuantityList",),
    "MATCH_anyEPCClass": CLASS_FIELDS,
}


@dataclass(frozen=True)
class EventPage:
    """One page of matching events (parsed from their stored canonical text) in leaf order."""

    events: list[dict[str, Any]]
    leaf_indexes: list[int]
    next_after: int | None  # pass as `after` for the next page; None when this is the last page

    @property
    def event_ids(self) -> list[str]:
        return [e["eventID"] for e in self.events]


def _identifier_filter(fields: Sequence[str], values: Sequence[str]) -> Q:
    ids = EventIdentifier.objects.filter(field__in=fields, value__in=[v[:MAX_VALUE_LENGTH] for v in values])
    return Q(pk__in=ids.values("event_id"))


def find_events(
    *,
    event_types: Sequence[str] = (),
    ge_event_time: datetime.datetime | None = None,
    lt_event_time: datetime.datetime | None = None,
    ge_record_time: datetime.datetime | None = None,
    lt_record_time: datetime.datetime | None = None,
    biz_steps: Sequence[str] = (),
    dispositions: Sequence[str] = (),
    biz_locations: Sequence[str] = (),
    event_ids: Sequence[str] = (),
    match: dict[str, Sequence[str]] | None = None,
    after: int | None = None,
    limit: int = DEFAULT_PER_PAGE,
) -> EventPage:
    """Events matching every given filter, leaf order, at most `limit`, starting after leaf index `after`.

    Empty sequences and None mean "no filter". `match` maps MATCH_* parameter names (see MATCH_FIELDS) to
    the EPC or class URIs to look for. Business steps and dispositions may be CBV short names or URIs.
    """
    if not 1 <= limit <= MAX_PER_PAGE:
        raise ValueError(f"limit must be 1–{MAX_PER_PAGE}")
    q = Q()
    if event_types:
        q &= Q(event_type__in=list(event_types))
    for lookup, moment in (
        ("event_time__gte", ge_event_time),
        ("event_time__lt", lt_event_time),
        ("record_time__gte", ge_record_time),
        ("record_time__lt", lt_record_time),
    ):
        if moment is not None:
            q &= Q(**{lookup: moment})
    if biz_steps:
        q &= Q(biz_step__in=[short_cbv(v) for v in biz_steps])
    if dispositions:
        q &= Q(disposition__in=[short_cbv(v) for v in dispositions])
    if biz_locations:
        q &= Q(biz_location__in=list(biz_locations))
    if event_ids:
        q &= Q(event_id__in=list(event_ids))
    for name, values in (match or {}).items():
        if name not in MATCH_FIELDS:
            raise ValueError(f"unknown match parameter {name!r}")
        if values:
            q &= _identifier_filter(MATCH_FIELDS[name], values)
    if after is not None:
        q &= Q(leaf_index__gt=after)
    rows = list(TraceEvent.objects.filter(q).order_by("leaf_index").values_list("leaf_index", "canonical")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return EventPage(
        events=[json.loads(text) for _, text in rows],
        leaf_indexes=[i for i, _ in rows],
        next_after=rows[-1][0] if more else None,
    )
