"""Part of `taybac trace verify`: what the hub derives from each logged event must still say what the event says.

The log covers an event's canonical text, not the columns and rows built from it: TraceEvent's query columns
(what EPCIS queries filter on), the earlier event an error declaration declares (`declares`, what the trace page
strikes through), its EventIdentifier rows (MATCH_epc / MATCH_epcClass) and its EventLot links (what a lot's
page and bundle show). An edited `biz_step` makes a query return a wrong event; a deleted EventLot row hides an
event from its lot. So every event's text is parsed again, its columns, identifiers and links are derived with
the functions that stored them (`store.derive`, `store._identifiers`, `capture_scope`), and every difference is
named: event index, column, stored vs logged. Streamed in leaf order, one chunk of events and their rows at a
time (three queries per chunk, one more for a chunk with declarations, one per chunk for lots not seen before).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from taybac.traceability import capture_scope, store
from taybac.traceability.models import EventIdentifier, EventLot, Lot, TraceEvent
from taybac_verify.bundle import Report

COLUMNS = ("event_id", "event_type", "event_time", "record_time", "biz_step", "disposition", "biz_location")
IDENTIFIER_LENGTH = EventIdentifier._meta.get_field("value").max_length
MAX_CACHED_LOTS = 100_000  # class URI -> lot id entries kept between chunks


def _shown(value: Any) -> str:
    return repr(value.isoformat() if hasattr(value, "isoformat") else value)


class _Derived:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.lots: dict[str, int | None] = {}  # class URI -> our lot's id (None: not one of ours)
        self.names: dict[int, str] = {}  # lot id -> "gtin/code"
        self.problems = 0

    def fail(self, message: str) -> None:
        self.problems += 1
        self.report.fail(message)

    def chunk(self, rows: list[tuple], low: int, high: int) -> None:
        """Events with leaf_index in (low, high]: compare each with its identifier rows and lot links."""
        stored_ids: dict[int, Counter] = defaultdict(Counter)
        for event, name, value in EventIdentifier.objects.filter(
            event__leaf_index__gt=low, event__leaf_index__lte=high
        ).values_list("event_id", "field", "value"):
            stored_ids[event][(name, value)] += 1
        stored_links: dict[int, set[tuple[int, str]]] = defaultdict(set)
        for event, lot, role in EventLot.objects.filter(
            event__leaf_index__gt=low, event__leaf_index__lte=high
        ).values_list("event_id", "lot_id", "role"):
            stored_links[event].add((lot, role))
        parsed = []
        for pk, index, text, *columns in rows:
            try:
                event = json.loads(text)
                derived = store.derive(event)
                named = list(store._identifiers(event))  # the function store_events indexes with
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                self.fail(f"event #{index} ({columns[0]}): its logged text does not give its query columns ({exc})")
                continue
            parsed.append((pk, index, columns, derived, named))
        if len(self.lots) > MAX_CACHED_LOTS:
            self.lots.clear()
        unknown = {
            value
            for *_, named in parsed
            for field, value in named
            if field in store.LOT_ROLE and value not in self.lots
        }
        for uri, known in capture_scope.lots_for_classes(unknown).items():
            self.lots[uri] = known.pk if known else None
            if known is not None:
                self.names[known.pk] = f"{known.variant.gtin}/{known.code}"
        self.lots.update({uri: None for uri in unknown if uri not in self.lots})
        self._declarations(rows)
        for pk, index, columns, derived, named in parsed:
            self._columns(index, columns, derived)
            self._identifiers(index, columns[0], named, stored_ids.pop(pk, Counter()))
            expected = {
                (self.lots[value], store.LOT_ROLE[field])
                for field, value in named
                if field in store.LOT_ROLE and self.lots.get(value) is not None
            }
            self._links(index, columns[0], expected, stored_links.pop(pk, set()))

    def _declarations(self, rows: list[tuple]) -> None:
        """An error declaration must point at the earlier event with its eventID, and nothing else may point."""
        expected: dict[int, str] = {}
        for pk, _index, text, *_ in rows:
            try:
                event = json.loads(text)
            except ValueError:
                continue
            if isinstance(event, dict) and isinstance(event.get("errorDeclaration"), dict):
                expected[pk] = str(event.get("eventID"))
        originals = (
            dict(
                TraceEvent.objects.filter(event_id__in=set(expected.values()), declares__isnull=True).values_list(
                    "event_id", "pk"
                )
            )
            if expected
            else {}
        )
        for pk, index, _text, *columns in rows:
            stored, should = columns[-1], originals.get(expected[pk]) if pk in expected else None
            if stored != should:
                logged = f"a declaration of event id {should}" if should else "no declaration"
                self.fail(
                    f"event #{index} ({columns[0]}): it is stored as declaring event id {stored} erroneous, but "
                    f"its logged text makes it {logged}, so the trace pages show corrections wrongly"
                )

    def _columns(self, index: int, columns: list[Any], derived: dict[str, Any]) -> None:
        for column, stored in zip(COLUMNS, columns):
            if stored != derived[column]:
                self.fail(
                    f"event #{index} ({derived['event_id']}): its stored {column} is {_shown(stored)} but the "
                    f"logged event says {_shown(derived[column])}, so queries on it answer wrongly"
                )

    def _identifiers(self, index: int, event_id: str, named: list[tuple[str, str]], stored: Counter) -> None:
        expected = Counter((field, value[:IDENTIFIER_LENGTH]) for field, value in named)
        for (field, value), _count in (expected - stored).items():
            self.fail(
                f"event #{index} ({event_id}): the identifier index lacks {field} {value} that the logged "
                f"event names, so EPCIS queries for it miss the event"
            )
        for (field, value), _count in (stored - expected).items():
            self.fail(
                f"event #{index} ({event_id}): the identifier index lists {field} {value}, which the logged "
                f"event does not name, so EPCIS queries for it return the event wrongly"
            )

    def _links(self, index: int, event_id: str, expected: set, stored: set) -> None:
        strangers = {lot for lot, _ in stored - expected if lot not in self.names}
        for lot in Lot.objects.filter(pk__in=strangers).select_related("variant") if strangers else []:
            self.names[lot.pk] = f"{lot.variant.gtin}/{lot.code}"
        for lot, role in sorted(expected - stored):
            self.fail(
                f"event #{index} ({event_id}): it names lot {self.names[lot]} ({role}) but is not linked to "
                f"it, so the lot's page and bundle hide it"
            )
        for lot, role in sorted(stored - expected):
            self.fail(
                f"event #{index} ({event_id}): it is linked to lot {self.names.get(lot, lot)} ({role}), which "
                f"the logged event does not name there"
            )


def check_derived(report: Report, size: int, chunk: int) -> tuple[int, int]:
    """Check every event below `size`: (events checked, problems found)."""
    derived = _Derived(report)
    checked, low = 0, -1
    while True:
        rows = list(
            TraceEvent.objects.filter(leaf_index__gt=low, leaf_index__lt=size)
            .order_by("leaf_index")
            .values_list("pk", "leaf_index", "canonical", *COLUMNS, "declares_id")[:chunk]
        )
        if not rows:
            break
        high = rows[-1][1]
        derived.chunk(rows, low, high)
        checked, low = checked + len(rows), high
    if not derived.problems:
        report.passed(f"all {checked} events' query columns, identifiers and lot links are what their logged text says")
    return checked, derived.problems
