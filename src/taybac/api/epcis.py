"""EPCIS 2.0 capture and query (GS1 EPCIS 2.0 REST binding, JSON-LD): `POST /epcis/capture`, `GET /epcis/events`.

Capture is for other systems (a processor's or cooperative's software) and for seller-centre users: a partner's
capture key (`taybac capture_key create`, or the admin) as `Authorization: Bearer tbk_…`, or the seller-centre
session with its CSRF token. Either may only name its own producers' lots, products, places and cartons
(taybac.traceability.capture_scope; 403 not_your_identifier). Every captured event becomes a leaf of the
transparency log (taybac.traceability.store.capture). Query is public, like the log itself: the events are
published there anyway.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from pydantic import field_validator

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import managed_producers
from taybac.api.errors import ERRORS, ErrorOut, error_payload
from taybac.core.errors import DomainError
from taybac.core.jsonparse import JsonBoundsError, loads_bounded
from taybac.traceability import capture_keys
from taybac.traceability.capture_scope import Capturer, ScopeError
from taybac.traceability.epcis import build
from taybac.traceability.epcis.validation import EpcisValidationError, is_rfc3339
from taybac.traceability.models import CaptureKey
from taybac.traceability.query import DEFAULT_PER_PAGE, MATCH_FIELDS, MAX_PER_PAGE, find_events
from taybac.traceability.store import MAX_CAPTURE_EVENTS, CaptureError, capture, parse_time

router = Router(tags=["epcis"])

MAX_CAPTURE_BYTES = 4 * 1024 * 1024
MAX_CAPTURE_DEPTH = 64  # GS1's published examples nest 8 levels; sensor reports and extensions a few more
JSON_TYPES = ("application/json", "application/ld+json")
VERSION_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
EVENT_TYPES = ("ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent")
_EVENT_TYPE = "(?:" + "|".join(EVENT_TYPES) + ")"
EVENT_TYPE_PATTERN = f"^{_EVENT_TYPE}(?:,{_EVENT_TYPE})*$"
LIST_PATTERN = r"^[^,\x00-\x1f\x7f]+(?:,[^,\x00-\x1f\x7f]+)*$"  # comma-separated, no control characters
TOKEN_PATTERN = r"^[0-9a-f]{1,15}$"
MAX_LIST = 4000
CONFLICTS = ("duplicate_event", "already_declared")  # 409: the eventID is taken, or already declared erroneous


# --- authentication -------------------------------------------------------------------------------------------


class CaptureKeyAuth(HttpBearer):
    """`Authorization: Bearer tbk_…`: a live partner key (hash compared in constant time); revoked keys are 401."""

    def authenticate(self, request: HttpRequest, token: str) -> CaptureKey | None:
        return capture_keys.authenticate(token)


class SellerSession(SessionAuth):
    """A signed-in seller-centre user (a producer's owner or delegated helper, or a hub operator), with CSRF.

    Without a session it steps aside (so the answer is 401, not a CSRF failure); with one, a missing CSRF token
    or a user who sells nothing is a 403.
    """

    def __call__(self, request: HttpRequest) -> User | None:
        user = request.user
        if not user.is_authenticated:
            return None
        try:
            self._get_key(request)
        except HttpError:
            raise DomainError(
                "CSRF check failed: send the csrftoken cookie and its value in the X-CSRFToken header.",
                code="forbidden",
            ) from None
        if not (user.is_staff or user.role == Role.OPERATOR or managed_producers(user).exists()):
            raise DomainError(
                "Only producers, their helpers and hub operators may capture EPCIS events.", code="forbidden"
            )
        return user


class CaptureRequest(HttpRequest):
    """A request ninja let through `CaptureKeyAuth` or `SellerSession`: `auth` is what accepted it."""

    auth: CaptureKey | User


# --- capture --------------------------------------------------------------------------------------------------


class CaptureOut(Schema):
    captured: int = Field(..., description="Number of events stored.")
    eventIDs: list[str] = Field(
        ..., description="The events' eventIDs, in document order (urn:uuid:… assigned to events sent without one)."
    )
    first_index: int | None = Field(
        ...,
        description="Transparency-log leaf index of the first event (the others "
        "follow in order); null when the document had no events.",
    )


EXAMPLE_DOCUMENT = {
    "@context": [build.EPCIS_CONTEXT],
    "type": "EPCISDocument",
    "schemaVersion": "2.0",
    "creationDate": "2025-09-01T08:00:00+07:00",
    "epcisBody": {
        "eventList": [
            {
                "type": "ObjectEvent",
                "eventTime": "2025-09-01T07:30:00+07:00",
                "eventTimeZoneOffset": "+07:00",
                "action": "OBSERVE",
                "bizStep": "receiving",
                "disposition": "in_progress",
                "quantityList": [
                    {"epcClass": "https://id.gs1.org/01/08939999000017/10/250901-1", "quantity": 40, "uom": "KGM"}
                ],
                "readPoint": {"id": "https://id.gs1.org/414/8939999000016"},
                "bizLocation": {"id": "https://id.gs1.org/414/8939999000016"},
            }
        ]
    },
}
_DOCUMENT_SCHEMA = {
    "type": "object",
    "description": "An EPCISDocument as GS1's EPCIS-JSON-Schema (EPCIS 2.0) "
    "defines it; validated against that schema with formats enforced.",
}
CAPTURE_BODY = {
    "required": True,
    "content": {media: {"schema": _DOCUMENT_SCHEMA, "example": EXAMPLE_DOCUMENT} for media in JSON_TYPES},
}


def _refuse(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    """The error envelope exactly as the API's error handlers write it (no null members)."""
    return JsonResponse(error_payload(code, message, **extra), status=status)


def _read_document(request: HttpRequest) -> tuple[Any, JsonResponse | None]:
    if request.content_type not in JSON_TYPES:
        sent = request.content_type or "no Content-Type"
        return None, _refuse(
            415, "unsupported_media_type", f"Send the document as {' or '.join(JSON_TYPES)}, not {sent}."
        )
    too_big = _refuse(
        413,
        "too_large",
        f"The document is over {MAX_CAPTURE_BYTES // (1024 * 1024)} MiB; "
        f"split it (at most {MAX_CAPTURE_EVENTS} events per capture).",
    )
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_CAPTURE_BYTES:
            return None, too_big
        raw = request.body
    except (ValueError, RequestDataTooBig):
        return None, too_big
    if len(raw) > MAX_CAPTURE_BYTES:
        return None, too_big

    try:  # bounded: a 4 MiB document can nest 2 million levels or hold a 4,000-digit number
        return loads_bounded(raw, max_depth=MAX_CAPTURE_DEPTH), None
    except JsonBoundsError as exc:
        return None, _refuse(400, "invalid_json", f"The body is not JSON the hub accepts: {exc}")


@router.post(
    "/capture",
    auth=[CaptureKeyAuth(), SellerSession()],
    response={201: CaptureOut, **ERRORS, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 413: ErrorOut, 415: ErrorOut},
    summary="Capture an EPCIS 2.0 document",
    operation_id="epcis_capture",
    openapi_extra={"requestBody": CAPTURE_BODY},
)
def capture_document(request: CaptureRequest) -> Status | JsonResponse:
    """Validates the whole document against GS1's EPCIS 2.0 JSON Schema, then stores every event as a leaf of the
    transparency log, all or nothing. The server sets recordTime, and eventID when an event has none.

    A seller (owner, or helper under a live delegation) or a scoped partner key may only name identifiers of
    this hub that belong to its producers; anything else of ours is refused with 403 `not_your_identifier`
    naming the field. Other companies' identifiers may be named. Operators are not limited.

    An error declaration (EPCIS 2.0: the erroneous event repeated, same eventID, with `errorDeclaration`) is
    accepted only for a recorded event the caller may capture for, and only if it is that event repeated (all
    members equal except recordTime, errorDeclaration and @context, which may only add entries): otherwise 400
    `unknown_event` or `declaration_mismatch`, 403 `not_your_identifier`; an event already declared erroneous is
    409 `already_declared`."""
    document, refusal = _read_document(request)
    if refusal is not None:
        return refusal
    by = Capturer(key=request.auth) if isinstance(request.auth, CaptureKey) else Capturer(user=request.auth)
    try:
        rows = capture(document, by=by)
    except ScopeError as exc:
        return _refuse(403, exc.code, exc.message, field=exc.field)
    except EpcisValidationError as exc:
        details = [{"field": e.path, "location": "body", "message": e.message} for e in exc.errors]
        return _refuse(400, "invalid_epcis", str(exc), details=details)
    except CaptureError as exc:
        return _refuse(409 if exc.code in CONFLICTS else 400, exc.code, exc.message, field=exc.field)
    return Status(
        201,
        {
            "captured": len(rows),
            "eventIDs": [row.event_id for row in rows],
            "first_index": rows[0].leaf_index if rows else None,
        },
    )


# --- query ----------------------------------------------------------------------------------------------------


def _list(description: str) -> Any:
    return Field(
        None,
        min_length=1,
        max_length=MAX_LIST,
        pattern=LIST_PATTERN,
        description=f"{description} Several values separated by commas: any of them.",
    )


def _time(description: str) -> Any:
    """A plain string schema (not anyOf with null), so `format` sits next to `type`; absent means None."""
    return Field(
        None,
        max_length=40,
        description=f"{description} RFC 3339 date-time with offset.",
        json_schema_extra={"format": "date-time"},
    )


class EventQueryParams(Schema):
    eventType: str | None = Field(
        None,
        max_length=200,
        pattern=EVENT_TYPE_PATTERN,
        description="Event types, comma-separated: " + ", ".join(EVENT_TYPES) + ".",
    )
    GE_eventTime: str = _time("Events that happened at or after this instant.")
    LT_eventTime: str = _time("Events that happened before this instant.")
    GE_recordTime: str = _time("Events recorded by the hub at or after this instant.")
    LT_recordTime: str = _time("Events recorded by the hub before this instant.")
    EQ_bizStep: str | None = _list("Business step: CBV short name (`shipping`) or URI (either CBV form).")
    EQ_disposition: str | None = _list("Disposition: CBV short name (`in_transit`) or URI.")
    EQ_bizLocation: str | None = _list("Business location id (e.g. `https://id.gs1.org/414/{GLN}`), exactly.")
    MATCH_epc: str | None = _list("EPC in epcList or childEPCs.")
    MATCH_parentID: str | None = _list("EPC in parentID.")
    MATCH_inputEPC: str | None = _list("EPC in inputEPCList.")
    MATCH_outputEPC: str | None = _list("EPC in outputEPCList.")
    MATCH_anyEPC: str | None = _list("EPC in parentID, epcList, childEPCs, inputEPCList or outputEPCList.")
    MATCH_epcClass: str | None = _list(
        "Class (e.g. a lot `https://id.gs1.org/01/{GTIN}/10/{lot}`) in quantityList or childQuantityList."
    )
    MATCH_inputEPCClass: str | None = _list("Class in inputQuantityList.")
    MATCH_outputEPCClass: str | None = _list("Class in outputQuantityList.")
    MATCH_anyEPCClass: str | None = _list("Class in any quantity list.")
    EQ_eventID: str | None = _list("eventID.")
    perPage: int = Field(DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description=f"Events per page, 1–{MAX_PER_PAGE}.")
    nextPageToken: str | None = Field(
        None, pattern=TOKEN_PATTERN, description='Opaque token from the previous page\'s `Link: <…>; rel="next"`.'
    )

    @field_validator("GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime")
    @classmethod
    def _rfc3339(cls, value: str | None) -> str | None:
        if value is not None and not is_rfc3339(value):
            raise ValueError("not an RFC 3339 date-time with offset, e.g. 2025-09-01T07:30:00+07:00")
        return value


def _split(value: str | None) -> list[str]:
    return [item.strip() for item in value.split(",")] if value else []


def _time_or_none(value: str | None) -> Any:
    return parse_time(value) if value else None


_QUERY_SCHEMA = {
    "type": "object",
    "required": ["@context", "type", "schemaVersion", "creationDate", "epcisBody"],
    "description": "An EPCISQueryDocument (GS1 EPCIS-JSON-Schema) whose eventList holds the stored events.",
    "properties": {
        "@context": {},
        "type": {"const": "EPCISQueryDocument"},
        "schemaVersion": {"type": "string"},
        "creationDate": {"type": "string", "format": "date-time"},
        "epcisBody": {
            "type": "object",
            "required": ["queryResults"],
            "properties": {
                "queryResults": {
                    "type": "object",
                    "required": ["queryName", "resultsBody"],
                    "properties": {
                        "queryName": {"type": "string"},
                        "resultsBody": {
                            "type": "object",
                            "required": ["eventList"],
                            "properties": {"eventList": {"type": "array", "items": {"type": "object"}}},
                        },
                    },
                }
            },
        },
    },
}
QUERY_RESPONSE = {
    200: {
        "description": "The matching events, oldest leaf first.",
        "headers": {
            "Link": {
                "description": '`<…&nextPageToken=…>; rel="next"` when there are more events.',
                "schema": {"type": "string"},
            }
        },
        "content": {media: {"schema": _QUERY_SCHEMA} for media in ("application/ld+json", "application/json")},
    }
}


def _media_type(request: HttpRequest) -> str:
    accept = request.headers.get("Accept", "")
    return (
        "application/json"
        if "application/json" in accept and "application/ld+json" not in accept
        else "application/ld+json"
    )


@router.get(
    "/events",
    response={200: None, **ERRORS},
    summary="Query EPCIS events",
    operation_id="epcis_query_events",
    openapi_extra={"responses": QUERY_RESPONSE},
)
def query_events(request: HttpRequest, params: Query[EventQueryParams]) -> HttpResponse:
    """EPCIS 2.0 SimpleEventQuery over every stored event (the hub's own and captured ones), in log order.
    Different parameters must all hold; the comma-separated values of one parameter are alternatives."""
    page = find_events(
        event_types=_split(params.eventType),
        ge_event_time=_time_or_none(params.GE_eventTime),
        lt_event_time=_time_or_none(params.LT_eventTime),
        ge_record_time=_time_or_none(params.GE_recordTime),
        lt_record_time=_time_or_none(params.LT_recordTime),
        biz_steps=_split(params.EQ_bizStep),
        dispositions=_split(params.EQ_disposition),
        biz_locations=_split(params.EQ_bizLocation),
        event_ids=_split(params.EQ_eventID),
        match={name: _split(getattr(params, name)) for name in MATCH_FIELDS},
        after=int(params.nextPageToken, 16) if params.nextPageToken else None,
        limit=params.perPage,
    )
    document = build.query_document(page.events, created=timezone.now())
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")),
        content_type=_media_type(request),
        headers=VERSION_HEADERS,
    )
    if page.next_after is not None:
        query = request.GET.copy()
        query["nextPageToken"] = format(page.next_after, "x")
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode(safe=":/")}>; rel="next"'
    return response
