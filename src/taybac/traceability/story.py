"""A lot's story told in plain Vietnamese: the timeline of its trace page, and the JSON of its Digital Link URL.

Everything shown comes from the events' stored bytes (what the log proves), not the index columns; selectors.py
loads what this needs, verification.py says whether it holds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_datetime

from taybac.accounts.models import Producer
from taybac.catalog.models import OcopCertificate, Product, Shop, Variant
from taybac.traceability.corrections import Correction
from taybac.traceability.corrections import corrections as declared
from taybac.traceability.epcis import build
from taybac.traceability.models import EventLot, Lot, TraceEvent
from taybac.traceability.recorders import recorder
from taybac.traceability.verification import Verification, elements, lot_classes, what, where

_UNITS = {code: unit for unit, code in build.UOM.items() if unit != "lít"}


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
    correction: Correction | None = None  # this event was declared erroneous: why, and what corrects it
    corrects: Correction | None = None  # this event corrects one declared erroneous

    @property
    def anchor(self) -> str:
        """The step's id on the page, so a correction links to its corrective event and back."""
        return f"su-kien-{self.leaves[0]}" if self.leaves else ""


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
    corrections: list[Correction] = field(default_factory=list)

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


# --- Timeline in plain Vietnamese -----------------------------------------------------------------

_STEPS = {  # bizStep → (kind, title); inspections and transformations are worded below
    "shipping": ("shipping", "Gửi hàng"),
    "receiving": ("receiving", "Nhận tại bưu điện"),
    "arriving": ("arriving", "Đến nơi phát hàng"),
    "retail_selling": ("delivery", "Giao cho người mua"),
    "packing": ("packing", "Đóng thùng"),
}


def _amount(lot: Lot, doc: dict[str, Any]) -> str:
    classes = lot_classes(lot)
    for element in elements(doc):
        if element.get("epcClass") in classes and "quantity" in element:
            uom = str(element.get("uom") or "")
            unit = _UNITS.get(uom, uom or lot.unit)
            amount = element["quantity"]
            return f"{amount:g} {unit}" if isinstance(amount, float) else f"{amount:,} {unit}".replace(",", ".")
    return ""


def _made_on(doc: dict[str, Any], label: str) -> str:
    """The harvest or production date the lot's creating event logged (its eventTime is when it was recorded)."""
    day = doc["ilmd"].get("cbvmda:harvestStartDate", "") if isinstance(doc.get("ilmd"), dict) else ""
    try:
        return f"{label} {datetime.date.fromisoformat(day):%d/%m/%Y}"
    except (TypeError, ValueError):
        return ""


def _lot_label(lot: Lot) -> LotLink:
    return LotLink(f"{lot.variant.product.name} – lô {lot.code}", lot.get_absolute_url())


def step(
    lot: Lot, event: TraceEvent, role: str, doc: dict[str, Any], others: list[EventLot], places: dict[str, str]
) -> Step:
    """One event as a timeline line; `others` are the other lots of a transformation, `places` GLN names."""
    when = parse_datetime(str(doc.get("eventTime", ""))) or event.event_time
    kind, biz_step, disposition = what(doc)
    amount = _amount(lot, doc)
    line = Step(
        kind="other",
        title="",
        when=when,
        where=places.get(where(doc), ""),
        leaves=[event.leaf_index],
        recorder=recorder(event).label,
    )
    if kind == "TransformationEvent":
        if role == EventLot.Role.INPUT:
            line.kind, line.title = "processed_into", "Đưa vào chế biến"
            line.detail = f"Dùng {amount}" if amount else ""
            line.links = [_lot_label(o.lot) for o in others if o.role == EventLot.Role.OUTPUT]
        else:
            line.kind, line.title = "processing", "Chế biến"
            line.links = [_lot_label(o.lot) for o in others if o.role == EventLot.Role.INPUT]
            line.detail = " · ".join(
                x for x in (_made_on(doc, "Ngày chế biến"), f"được {amount}" if amount else "") if x
            ) + (". Từ các lô nguyên liệu:" if line.links else "")
    elif biz_step == "commissioning" and doc.get("action") == "ADD":
        line.kind, line.title = "harvest", "Thu hoạch"
        gps = where(doc, "readPoint").startswith("geo:")
        line.detail = " · ".join(
            x for x in (_made_on(doc, "Ngày thu hoạch"), amount, "có toạ độ GPS" if gps else "") if x
        )
    elif biz_step == "inspecting":
        passed = disposition == "conformant"
        line.kind = "inspection_pass" if passed else "inspection_fail"
        line.title = "Kiểm tra: đạt" if passed else "Kiểm tra: không đạt"
        inspector, remark = doc.get("taybac:inspector", ""), doc.get("taybac:note", "")
        line.detail = " · ".join(str(x) for x in (f"Đơn vị kiểm tra: {inspector}" if inspector else "", remark) if x)
    elif biz_step == "receiving" and disposition == "returned":  # the carrier brought the parcel back
        line.kind, line.title = "returned", "Hoàn về người bán"
        line.detail = amount
    elif biz_step in _STEPS:
        line.kind, line.title = _STEPS[biz_step]
        line.detail = f"mỗi thùng {amount}" if line.kind == "packing" and amount else amount
    else:  # captured from another system: say what it is, in EPCIS words
        line.title = f"Sự kiện {kind}" + (f" · {biz_step}" if biz_step else "")
        line.detail = " · ".join(x for x in (amount, disposition) if x)
    return line


