"""Error declarations (EPCIS 2.0 corrections): the rules every path that records one follows.

The log is append-only, so a wrong event is never edited. Following EPCIS 2.0 (§7.4.1.2, and GS1's
examples) the wrong event is *declared* erroneous by capturing it again, same eventID, with an
`errorDeclaration` member: declarationTime, a CBV reason (`incorrect_data`, `did_not_occur`) and the eventIDs
of the corrective events. Both the seller centre (declare.py) and EPCIS capture (store.capture) check, under the
log lock, that the declared event exists, is not declared already, is in the caller's capture scope, and that
the declaration is that event repeated (`taybac_verify.corrections.differences`, shared with the independent
verifier: equal except recordTime, errorDeclaration and @context, which may only add entries). After storing,
the lot columns derived from the lot's creating event (quantity, date, place…) follow the creating event that
stands (`verification.creating_event`), so the trace page and its checks agree with the correction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_datetime

from taybac.regions.models import Commune
from taybac.traceability.capture_scope import Capturer, ScopeError
from taybac.traceability.models import EventLot, Lot, TraceEvent
from taybac.traceability.store import CaptureError
from taybac.traceability.verification import creating_event, elements, lot_classes, parse_document, what
from taybac_verify.corrections import declaration_of, differences

# CBV 2.0 error reasons (ER-…), as the trace page words them.
REASONS = {"incorrect_data": "Ghi sai thông tin", "did_not_occur": "Việc này không xảy ra"}
EXPLANATION = "taybac:explanation"  # the producer's own words, an extension member of errorDeclaration
_REASON_PREFIXES = ("https://ref.gs1.org/cbv/ER-", "https://gs1.org/voc/ER-", "urn:epcglobal:cbv:er:")
MAX_QUANTITY = 10_000_000


class CorrectionError(CaptureError):
    """A declaration the hub refuses: unknown, already declared, not the same event, or a lot left uncreated."""


def short_reason(value: Any) -> str:
    """`incorrect_data` from any of its CBV forms (bare word, https or urn URI); other URIs unchanged."""
    text = str(value or "")
    for prefix in _REASON_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def reason_label(value: Any) -> str:
    short = short_reason(value)
    return REASONS.get(short, short or "không nêu lý do")


def declares(event: dict[str, Any]) -> bool:
    return declaration_of(event) is not None


def require_event_ids(sent: Sequence[Any]) -> None:
    """An error declaration sent without an eventID cannot say which event it declares: refused before the hub
    would give it a fresh one."""
    for i, event in enumerate(sent):
        if isinstance(event, dict) and declares(event) and not event.get("eventID"):
            raise CorrectionError(
                f"epcisBody.eventList[{i}]: an error declaration must carry the eventID of the event it declares "
                f"erroneous.",
                field=f"epcisBody.eventList[{i}].eventID",
                code="unknown_event",
            )


def check(events: Sequence[dict[str, Any]], by: Capturer, *, acts_for: frozenset[int] | None = None) -> None:
    """Refuse unless every error declaration among `events` repeats a recorded, undeclared event the caller may
    capture for. Runs under the log lock (one query). `acts_for`: the caller's producers, if already read."""
    at = {i: e["eventID"] for i, e in enumerate(events) if declares(e)}
    if not at:
        return
    rows = list(TraceEvent.objects.filter(event_id__in=set(at.values())).order_by("leaf_index"))
    originals = {row.event_id: row for row in rows if row.declares_id is None}
    declared = {row.event_id: row for row in rows if row.declares_id is not None}
    if acts_for is None and not by.unscoped:
        acts_for = by.producers()[0]
    for i, event_id in at.items():
        where = f"epcisBody.eventList[{i}].eventID"
        original = originals.get(event_id)
        if original is None:
            raise CorrectionError(
                f"eventID {event_id}: no recorded event has this eventID. An error declaration repeats the "
                f"eventID of the event it declares erroneous; capture that event first.",
                field=where,
                code="unknown_event",
            )
        if event_id in declared:
            raise CorrectionError(
                f"event {event_id} (log entry #{original.leaf_index}) is already declared erroneous by log entry "
                f"#{declared[event_id].leaf_index}; an event is declared erroneous once. Capture a new corrective "
                f"event instead.",
                field=where,
                code="already_declared",
            )
        if not by.unscoped and not _may_declare(original, by, acts_for or frozenset()):
            raise ScopeError(
                f"{where}: event {event_id} was recorded for a producer you do not act for; only those who may "
                f"capture for its producer may declare it erroneous.",
                field=where,
            )
        wrong = differences(original.document, events[i])
        if wrong:
            raise CorrectionError(
                f"epcisBody.eventList[{i}]: an error declaration is the declared event repeated with "
                f"errorDeclaration added, but {', '.join(wrong)} differ from event {event_id} as recorded "
                f"(log entry #{original.leaf_index}).",
                field=f"epcisBody.eventList[{i}]",
                code="declaration_mismatch",
            )


def _may_declare(original: TraceEvent, by: Capturer, acts_for: frozenset[int]) -> bool:
    if by.key is not None and original.capture_key_id == by.key.pk:
        return True
    return original.on_behalf_of_id is not None and original.on_behalf_of_id in acts_for


# --- The lot's columns follow the correction --------------------------------------------------------


