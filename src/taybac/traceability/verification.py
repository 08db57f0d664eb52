"""Checking a lot's events against the signed log, and the lot's own facts against the event that created it.

`verify_events` is what "Đã xác minh" means: the latest checkpoint's Ed25519 signature checks against the
log's public key (note.open_checkpoint), and every event's exact stored bytes hash (tlog.leaf_hash) to a
leaf that an RFC 9162 inclusion proof leads from to that signed root (tlog.verify_inclusion). The proofs
read all their stored nodes in one query (log.batched).
`check_lot` adds two consistency checks the log alone does not cover: every event linked to the lot
names the lot, and the facts shown (date, place, quantity, practices, certificates, GPS) are those
logged in the event that created the lot. Problems are Vietnamese: the trace page shows them as they are.

The event-document readers below (`parse_document`, `elements`, `what`, `where`) read only the stored bytes
(what the log proves), never the index columns; the story presenter (story.py) uses them too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from taybac.traceability import log
from taybac.traceability.epcis import build
from taybac.traceability.models import EventLot, Lot, TraceEvent
from taybac.traceability.store import CLASS_FIELDS, short_cbv
from taybac_verify import note, tlog


@dataclass(frozen=True)
class Verification:
    """Whether every given event is in the log under the latest signed checkpoint."""

    verified: bool
    checkpoint_size: int | None = None
    root_hash: bytes | None = None
    origin: str = ""
    problems: tuple[str, ...] = ()
    failed_leaves: frozenset[int] = frozenset()

    @property
    def root_b64(self) -> str:
        return tlog.encode_hash(self.root_hash) if self.root_hash else ""


def verify_events(events: Sequence[TraceEvent]) -> Verification:
    """Check each event's stored bytes against the latest signed checkpoint (3 queries at most); a log rolled
    back behind the checkpoint recorded beside the key verifies nothing."""
    try:
        row = log.servable_checkpoint()
    except log.LogRollbackError:  # the database was rolled back behind a checkpoint the hub already published
        return Verification(
            False,
            problems=("Nhật ký công khai bị quay lùi: nhỏ hơn điểm kiểm đã công bố.",),
            failed_leaves=frozenset(e.leaf_index for e in events),
        )
    if row is None:
        return Verification(False, problems=("Nhật ký công khai chưa có điểm kiểm (checkpoint) nào.",))
    try:
        checkpoint = note.open_checkpoint(row.note, log.public_key(), log.origin())
    except (note.NoteError, note.CheckpointError):
        return Verification(
            False,
            problems=("Chữ ký của điểm kiểm (checkpoint) mới nhất không hợp lệ.",),
            failed_leaves=frozenset(e.leaf_index for e in events),
        )
    size = checkpoint.size
    indexes = sorted({e.leaf_index for e in events if e.leaf_index < size})
    try:  # the signed size is the one that counts, so no separate check against the stored log size
        proofs = log.batched(lambda reader: {i: tlog.inclusion_proof(reader, i, size) for i in indexes})
    except log.LogError:  # a node the proofs need is gone: nothing verifies
        proofs = {}
    problems, failed = [], set()
    for event in events:
        try:
            if event.leaf_index >= size:
                raise tlog.ProofError("not yet in the checkpoint")
            proof = proofs[event.leaf_index]
            tlog.verify_inclusion(
                tlog.leaf_hash(event.canonical.encode("utf-8")), event.leaf_index, size, proof, checkpoint.root_hash
            )
        except (tlog.ProofError, KeyError, ValueError):
            failed.add(event.leaf_index)
            problems.append(f"Sự kiện số {event.leaf_index} không khớp với nhật ký công khai.")
    return Verification(not problems, size, checkpoint.root_hash, checkpoint.origin, tuple(problems), frozenset(failed))


# --- Reading the stored event documents -------------------------------------------------------------


def lot_classes(lot: Lot) -> set[str]:
    """The URIs an event may name the lot by: its GS1 class URI and its Digital Link URL."""
    path = lot.get_absolute_url()
    return {build.lot_class(lot.variant.gtin, lot.code), f"{settings.PUBLIC_URL}{path}"}


def parse_document(canonical: str) -> dict[str, Any]:
    """The event document; a stored text that is no longer a JSON object (tampered) reads as empty."""
    try:
        doc = json.loads(canonical)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def elements(doc: dict[str, Any], fields: Iterable[str] = CLASS_FIELDS) -> list[dict[str, Any]]:
    """The quantity elements of the document's lists `fields` (by default every list that links lots)."""
    lists = [doc.get(f) for f in fields]
    return [e for found in lists if isinstance(found, list) for e in found if isinstance(e, dict)]