def fold_corrections(
    steps: list[Step], events: list[TraceEvent], docs: list[dict[str, Any]]
) -> tuple[list[Step], list[Correction]]:
    """An error declaration is not a step of its own: its event's step is marked (struck through, with the reason)
    and takes the declaration's leaf, so a tampered declaration fails that step; corrective events say what they
    correct. `steps` are one per event, in the order of `events`."""
    found = declared(events, docs)
    if not found:
        return steps, []
    fixes = {event_id: c for c in found.values() for event_id in c.corrective_ids}
    kept: list[Step] = []
    for line, doc in zip(steps, docs):
        event_id = str(doc.get("eventID"))
        if "errorDeclaration" in doc and event_id in found:
            continue
        line.correction, line.corrects = found.get(event_id), fixes.get(event_id)
        if line.correction is not None:
            line.leaves.append(line.correction.declaration_leaf)
        kept.append(line)
    return kept, list(found.values())


def merge(steps: list[Step]) -> list[Step]:
    """Cartons packed together (same time, same content) read as one line: "Đóng thùng: 3 thùng"."""
    merged: list[Step] = []
    for current in steps:
        last = merged[-1] if merged else None
        if (
            last
            and current.kind == last.kind == "packing"
            and current.when == last.when
            and current.detail == last.detail
            and current.where == last.where
            and current.recorder == last.recorder
            and not (current.correction or current.corrects or last.correction or last.corrects)
        ):
            last.count += 1
            last.leaves += current.leaves
        else:
            merged.append(current)
    return merged


# --- The JSON answer -------------------------------------------------------------------------------


def story_json(story: LotStory, *, base_url: str) -> dict[str, Any]:
    """The JSON answer of the Digital Link URL (Accept: application/json); `base_url` is PUBLIC_URL."""
    lot, product, shop, v = story.lot, story.product, story.shop, story.verification
    here = f"{base_url}{lot.get_absolute_url()}"
    gps = (
        None
        if lot.latitude is None or lot.longitude is None
        else {"latitude": float(lot.latitude), "longitude": float(lot.longitude)}
    )
    ocop = story.ocop
    return {
        "lot": {
            "gtin": story.variant.gtin,
            "code": lot.code,
            "url": here,
            "harvested_on": lot.harvested_on.isoformat(),
            "quantity": lot.quantity,
            "unit": lot.unit,
            "commune": {"code": lot.commune_id, "name": lot.commune.name},
            "province": {"code": lot.commune.province_id, "name": lot.commune.province.name},
            "gps": gps,
            "practices": lot.practices,
            "certificates": list(lot.certificates or []),
            "photos": [f"{base_url}{p.src}" if p.src.startswith("/") else p.src for p in story.photos],
        },
        "product": {
            "id": product.pk,
            "name": product.name,
            "variant": story.variant.name,
            "url": f"{base_url}{product.get_absolute_url()}",
            "ocop": {
                "stars": ocop.stars,
                "number": ocop.number,
                "issuer": ocop.issuer,
                "expires_on": ocop.expires_on.isoformat(),
            }
            if ocop
            else None,
        },
        "producer": {
            "name": story.producer.name,
            "shop": shop.name,
            "kind": story.producer.kind,
            "kind_label": story.producer.get_kind_display(),
            "province": shop.province.name,
            "url": f"{base_url}/gian-hang/{shop.slug}/",
        },
        "events": story.documents,
        "recorded_by": [recorder(event).as_json() for event in story.events],
        "corrections": [c.as_json() for c in story.corrections],
        "verification": {
            "verified": v.verified,
            "checkpoint_size": v.checkpoint_size,
            "root": v.root_b64 or None,
            "origin": v.origin or None,
            "leaf_indexes": [e.leaf_index for e in story.events],
            "failed_leaf_indexes": sorted(v.failed_leaves),
            "problems": list(v.problems),
        },
        "links": {
            "self": here,
            "qr_svg": f"{here}/qr.svg",
            "qr_png": f"{here}/qr.png",
            "bundle": f"{base_url}/log/bundle/{story.variant.gtin}/{lot.code}",
            "checkpoint": f"{base_url}/log/checkpoint",
            "key": f"{base_url}/log/key",
        },
    }
