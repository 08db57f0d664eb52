"""Reading a lot's story for its GS1 Digital Link page, and checking it against the signed log.

`lot_story` loads everything the trace page and its JSON need in a fixed number of queries, whatever the
number of events: the lot with its product, shop, producer and OCOP certificate; its photos; its events
(through EventLot) with the other lots of each transformation; the places (GLNs) named; the latest
checkpoint; and every Merkle node the inclusion proofs need, in one query.

`verify_events` is what "Đã xác minh" means: the latest checkpoint's Ed25519 signature checks against the
log's public key (note.open_checkpoint), and every event's exact stored bytes hash (tlog.leaf_hash) to a
leaf that an RFC 9162 inclusion proof leads from to that signed root (tlog.verify_inclusion). The proofs
read all their stored nodes in one query (log.batched).
`lot_story` adds two consistency checks the log alone does not cover: every event linked to the lot
names the lot, and the facts shown (date, place, quantity, practices, certificates, GPS) are those
logged in the event that created the lot.
"""
from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from django.conf import settings
from django.db.models import Prefetch
from django.utils.dateparse import parse_datetime

from taybac.accounts.models import Producer
from taybac.catalog.models import OcopCertificate, Product, Shop, Variant
from taybac.traceability import log, note, tlog
from taybac.traceability.epcis import build
from taybac.traceability.models import EventLot, Location, Lot, LotPhoto, TraceEvent
from taybac.traceability.recorders import RECORDER_RELATED, recorder
from taybac.traceability.store import CLASS_FIELDS, short_cbv

_UNITS = {code: unit for unit, code in build.UOM.items() if unit != "lít"}


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


@dataclass(frozen=True)
class LotLink:
    label: str
    url: str


@dataclass
class Step:
    """One line of the timeline; several identical cartons packed at once are one step."""

    kind: str
    title: str
    when: datetime.datetime
    detail: str = ""
    where: str = ""
    links: list[LotLink] = field(default_factory=list)
    leaves: list[int] = field(default_factory=list)
    count: int = 1
    ok: bool = True
    recorder: str = ""


@dataclass(frozen=True)
class PhotoView:
    src: str
    srcset: str
    width: int
    height: int


@dataclass(frozen=True)
class LotStory:
    lot: Lot
    variant: Variant
    product: Product
    shop: Shop
    producer: Producer
    ocop: OcopCertificate | None
    photos: list[PhotoView]
    events: list[TraceEvent]
    documents: list[dict[str, Any]]  # each event's stored bytes, parsed ({} if no longer JSON)
    steps: list[Step]
    verification: Verification

    @property
    def processed(self) -> bool:
        """Made by processing other lots (its date is a production date, not a harvest)."""
        return any(step.kind == "processing" for step in self.steps)

    @property
    def map_url(self) -> str:
        """A plain OpenStreetMap link for the GPS point, if the phone gave one."""
        lat, lon = self.lot.latitude, self.lot.longitude
        if lat is None or lon is None:
            return ""
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}"


# --- Verification ---------------------------------------------------------------------------------


def verify_events(events: Sequence[TraceEvent]) -> Verification:
    """Check each event's stored bytes against the latest signed checkpoint (3 queries at most); a log rolled
    back behind the checkpoint recorded beside the key verifies nothing."""
    try:
        row = log.servable_checkpoint()
    except log.LogRollbackError:  # the database was rolled back behind a checkpoint the hub already published
        return Verification(False, problems=("Nhật ký công khai bị quay lùi: nhỏ hơn điểm kiểm đã công bố.",),
                            failed_leaves=frozenset(e.leaf_index for e in events))
    if row is None:
        return Verification(False, problems=("Nhật ký công khai chưa có điểm kiểm (checkpoint) nào.",))
    try:
        checkpoint = note.open_checkpoint(row.note, log.public_key(), log.origin())
    except (note.NoteError, note.CheckpointError):
        return Verification(False, problems=("Chữ ký của điểm kiểm (checkpoint) mới nhất không hợp lệ.",),
                            failed_leaves=frozenset(e.leaf_index for e in events))
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
            tlog.verify_inclusion(tlog.leaf_hash(event.canonical.encode("utf-8")), event.leaf_index, size, proof,
                                  checkpoint.root_hash)
        except (tlog.ProofError, KeyError, ValueError):
            failed.add(event.leaf_index)
            problems.append(f"Sự kiện số {event.leaf_index} không khớp với nhật ký công khai.")
    return Verification(not problems, size, checkpoint.root_hash, checkpoint.origin, tuple(problems),
                        frozenset(failed))