def what(doc: dict[str, Any]) -> tuple[str, str, str]:
    """(type, bizStep, disposition) of an event document, CBV words shortened."""
    return (
        str(doc.get("type", "")),
        short_cbv(str(doc.get("bizStep", ""))),
        short_cbv(str(doc.get("disposition", ""))),
    )


def where(doc: dict[str, Any], key: str = "bizLocation") -> str:
    """The id of the document's bizLocation (or `key`, e.g. readPoint), "" if none."""
    location = doc.get(key)
    return str(location.get("id", "")) if isinstance(location, dict) else ""


# --- The lot's facts as logged ---------------------------------------------------------------------


def _object(value: Any) -> dict[str, Any]:
    """A JSON object of the logged document, or an empty one where it has something else."""
    return value if isinstance(value, dict) else {}


def _creation_problems(lot: Lot, creation: TraceEvent | None, doc: dict[str, Any]) -> list[str]:
    """Where the lot's columns differ from what the event that created it logged."""
    if creation is None:
        return ["Không có sự kiện tạo lô (thu hoạch hoặc chế biến) trong nhật ký."]
    ilmd = _object(doc.get("ilmd"))
    classes = lot_classes(lot)
    amounts = [
        e.get("quantity") for e in elements(doc, ("quantityList", "outputQuantityList")) if e.get("epcClass") in classes
    ]
    commune = _object(ilmd.get("taybac:commune"))
    gps = where(doc, "readPoint")
    expected_gps = build.geo_uri(lot.latitude, lot.longitude) or ""
    checks = [
        (ilmd.get("cbvmda:harvestStartDate") == lot.harvested_on.isoformat(), "ngày thu hoạch"),
        (commune.get("code") == lot.commune_id, "xã"),
        (ilmd.get("taybac:practices", "") == lot.practices, "cách canh tác"),
        (ilmd.get("taybac:certificates", []) == list(lot.certificates or []), "chứng nhận"),
        (amounts == [lot.quantity], "số lượng"),
        (what(doc)[0] == "TransformationEvent" or gps == expected_gps, "toạ độ GPS"),
    ]
    wrong = [name for ok, name in checks if not ok]
    return [f"Thông tin lô ({', '.join(wrong)}) khác với sự kiện số {creation.leaf_index} đã ghi."] if wrong else []


def declared_ids(docs: Iterable[dict[str, Any]]) -> set[str]:
    """eventIDs that an error declaration among `docs` declares erroneous (EPCIS 2.0: the same eventID)."""
    return {str(doc.get("eventID")) for doc in docs if isinstance(doc.get("errorDeclaration"), dict)}


def creating_event(links: Sequence[EventLot], docs: Sequence[dict[str, Any]]) -> tuple[EventLot | None, dict[str, Any]]:
    """The event that created the lot and stands: the first harvest (commissioning ADD) or processing output that
    is neither an error declaration nor declared erroneous, so a corrected creation gives way to its correction."""
    void = declared_ids(docs)
    return next(
        (
            (link, doc)
            for link, doc in zip(links, docs)
            if (link.role == EventLot.Role.OUTPUT or what(doc)[:2] == ("ObjectEvent", "commissioning"))
            and "errorDeclaration" not in doc
            and str(doc.get("eventID")) not in void
        ),
        (None, {}),
    )


def check_lot(lot: Lot, links: Sequence[EventLot], docs: Sequence[dict[str, Any]]) -> Verification:
    """`verify_events` on the lot's events (`links`, with their parsed `docs`), plus the lot's own checks."""
    events = [link.event for link in links]
    verification = verify_events(events)
    classes = lot_classes(lot)
    problems = list(verification.problems)
    failed = set(verification.failed_leaves)
    for event, doc in zip(events, docs):
        if not any(e.get("epcClass") in classes for e in elements(doc)):
            problems.append(f"Sự kiện số {event.leaf_index} không nhắc đến lô này.")
            failed.add(event.leaf_index)
    creation = creating_event(links, docs)
    problems += _creation_problems(lot, creation[0].event if creation[0] else None, creation[1])
    return Verification(
        not problems,
        verification.checkpoint_size,
        verification.root_hash,
        verification.origin,
        tuple(problems),
        frozenset(failed),
    )
