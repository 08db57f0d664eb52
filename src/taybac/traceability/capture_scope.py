"""Who may capture what: every identifier of this hub that a captured event names must be the caller's.

A seller (owner, or helper under a live delegation) and a partner's scoped capture key may only name lots,
products (GTINs), places (GLNs) and cartons (SSCCs) of the producers they act for. Identifiers under the hub's
own GS1 company prefix that are allocated to nobody the caller acts for are refused too, so nobody can squat a key
the hub will allocate later. Other companies' identifiers (a processor's own items and places) may be named
freely: they are not ours to protect. Hub operators and keys created with --all-producers are not limited.

Identifiers are read in both EPCIS forms: GS1 Digital Link URIs (any host, any path before the primary key, so
`https://x.example/01/…` cannot slip past) and EPC URNs (`urn:epc:id:sgtin:…`, `urn:epc:class:lgtin:…`,
`urn:epc:idpat:sgtin:…`, `sscc`, `sgln`, `pgln`, and the other CP-based schemes). All ownership is read in one
fixed set of queries for the whole document, inside the capture transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import managed_producers
from taybac.catalog.gtin import check_digit
from taybac.catalog.models import Variant
from taybac.core.errors import DomainError
from taybac.traceability.epcis import build
from taybac.traceability.models import CaptureKey, EventIdentifier, Location, Lot, TraceEvent

EPC_FIELDS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
CLASS_FIELDS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
# Digital Link primary keys: the four the hub allocates, and the others (checked against our prefix only),
# with how many digits come before the company prefix.
_DL_KEYS = {"01": "gtin", "00": "sscc", "414": "gln", "417": "gln"}
_DL_OTHER = {"8003": 1, "8004": 0, "8006": 1, "8010": 0, "8017": 0, "8018": 0, "253": 0, "255": 0, "401": 0, "402": 0}
_URN_HEADS = ("urn:epc:id:", "urn:epc:idpat:", "urn:epc:class:")


class ScopeError(DomainError):
    """An event names an identifier the caller may not capture for (403 not_your_identifier)."""

    code = "not_your_identifier"


@dataclass(frozen=True)
class Key:
    """A GS1 key named by an event: GTIN-14 (with its lot, if any), GLN-13, SSCC-18, or another key's digits."""

    kind: str
    value: str
    lot: str | None = None

    def under_our_prefix(self) -> bool:
        prefix = settings.TAYBAC_GS1_COMPANY_PREFIX
        skip = 1 if self.kind in ("gtin", "sscc") else 0
        return self.value[skip:].startswith(prefix)


def _digits(value: str, *lengths: int) -> bool:
    return value.isascii() and value.isdigit() and len(value) in lengths


def _digital_link(uri: str) -> Key | None:
    parts = urlsplit(uri)
    if parts.scheme.lower() not in ("http", "https"):
        return None
    segments = parts.path.split("/")
    for i, ai in enumerate(segments[:-1]):
        if ai not in _DL_KEYS and ai not in _DL_OTHER:
            continue
        value = unquote(segments[i + 1])
        kind = _DL_KEYS.get(ai, "other")
        qualifiers = dict(zip(segments[i + 2 :: 2], segments[i + 3 :: 2]))
        if kind == "gtin" and _digits(value, 8, 12, 13, 14):
            lot = qualifiers.get("10")
            return Key("gtin", value.zfill(14), unquote(lot) if lot is not None else None)
        if (kind == "gln" and _digits(value, 13)) or (kind == "sscc" and _digits(value, 18)):
            return Key(kind, value)
        if kind == "other":
            return Key("other", value[_DL_OTHER[ai] :])
        return None
    return None


def _epc_urn(uri: str) -> Key | None:
    head = next((h for h in _URN_HEADS if uri[: len(h)].lower() == h), None)
    if head is None:
        return None
    scheme, _, body = uri[len(head) :].partition(":")
    scheme, fields = scheme.lower(), body.split(".")
    cp = fields[0]
    if not (cp.isascii() and cp.isdigit()):
        return None
    second = fields[1] if len(fields) > 1 else ""
    complete = second.isascii() and second.isdigit()
    if scheme in ("sgtin", "lgtin") and complete and len(cp) + len(second) == 13:
        body13 = second[0] + cp + second[1:]
        lot = unquote(fields[2]) if scheme == "lgtin" and len(fields) > 2 else None
        return Key("gtin", body13 + str(check_digit(body13)), lot)
    if scheme == "sscc" and complete and len(cp) + len(second) == 17:
        body17 = second[0] + cp + second[1:]
        return Key("sscc", body17 + str(check_digit(body17)))
    if scheme in ("sgln", "pgln") and complete and len(cp) + len(second) == 12:
        return Key("gln", cp + second + str(check_digit(cp + second)))
    return Key("other", cp)  # another scheme, or a pattern (`*`) spanning many keys: judged by its prefix