# --- The lot's facts as logged ---------------------------------------------------------------------


def _lot_classes(lot: Lot) -> set[str]:
    path = lot.get_absolute_url()
    return {build.lot_class(lot.variant.gtin, lot.code), f"{settings.PUBLIC_URL}{path}"}


def _parse(canonical: str) -> dict[str, Any]:
    """The event document; a stored text that is no longer a JSON object (tampered) reads as empty."""
    try:
        doc = json.loads(canonical)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _elements(doc: dict[str, Any], fields: Iterable[str] = CLASS_FIELDS) -> list[dict[str, Any]]:
    lists = [doc.get(f) for f in fields]
    return [e for found in lists if isinstance(found, list) for e in found if isinstance(e, dict)]


def _creation_problems(lot: Lot, creation: TraceEvent | None, doc: dict[str, Any]) -> list[str]:
    """Where the lot's columns differ from what the event that created it logged."""
    if creation is None:
        return ["Không có sự kiện tạo lô (thu hoạch hoặc chế biến) trong nhật ký."]
    ilmd = doc.get("ilmd") if isinstance(doc.get("ilmd"), dict) else {}
    classes = _lot_classes(lot)
    amounts = [e.get("quantity") for e in _elements(doc, ("quantityList", "outputQuantityList"))
               if e.get("epcClass") in classes]
    commune = ilmd.get("taybac:commune") if isinstance(ilmd.get("taybac:commune"), dict) else {}
    gps = _where(doc, "readPoint")
    expected_gps = build.geo_uri(lot.latitude, lot.longitude) or ""
    checks = [
        (ilmd.get("cbvmda:harvestStartDate") == lot.harvested_on.isoformat(), "ngày thu hoạch"),
        (commune.get("code") == lot.commune_id, "xã"),
        (ilmd.get("taybac:practices", "") == lot.practices, "cách canh tác"),
        (ilmd.get("taybac:certificates", []) == list(lot.certificates or []), "chứng nhận"),
        (amounts == [lot.quantity], "số lượng"),
        (_what(doc)[0] == "TransformationEvent" or gps == expected_gps, "toạ độ GPS"),
    ]
    wrong = [name for ok, name in checks if not ok]
    return [f"Thông tin lô ({', '.join(wrong)}) khác với sự kiện số {creation.leaf_index} đã ghi."] if wrong else []


# --- Timeline in plain Vietnamese -----------------------------------------------------------------

_STEPS = {  # bizStep → (kind, title); inspections and transformations are worded below
    "shipping": ("shipping", "Gửi hàng"),
    "receiving": ("receiving", "Nhận tại bưu điện"),
    "retail_selling": ("delivery", "Giao cho người mua"),
    "packing": ("packing", "Đóng thùng"),
}


def _amount(lot: Lot, doc: dict[str, Any]) -> str:
    classes = _lot_classes(lot)
    for element in _elements(doc):
        if element.get("epcClass") in classes and "quantity" in element:
            uom = str(element.get("uom") or "")
            unit = _UNITS.get(uom, uom or lot.unit)
            amount = element["quantity"]
            return f"{amount:g} {unit}" if isinstance(amount, float) else f"{amount:,} {unit}".replace(",", ".")
    return ""


def _what(doc: dict[str, Any]) -> tuple[str, str, str]:
    """(type, bizStep, disposition) of an event document, CBV words shortened."""
    return (str(doc.get("type", "")), short_cbv(str(doc.get("bizStep", ""))),
            short_cbv(str(doc.get("disposition", ""))))


def _where(doc: dict[str, Any], key: str = "bizLocation") -> str:
    location = doc.get(key)
    return str(location.get("id", "")) if isinstance(location, dict) else ""


def _made_on(doc: dict[str, Any], label: str) -> str:
    """The harvest or production date the lot's creating event logged (its eventTime is when it was recorded)."""
    day = doc["ilmd"].get("cbvmda:harvestStartDate", "") if isinstance(doc.get("ilmd"), dict) else ""
    try:
        return f"{label} {datetime.date.fromisoformat(day):%d/%m/%Y}"
    except (TypeError, ValueError):
        return ""


def _lot_label(lot: Lot) -> LotLink:
    return LotLink(f"{lot.variant.product.name} – lô {lot.code}", lot.get_absolute_url())


