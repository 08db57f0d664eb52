"""Reading a lot for its GS1 Digital Link page: the lot behind a QR code, and its whole story.

`lot_story` loads everything the trace page and its JSON need in a fixed number of queries, whatever the
number of events: the lot with its product, shop, producer and OCOP certificate; its photos; its events
(through EventLot) with the other lots of each transformation; the places (GLNs) named; the latest
checkpoint; and every Merkle node the inclusion proofs need, in one query. verification.py checks it against
the signed log; story.py tells it in Vietnamese.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Prefetch

from taybac.traceability.models import EventLot, Location, Lot, LotPhoto
from taybac.traceability.recorders import RECORDER_RELATED
from taybac.traceability.story import LotStory, PhotoView, fold_corrections, merge, step
from taybac.traceability.verification import check_lot, parse_document, what, where


def find_lot(gtin: str, code: str) -> Lot | None:
    """The lot behind /01/{gtin}/10/{code} with its product and producer, for its QR code and labels."""
    return (
        Lot.objects.filter(variant__gtin=gtin, code=code).select_related("variant__product", "shop__producer").first()
    )


def lot_story(gtin: str, code: str, *, today: datetime.date | None = None) -> LotStory | None:
    """Everything the trace page and its JSON show, in a fixed number of queries (7 with events)."""
    lot = (
        Lot.objects.filter(variant__gtin=gtin, code=code)
        .select_related("variant__product__ocop", "shop__producer", "shop__province", "commune__province")
        .prefetch_related(Prefetch("photos", queryset=LotPhoto.objects.order_by("position", "id")))
        .first()
    )
    if lot is None:
        return None
    variant, product = lot.variant, lot.variant.product
    links = list(
        EventLot.objects.filter(lot=lot).select_related(*RECORDER_RELATED).order_by("event__leaf_index", "role")
    )
    seen: dict[int, EventLot] = {}
    for link in links:  # a lot both input and output of one event is told once, as the output
        if link.event_id not in seen or link.role == EventLot.Role.OUTPUT:
            seen[link.event_id] = link
    links = sorted(seen.values(), key=lambda x: x.event.leaf_index)
    events = [link.event for link in links]
    docs = [parse_document(e.canonical) for e in events]
    others: dict[int, list[EventLot]] = defaultdict(list)
    transformations = [e.pk for e, doc in zip(events, docs) if what(doc)[0] == "TransformationEvent"]
    if transformations:
        for other in (
            EventLot.objects.filter(event_id__in=transformations)
            .exclude(lot=lot)
            .select_related("lot__variant__product")
            .order_by("lot__code")
        ):
            others[other.event_id].append(other)
    glns = {where(doc).rsplit("/", 1)[-1] for doc in docs if where(doc).startswith("https://id.gs1.org/414/")}
    places = {loc.uri: loc.name for loc in Location.objects.filter(gln__in=glns)} if glns else {}
    verification = check_lot(lot, links, docs)
    steps, corrections = fold_corrections(
        [step(lot, link.event, link.role, doc, others[link.event_id], places) for link, doc in zip(links, docs)],
        events,
        docs,
    )
    for line in steps:
        line.ok = not verification.failed_leaves.intersection(line.leaves)
    ocop = getattr(product, "ocop", None)
    photos = [
        PhotoView(p.src, ", ".join(f"{p.url(w)} {w}w" for w in p.widths), p.width, p.height)
        for p in lot.photos.all()
        if p.widths
    ]
    return LotStory(
        lot=lot,
        variant=variant,
        product=product,
        shop=lot.shop,
        producer=lot.shop.producer,
        ocop=ocop if ocop and ocop.is_valid(today) else None,
        photos=photos,
        events=events,
        documents=docs,
        steps=merge(steps),
        verification=verification,
        corrections=corrections,
    )