def refresh_lots(rows: Iterable[TraceEvent]) -> list[Lot]:
    """After declarations are stored: each lot they touch takes its facts from the creating event that stands.

    Refuses (rolling the caller's transaction back) when a lot's creating event is declared erroneous and no
    corrective event creates it again: a lot cannot be left without the event that says where it came from.
    """
    ids = [row.pk for row in rows if row.declares_id is not None]
    if not ids:
        return []
    lots = list(Lot.objects.filter(event_links__event_id__in=ids).distinct().select_related("variant"))
    for lot in lots:
        links = list(EventLot.objects.filter(lot=lot).select_related("event").order_by("event__leaf_index", "role"))
        docs = [parse_document(link.event.canonical) for link in links]
        link, doc = creating_event(links, docs)
        if link is None:
            raise CorrectionError(
                f"lot {lot.variant.gtin}/{lot.code}: its creating event is declared erroneous and no corrective "
                f"event creates the lot again; send the corrected harvest or processing event with the declaration.",
                field="errorDeclaration.correctiveEventIDs",
                code="lot_without_creation",
            )
        changed = _facts(lot, doc)
        for name, value in changed.items():
            setattr(lot, name, value)
        if changed:
            lot.save(update_fields=list(changed))
    return lots


def _facts(lot: Lot, doc: dict[str, Any]) -> dict[str, Any]:
    """The lot columns `doc` (its creating event) gives that differ from the lot's; a bad quantity is refused."""
    classes = lot_classes(lot)
    amounts = [
        e.get("quantity") for e in elements(doc, ("quantityList", "outputQuantityList")) if e.get("epcClass") in classes
    ]
    amount = amounts[0] if len(amounts) == 1 else None
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= MAX_QUANTITY:
        raise CorrectionError(
            f"lot {lot.variant.gtin}/{lot.code}: the corrected creating event must give the lot's quantity once, "
            f"as a whole number from 1 to {MAX_QUANTITY:,}.",
            field="quantityList",
            code="invalid_correction",
        )
    found: dict[str, Any] = {"quantity": amount}
    raw = doc.get("ilmd")
    ilmd: dict[str, Any] = raw if isinstance(raw, dict) else {}
    try:
        found["harvested_on"] = datetime.date.fromisoformat(str(ilmd.get("cbvmda:harvestStartDate")))
    except ValueError:
        pass
    if isinstance(ilmd.get("taybac:practices", ""), str):
        found["practices"] = ilmd.get("taybac:practices", "")[:1000]
    certificates = ilmd.get("taybac:certificates", [])
    if isinstance(certificates, list) and all(isinstance(c, str) for c in certificates):
        found["certificates"] = certificates
    commune = ilmd.get("taybac:commune")
    code = commune.get("code") if isinstance(commune, dict) else None
    if isinstance(code, int) and code != lot.commune_id and Commune.objects.filter(code=code).exists():
        found["commune_id"] = code
    if what(doc)[0] != "TransformationEvent":
        found.update(_gps(doc))
    return {name: value for name, value in found.items() if getattr(lot, name) != value}


def _gps(doc: dict[str, Any]) -> dict[str, Decimal | None]:
    point = doc.get("readPoint")
    ident = str(point.get("id", "")) if isinstance(point, dict) else ""
    if not ident.startswith("geo:"):
        return {"latitude": None, "longitude": None}
    try:
        lat, lon = (Decimal(x).quantize(Decimal("0.00001")) for x in ident[4:].split(";")[0].split(",")[:2])
    except (InvalidOperation, ValueError):
        return {}
    return {"latitude": lat, "longitude": lon} if abs(lat) <= 90 and abs(lon) <= 180 else {}


# --- How a lot's story shows them -------------------------------------------------------------------


@dataclass
class Correction:
    """An event declared erroneous, as the trace page and its JSON tell it."""

    event_id: str
    leaf_index: int  # the erroneous event
    declaration_leaf: int
    reason: str
    label: str
    explanation: str
    declared_at: str
    corrective_ids: list[str] = field(default_factory=list)
    corrective_leaves: list[int] = field(default_factory=list)

    @property
    def declared(self) -> datetime.datetime | None:
        """declarationTime as a datetime, for the page (None if it does not parse)."""
        try:
            return parse_datetime(self.declared_at)
        except ValueError:
            return None

    def as_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "leaf_index": self.leaf_index,
            "declaration_leaf_index": self.declaration_leaf,
            "reason": self.reason,
            "explanation": self.explanation,
            "declaration_time": self.declared_at,
            "corrective_event_ids": self.corrective_ids,
        }


def corrections(events: Sequence[TraceEvent], docs: Sequence[dict[str, Any]]) -> dict[str, Correction]:
    """The corrections among a lot's events (in leaf order), by the declared eventID."""
    first: dict[str, int] = {}
    for event, doc in zip(events, docs):
        if not declares(doc):
            first.setdefault(str(doc.get("eventID")), event.leaf_index)
    found: dict[str, Correction] = {}
    for event, doc in zip(events, docs):
        declared = declaration_of(doc)
        event_id = str(doc.get("eventID"))
        if declared is None or event_id not in first or event_id in found:
            continue
        ids = [i for i in declared.get("correctiveEventIDs") or [] if isinstance(i, str)]
        found[event_id] = Correction(
            event_id=event_id,
            leaf_index=first[event_id],
            declaration_leaf=event.leaf_index,
            reason=short_reason(declared.get("reason")),
            label=reason_label(declared.get("reason")),
            explanation=str(declared.get(EXPLANATION) or "")[:500],
            declared_at=str(declared.get("declarationTime", "")),
            corrective_ids=ids,
            corrective_leaves=[first[i] for i in ids if i in first],
        )
    return found