def _step(lot: Lot, event: TraceEvent, role: str, doc: dict[str, Any], others: list[EventLot],
          places: dict[str, str]) -> Step:
    # Everything shown comes from the event's stored bytes (what the log proves), not the index columns.
    when = parse_datetime(str(doc.get("eventTime", ""))) or event.event_time
    kind, biz_step, disposition = _what(doc)
    where = places.get(_where(doc), "")
    amount = _amount(lot, doc)
    step = Step(kind="other", title="", when=when, where=where, leaves=[event.leaf_index],
                recorder=recorder(event).label)
    if kind == "TransformationEvent":
        if role == EventLot.Role.INPUT:
            step.kind, step.title = "processed_into", "Đưa vào chế biến"
            step.detail = f"Dùng {amount}" if amount else ""
            step.links = [_lot_label(o.lot) for o in others if o.role == EventLot.Role.OUTPUT]
        else:
            step.kind, step.title = "processing", "Chế biến"
            step.links = [_lot_label(o.lot) for o in others if o.role == EventLot.Role.INPUT]
            step.detail = " · ".join(x for x in (_made_on(doc, "Ngày chế biến"), f"được {amount}" if amount else "")
                                     if x) + (". Từ các lô nguyên liệu:" if step.links else "")
    elif biz_step == "commissioning" and doc.get("action") == "ADD":
        step.kind, step.title = "harvest", "Thu hoạch"
        gps = _where(doc, "readPoint").startswith("geo:")
        step.detail = " · ".join(x for x in (_made_on(doc, "Ngày thu hoạch"), amount, "có toạ độ GPS" if gps else "")
                                 if x)
    elif biz_step == "inspecting":
        passed = disposition == "conformant"
        step.kind = "inspection_pass" if passed else "inspection_fail"
        step.title = "Kiểm tra: đạt" if passed else "Kiểm tra: không đạt"
        inspector, remark = doc.get("taybac:inspector", ""), doc.get("taybac:note", "")
        step.detail = " · ".join(str(x) for x in (f"Đơn vị kiểm tra: {inspector}" if inspector else "", remark) if x)
    elif biz_step in _STEPS:
        step.kind, step.title = _STEPS[biz_step]
        step.detail = f"mỗi thùng {amount}" if step.kind == "packing" and amount else amount
    else:  # captured from another system: say what it is, in EPCIS words
        step.title = f"Sự kiện {kind}" + (f" · {biz_step}" if biz_step else "")
        step.detail = " · ".join(x for x in (amount, disposition) if x)
    return step


def _merge(steps: list[Step]) -> list[Step]:
    """Cartons packed together (same time, same content) read as one line: "Đóng thùng: 3 thùng"."""
    merged: list[Step] = []
    for step in steps:
        last = merged[-1] if merged else None
        if (last and step.kind == last.kind == "packing" and step.when == last.when
                and step.detail == last.detail and step.where == last.where and step.recorder == last.recorder):
            last.count += 1
            last.leaves += step.leaves
        else:
            merged.append(step)
    return merged


# --- The story -----------------------------------------------------------------------------------


def find_lot(gtin: str, code: str) -> Lot | None:
    """The lot behind /01/{gtin}/10/{code} with its product and producer, for its QR code and labels."""
    return Lot.objects.filter(variant__gtin=gtin, code=code).select_related("variant__product", "shop__producer").first()