def parse(uri: Any) -> Key | None:
    """The GS1 key a URI names, or None for anything else (a geo: URI, a URL that is no Digital Link…)."""
    if not isinstance(uri, str):
        return None
    return _epc_urn(uri) if uri[:4].lower() == "urn:" else _digital_link(uri)


def named(event: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(path inside the event, URI) of every identifier the event names: objects, classes, places.

    The URI is the document's value (a string once the schema has passed, else anything): `parse` checks it.
    """
    if isinstance(event.get("parentID"), str):
        yield "parentID", event["parentID"]
    for name in EPC_FIELDS:
        for j, epc in enumerate(event.get(name) or []):
            yield f"{name}[{j}]", epc
    for name in CLASS_FIELDS:
        for j, element in enumerate(event.get(name) or []):
            yield f"{name}[{j}].epcClass", element.get("epcClass")
    for name in ("readPoint", "bizLocation"):
        if isinstance(event.get(name), dict):
            yield f"{name}.id", event[name].get("id")
    for name, member in (("sourceList", "source"), ("destinationList", "destination")):
        for j, element in enumerate(event.get(name) or []):
            yield f"{name}[{j}].{member}", element.get(member) if isinstance(element, dict) else None


# --- Who captures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capturer:
    """The caller of a capture: a signed-in user, a partner's key, or the hub itself (neither)."""

    user: User | None = None
    key: CaptureKey | None = None

    @property
    def unscoped(self) -> bool:
        if self.key is not None:
            return self.key.all_producers
        return self.user is None or self.user.is_staff or self.user.role == Role.OPERATOR

    @property
    def is_hub(self) -> bool:
        """An operator or the hub's own code: recorded as "Tây Bắc Hub", on nobody's behalf."""
        return self.key is None and self.unscoped

    def producers(self) -> tuple[frozenset[int], int | None]:
        """(ids of the producers it acts for, the user's own producer) — read inside the capture transaction."""
        if self.key is not None:
            return frozenset(self.key.producers.values_list("pk", flat=True)), None
        if self.user is None:
            return frozenset(), None
        rows = list(managed_producers(self.user).values_list("pk", "owner_id"))
        return frozenset(pk for pk, _ in rows), next((pk for pk, owner in rows if owner == self.user.pk), None)


# --- Ownership, in one set of queries -----------------------------------------------------------------------

HUB = None  # owner of a post office's GLN, or of a key under our prefix that nobody holds


@dataclass
class Owners:
    """Who holds each key of this hub that a document names (no entry: a foreign key)."""

    lots: dict[tuple[str, str], Lot] = field(default_factory=dict)
    gtins: dict[str, int] = field(default_factory=dict)
    glns: dict[str, int | None] = field(default_factory=dict)
    ssccs: dict[str, set[int | None]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, keys: Iterable[Key]) -> Owners:
        by_kind: dict[str, set[Key]] = defaultdict(set)
        for key in keys:
            by_kind[key.kind].add(key)
        owners = cls()
        gtins = {k.value for k in by_kind["gtin"]}
        if gtins:
            owners.gtins = dict(Variant.objects.filter(gtin__in=gtins).values_list("gtin", "shop__producer_id"))
        pairs = {(k.value, k.lot) for k in by_kind["gtin"] if k.lot is not None}
        if pairs:
            lots = Lot.objects.filter(variant__gtin__in={g for g, _ in pairs}, code__in={c for _, c in pairs})
            owners.lots = {
                (lot.variant.gtin, lot.code): lot
                for lot in lots.select_related("variant", "shop")
                if (lot.variant.gtin, lot.code) in pairs
            }
        glns = {k.value for k in by_kind["gln"]}
        if glns:
            owners.glns = dict(Location.objects.filter(gln__in=glns).values_list("gln", "shop__producer_id"))
        uris = {build.sscc_uri(k.value): k.value for k in by_kind["sscc"]}
        if uris:
            packed = EventIdentifier.objects.filter(
                field="parentID", value__in=uris, event__source=TraceEvent.Source.HUB
            ).values_list("value", "event__lot_links__lot__shop__producer_id")
            for uri, producer_id in packed:
                owners.ssccs[uris[uri]].add(producer_id)
        return owners

    def of(self, key: Key) -> set[int | None] | None:
        """The producers holding `key` (HUB for ours but nobody's), or None for another company's key."""
        if key.kind == "gtin":
            held: set[int | None] = set()
            if key.value in self.gtins:
                held.add(self.gtins[key.value])
            if key.lot is not None and (key.value, key.lot) in self.lots:
                held.add(self.lots[(key.value, key.lot)].shop.producer_id)
            if held:
                return held
        elif key.kind == "gln" and key.value in self.glns:
            return {self.glns[key.value]}
        elif key.kind == "sscc" and key.value in self.ssccs:
            return set(self.ssccs[key.value])
        return {HUB} if key.under_our_prefix() else None

    def lot(self, key: Key | None) -> Lot | None:
        return self.lots.get((key.value, key.lot)) if key and key.kind == "gtin" and key.lot is not None else None


@dataclass(frozen=True)
class Scope:
    """What the check found: our lots by class URI (for linking) and each event's producer (or None)."""

    lots: dict[str, Lot | None]
    on_behalf_of: list[int | None]


def _refusal(where: str, uri: str, key: Key, held: set[int | None], owners: Owners) -> ScopeError:
    what = {
        "gtin": "lot" if key.lot is not None else "product (GTIN)",
        "gln": "location (GLN)",
        "sscc": "carton or pallet (SSCC)",
    }.get(key.kind, "GS1 key")
    if key.kind == "gln" and key.value in owners.glns and held == {HUB}:
        why = "is a Tây Bắc Hub pickup point (post office)"
    elif held == {HUB}:
        why = "is under Tây Bắc Hub's GS1 company prefix but not allocated to a producer you act for"
    else:
        why = "belongs to a producer you do not act for"
    return ScopeError(
        f"{where}: {what} {uri} {why}. Capture events only about your own producers' lots, "
        "products, places and cartons.",
        field=where,
    )


def _behalf(held: set[int], capturer: Capturer, acts_for: frozenset[int], own: int | None) -> int | None:
    """The producer an event is recorded for: the one it names; with several, the caller's own, else the first."""
    if capturer.is_hub:
        return None
    if len(held) == 1:
        return next(iter(held))
    if held:
        return own if own in held else min(held)
    if own is not None:
        return own
    return next(iter(acts_for)) if len(acts_for) == 1 else None


def check(events: list[dict[str, Any]], capturer: Capturer) -> Scope:
    """Refuse (ScopeError) unless every identifier of ours in `events` is the capturer's; 5 queries at most."""
    found = [
        [
            (f"epcisBody.eventList[{i}].{path}", uri, key)
            for path, uri in named(event)
            if (key := parse(uri)) is not None
        ]
        for i, event in enumerate(events)
    ]
    owners = Owners.load(key for names in found for _, _, key in names)
    acts_for, own = (frozenset(), None) if capturer.is_hub else capturer.producers()
    behalf: list[int | None] = []
    for names in found:
        held_by_event: set[int] = set()
        for where, uri, key in names:
            held = owners.of(key)
            if held is None:
                continue
            if not capturer.unscoped and not held <= acts_for:
                raise _refusal(where, uri, key, held, owners)
            held_by_event |= {p for p in held if p is not None}
        behalf.append(_behalf(held_by_event, capturer, acts_for, own))
    lots = {
        uri: owners.lots.get(pair) for names in found for _, uri, _ in names if (pair := lot_class_key(uri)) is not None
    }
    return Scope(lots=lots, on_behalf_of=behalf)


def lot_class_key(epc_class: Any) -> tuple[str, str] | None:
    """(GTIN, lot code) of a lot-level class URI on id.gs1.org or on this hub's resolver, the forms an event
    must use to be linked to (and shown on the page of) one of our lots."""
    if not isinstance(epc_class, str):
        return None
    parts = urlsplit(epc_class)
    if f"{parts.scheme}://{parts.netloc}" not in ("https://id.gs1.org", settings.PUBLIC_URL):
        return None
    segments = parts.path.strip("/").split("/")
    if len(segments) != 4 or segments[0] != "01" or segments[2] != "10":
        return None
    return segments[1], unquote(segments[3])


def lots_for_classes(classes: Iterable[Any]) -> dict[str, Lot | None]:
    """Our lot behind each lot-level class URI (None if none), in one query."""
    pairs = {uri: pair for uri in classes if (pair := lot_class_key(uri)) is not None}
    if not pairs:
        return {}
    found = Lot.objects.filter(
        variant__gtin__in={g for g, _ in pairs.values()}, code__in={c for _, c in pairs.values()}
    ).select_related("variant")
    by_pair = {(lot.variant.gtin, lot.code): lot for lot in found}
    return {uri: by_pair.get(pair) for uri, pair in pairs.items()}
