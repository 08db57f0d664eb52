"""EPCIS 2.0 JSON-LD for the events the hub records itself, and the documents it answers with.

Identifiers are GS1 Digital Link URIs on id.gs1.org, as EPCIS 2.0 recommends: a lot is the class
`https://id.gs1.org/01/{gtin14}/10/{lot}` with a quantity; places are GLNs (`/414/`), cartons SSCCs (`/00/`).
Business steps and dispositions are CBV 2.0 bare words. Fields CBV has no word for live in the hub's own
namespace (`taybac:`), declared in each event's @context so an event stands alone as a log leaf.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any
from urllib.parse import quote

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
TAYBAC_NAMESPACE = "urn:taybac:trace:"
EVENT_CONTEXT: list[Any] = [EPCIS_CONTEXT, {"taybac": TAYBAC_NAMESPACE}]
# UN/ECE Recommendation 20 codes for the units producers use; anything else is counted in its own units.
UOM = {"kg": "KGM", "g": "GRM", "tấn": "TNE", "l": "LTR", "lít": "LTR", "ml": "MLT"}


def lot_class(gtin: str, lot_code: str) -> str:
    return f"https://id.gs1.org/01/{gtin}/10/{quote(lot_code, safe='')}"


def gln_uri(gln: str) -> str:
    return f"https://id.gs1.org/414/{gln}"


def sscc_uri(sscc: str) -> str:
    return f"https://id.gs1.org/00/{sscc}"


def geo_uri(latitude: object, longitude: object) -> str | None:
    """The readPoint of an event where the phone gave GPS (RFC 5870 `geo:` URI), None without it."""
    return None if latitude is None else f"geo:{latitude},{longitude}"


def quantity(gtin: str, lot_code: str, amount: int, unit: str) -> dict[str, Any]:
    element: dict[str, Any] = {"epcClass": lot_class(gtin, lot_code), "quantity": amount}
    uom = UOM.get(unit.strip().lower())
    if uom:
        element["uom"] = uom
    return element


def timestamp(moment: datetime.datetime) -> str:
    """RFC 3339 in UTC with milliseconds, the form GS1's examples use."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def offset(moment: datetime.datetime) -> str:
    delta = moment.utcoffset() or datetime.timedelta(0)
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def event(
    event_type: str,
    *,
    when: datetime.datetime,
    biz_step: str,
    disposition: str | None = None,
    biz_location: str | None = None,
    read_point: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A complete event with a fresh urn:uuid eventID; `fields` are EPCIS members (camelCase, None dropped)."""
    body: dict[str, Any] = {
        "@context": EVENT_CONTEXT,
        "type": event_type,
        "eventID": f"urn:uuid:{uuid.uuid4()}",
        "eventTime": timestamp(when),
        "eventTimeZoneOffset": offset(when),
        **{k: v for k, v in fields.items() if v not in (None, [], {})},
        "bizStep": biz_step,
    }
    if disposition:
        body["disposition"] = disposition
    if read_point:
        body["readPoint"] = {"id": read_point}
    if biz_location:
        body["bizLocation"] = {"id": biz_location}
    return body


def document(events: list[dict[str, Any]], *, created: datetime.datetime) -> dict[str, Any]:
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timestamp(created),
        "epcisBody": {"eventList": events},
    }


def query_document(
    events: list[dict[str, Any]], *, created: datetime.datetime, query_name: str = "SimpleEventQuery"
) -> dict[str, Any]:
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": timestamp(created),
        "epcisBody": {"queryResults": {"queryName": query_name, "resultsBody": {"eventList": events}}},
    }