def lot_story(gtin: str, code: str, *, today: datetime.date | None = None) -> LotStory | None:
    """Everything the trace page and its JSON show, in a fixed number of queries (7 with events)."""
    lot = (Lot.objects.filter(variant__gtin=gtin, code=code)
           .select_related("variant__product__ocop", "shop__producer", "shop__province", "commune__province")
           .prefetch_related(Prefetch("photos", queryset=LotPhoto.objects.order_by("position", "id")))
           .first())
    if lot is None:
        return None
    variant, product = lot.variant, lot.variant.product
    links = list(EventLot.objects.filter(lot=lot).select_related(*RECORDER_RELATED)
                 .order_by("event__leaf_index", "role"))
    seen: dict[int, EventLot] = {}
    for link in links:  # a lot both input and output of one event is told once, as the output
        if link.event_id not in seen or link.role == EventLot.Role.OUTPUT:
            seen[link.event_id] = link
    links = sorted(seen.values(), key=lambda x: x.event.leaf_index)
    events = [link.event for link in links]
    docs = [_parse(e.canonical) for e in events]
    others: dict[int, list[EventLot]] = defaultdict(list)
    transformations = [e.pk for e, doc in zip(events, docs) if _what(doc)[0] == "TransformationEvent"]
    if transformations:
        for other in (EventLot.objects.filter(event_id__in=transformations).exclude(lot=lot)
                      .select_related("lot__variant__product").order_by("lot__code")):
            others[other.event_id].append(other)
    glns = {_where(doc).rsplit("/", 1)[-1] for doc in docs if _where(doc).startswith("https://id.gs1.org/414/")}
    places = {loc.uri: loc.name for loc in Location.objects.filter(gln__in=glns)} if glns else {}
    verification = verify_events(events)
    classes = _lot_classes(lot)
    problems = list(verification.problems)
    failed = set(verification.failed_leaves)
    for event, doc in zip(events, docs):
        if not any(e.get("epcClass") in classes for e in _elements(doc)):
            problems.append(f"Sự kiện số {event.leaf_index} không nhắc đến lô này.")
            failed.add(event.leaf_index)
    creation = next(((link, doc) for link, doc in zip(links, docs) if link.role == EventLot.Role.OUTPUT
                     or _what(doc)[:2] == ("ObjectEvent", "commissioning")), (None, {}))
    problems += _creation_problems(lot, creation[0].event if creation[0] else None, creation[1])
    verification = Verification(not problems, verification.checkpoint_size, verification.root_hash,
                                verification.origin, tuple(problems), frozenset(failed))
    steps = [_step(lot, link.event, link.role, doc, others[link.event_id], places) for link, doc in zip(links, docs)]
    for step in steps:
        step.ok = not failed.intersection(step.leaves)
    ocop = getattr(product, "ocop", None)
    photos = [PhotoView(p.src, ", ".join(f"{p.url(w)} {w}w" for w in p.widths), p.width, p.height)
              for p in lot.photos.all() if p.widths]
    return LotStory(lot=lot, variant=variant, product=product, shop=lot.shop, producer=lot.shop.producer,
                    ocop=ocop if ocop and ocop.is_valid(today) else None, photos=photos, events=events, documents=docs,
                    steps=_merge(steps), verification=verification)


def story_json(story: LotStory, *, base_url: str) -> dict[str, Any]:
    """The JSON answer of the Digital Link URL (Accept: application/json); `base_url` is PUBLIC_URL."""
    lot, product, shop, v = story.lot, story.product, story.shop, story.verification
    here = f"{base_url}{lot.get_absolute_url()}"
    gps = None if lot.latitude is None else {"latitude": float(lot.latitude), "longitude": float(lot.longitude)}
    ocop = story.ocop
    return {
        "lot": {"gtin": story.variant.gtin, "code": lot.code, "url": here,
                "harvested_on": lot.harvested_on.isoformat(), "quantity": lot.quantity, "unit": lot.unit,
                "commune": {"code": lot.commune_id, "name": lot.commune.name},
                "province": {"code": lot.commune.province_id, "name": lot.commune.province.name},
                "gps": gps, "practices": lot.practices, "certificates": list(lot.certificates or []),
                "photos": [f"{base_url}{p.src}" if p.src.startswith("/") else p.src for p in story.photos]},
        "product": {"id": product.pk, "name": product.name, "variant": story.variant.name,
                    "url": f"{base_url}{product.get_absolute_url()}",
                    "ocop": {"stars": ocop.stars, "number": ocop.number, "issuer": ocop.issuer,
                             "expires_on": ocop.expires_on.isoformat()} if ocop else None},
        "producer": {"name": story.producer.name, "shop": shop.name, "kind": story.producer.kind,
                     "kind_label": story.producer.get_kind_display(), "province": shop.province.name,
                     "url": f"{base_url}/gian-hang/{shop.slug}/"},
        "events": story.documents,
        "recorded_by": [recorder(event).as_json() for event in story.events],
        "verification": {"verified": v.verified, "checkpoint_size": v.checkpoint_size, "root": v.root_b64 or None,
                         "origin": v.origin or None, "leaf_indexes": [e.leaf_index for e in story.events],
                         "failed_leaf_indexes": sorted(v.failed_leaves), "problems": list(v.problems)},
        "links": {"self": here, "qr_svg": f"{here}/qr.svg", "qr_png": f"{here}/qr.png",
                  "bundle": f"{base_url}/log/bundle/{story.variant.gtin}/{lot.code}",
                  "checkpoint": f"{base_url}/log/checkpoint", "key": f"{base_url}/log/key"},
    }
