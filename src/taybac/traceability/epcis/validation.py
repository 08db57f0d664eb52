"""Validate EPCIS 2.0 JSON/JSON-LD documents against GS1's JSON Schema, with field-level errors.

Pure (no Django) so capture endpoints, management commands and tests share one definition of
"valid". GS1's schema marks timestamps and identifiers with ``format``, which JSON Schema treats
as advisory; here formats are enforced, plus a few rules the schema cannot express (EPC URIs,
non-negative quantities). jsonschema's anyOf/oneOf cascades are collapsed into one clear line
per field, so a single mistake in one event reads as one error, not forty.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import FormatChecker
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from taybac.traceability.epcis._messages import (
    NOT_DATE_TIME,
    NOT_EPC,
    NOT_OFFSET,
    Found,
    Path,
    describe,
    format_path,
    json_type,
    leaves,
    short,
    sort_key,
)

__all__ = [
    "EPCIS_DOCUMENT",
    "EPCIS_QUERY_DOCUMENT",
    "MAX_ERRORS",
    "EpcisValidationError",
    "FieldError",
    "is_absolute_uri",
    "is_epc_uri",
    "is_rfc3339",
    "load_schema",
    "validate_document",
    "validate_or_raise",
    "validate_query_document",
]

EPCIS_DOCUMENT = "EPCISDocument"
EPCIS_QUERY_DOCUMENT = "EPCISQueryDocument"
SCHEMA_RESOURCE = ("data", "EPCIS-JSON-Schema.json")
MAX_ERRORS = 50
MAX_ERRORS_PER_EVENT = 8
_MAX_RAW_ERRORS = 2000  # stop walking a hopeless document early
EVENT_TYPES = ("ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent")
EPC_LIST_FIELDS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
QUANTITY_LIST_FIELDS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")

_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.[0-9]+)?(?:[Zz]|[+-]([0-9]{2}):([0-9]{2}))\Z"
)
_TZ_OFFSET = re.compile(r"[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00)\Z")
_URN = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+\Z", re.IGNORECASE)
_HTTP = re.compile(r"https?://[^/?#\s]+", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class FieldError:
    """One problem: `path` like ``epcisBody.eventList[0].eventTime`` ("" is the document itself)."""

    path: str
    message: str


class EpcisValidationError(ValueError):
    """Raised by `validate_or_raise`; `errors` keeps every field-level problem for API responses."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        first = self.errors[0] if self.errors else FieldError("", "invalid")
        more = f" (+{len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        super().__init__(f"invalid EPCIS document: {first.path or 'document'}: {first.message}{more}")


def is_rfc3339(value: object) -> bool:
    """RFC 3339 date-time *with* an offset (EPCIS forbids floating local times); real calendar dates."""
    if not isinstance(value, str):
        return True  # formats only constrain strings; `type` reports the rest
    m = _DATE_TIME.match(value)
    if not m:
        return False
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    oh, om = int(m.group(7) or 0), int(m.group(8) or 0)
    try:
        datetime(y, mo, d, h, mi, min(s, 59))  # second 60 is a leap second, allowed by RFC 3339
    except ValueError:
        return False
    return s <= 60 and oh <= 23 and om <= 59


@lru_cache(maxsize=1)
def _format_checker() -> FormatChecker:
    """Draft checkers plus our strict date-time; fail closed if the uri/iri extras are missing."""
    checker = FormatChecker(())
    checker.checkers = dict(validator_for(load_schema()).FORMAT_CHECKER.checkers)
    for name in ("uri", "iri"):
        if name not in checker.checkers:
            raise RuntimeError(f"jsonschema cannot check format {name!r}: install jsonschema[format-nongpl]")
        func, raises = checker.checkers[name]
        checker.checkers[name] = (_no_whitespace(func), raises)
    checker.checkers["date-time"] = (is_rfc3339, ())
    return checker


def _no_whitespace(func: Any) -> Any:
    """rfc3986-validator anchors with ``$``, which lets a trailing newline through."""

    def check(value: object) -> bool:
        bad = isinstance(value, str) and any(c.isspace() or ord(c) < 0x20 for c in value)
        return not bad and bool(func(value))

    return check


def is_absolute_uri(value: str) -> bool:
    """RFC 3986 absolute URI (scheme and all), as GS1's ``format: uri`` means it."""
    return _format_checker().conforms(value, "uri")


def is_epc_uri(value: str) -> bool:
    """EPCs and classes must be URNs (``urn:epc:id:sgtin:…``) or http(s) GS1 Digital Link URIs."""
    return is_absolute_uri(value) and bool(_URN.match(value) or _HTTP.match(value))


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """GS1's EPCIS 2.0 JSON Schema, shipped verbatim as package data."""
    text = resources.files(__package__).joinpath(*SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Validator:
    """The Draft class named by the schema's own ``$schema`` (draft-07), with formats enforced."""
    cls = validator_for(load_schema())
    cls.check_schema(load_schema())
    return cls(load_schema(), format_checker=_format_checker())


def validate_document(doc: object) -> list[FieldError]:
    """Every problem with an ``EPCISDocument`` (empty list when valid). Never raises on bad input."""
    return _validate(doc, EPCIS_DOCUMENT)


def validate_query_document(doc: object) -> list[FieldError]:
    """Same as `validate_document`, for ``EPCISQueryDocument`` (query results)."""
    return _validate(doc, EPCIS_QUERY_DOCUMENT)


def validate_or_raise(doc: object) -> None:
    """Raise `EpcisValidationError` carrying all field errors unless `doc` is a valid EPCISDocument."""
    if errors := validate_document(doc):
        raise EpcisValidationError(errors)


def _validate(doc: object, doc_type: str) -> list[FieldError]:
    if not isinstance(doc, dict):
        return [FieldError("", f"document: expected a JSON object, got {json_type(doc)}")]
    if doc.get("type") != doc_type:
        why = "is missing" if "type" not in doc else f"is {short(doc.get('type'))}"
        return [FieldError("type", f"type: {why}; expected {doc_type!r}")]
    try:
        return _collect(doc, doc_type)
    except RecursionError:
        return [FieldError("", "document: nested too deeply to validate")]


def _collect(doc: dict[str, Any], doc_type: str) -> list[FieldError]:
    found: dict[Path, str] = {}
    raw = itertools.islice(_validator().iter_errors(doc), _MAX_RAW_ERRORS)
    described = (d for e in raw for leaf in leaves(e) for d in describe(leaf))
    for path, message in itertools.chain(_extra_checks(doc, doc_type), described):
        found.setdefault(path, message)  # first wins: our own checks speak most plainly
    # GS1's if/then dispatch on event `type` lacks `required`, so an untyped event is checked against
    # all five event schemas at once: report only its type.
    base, events = _events(doc, doc_type)
    untyped = {
        (*base, i) for i, ev in enumerate(events) if isinstance(ev, dict) and not isinstance(ev.get("type"), str)
    }
    per_event: dict[Path, int] = {}
    errors: list[FieldError] = []
    for path in sorted(found, key=sort_key):
        group = path[: len(base) + 1] if path[: len(base)] == base else path
        if group in untyped and path != (*group, "type"):
            continue
        per_event[group] = per_event.get(group, 0) + 1
        if per_event[group] <= MAX_ERRORS_PER_EVENT:
            errors.append(FieldError(format_path(path), found[path]))
    if len(errors) > MAX_ERRORS:
        errors[MAX_ERRORS - 1 :] = [FieldError("", f"{len(errors) - MAX_ERRORS + 1} more errors not shown")]
    return errors


def _events(doc: dict[str, Any], doc_type: str) -> tuple[Path, list[Any]]:
    keys: Path = ("epcisBody", "eventList")
    if doc_type == EPCIS_QUERY_DOCUMENT:
        keys = ("epcisBody", "queryResults", "resultsBody", "eventList")
    node: Any = doc
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return keys, node if isinstance(node, list) else []


def _extra_checks(doc: dict[str, Any], doc_type: str) -> Iterator[Found]:
    base, events = _events(doc, doc_type)
    for i, event in enumerate(events):
        if isinstance(event, dict):
            yield from _event_checks(event, (*base, i))


def _event_checks(ev: dict[str, Any], at: Path) -> Iterator[Found]:
    """Event-level rules the schema states only as ``format`` (or not at all)."""
    kind = ev.get("type")
    if isinstance(kind, str) and kind not in EVENT_TYPES and not is_absolute_uri(kind):
        yield (
            (*at, "type"),
            (
                f"type: {short(kind)} is not an EPCIS event type ({', '.join(EVENT_TYPES)})"
                " nor an extension event type URI"
            ),
        )
    for key in ("eventTime", "recordTime"):
        if isinstance(ev.get(key), str) and not is_rfc3339(ev[key]):
            yield (*at, key), f"{key}: {short(ev[key])} {NOT_DATE_TIME}"
    offset = ev.get("eventTimeZoneOffset")
    if isinstance(offset, str) and not _TZ_OFFSET.match(offset):
        yield (*at, "eventTimeZoneOffset"), f"eventTimeZoneOffset: {short(offset)} {NOT_OFFSET}"
    for key in EPC_LIST_FIELDS:
        items = ev.get(key)
        for j, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, str) and not is_epc_uri(item):
                yield (*at, key, j), f"{key}[{j}]: {short(item)} {NOT_EPC}"
    if isinstance(ev.get("parentID"), str) and not is_epc_uri(ev["parentID"]):
        yield (*at, "parentID"), f"parentID: {short(ev['parentID'])} {NOT_EPC}"
    for key in ("readPoint", "bizLocation"):
        ident = ev[key].get("id") if isinstance(ev.get(key), dict) else None
        if isinstance(ident, str) and not is_absolute_uri(ident):
            yield (*at, key, "id"), f"{key}.id: {short(ident)} is not an absolute URI (urn:… or https://…)"
    for key in QUANTITY_LIST_FIELDS:
        items = ev.get(key)
        for j, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict):
                yield from _quantity_checks(item, (*at, key, j))


def _quantity_checks(item: dict[str, Any], at: Path) -> Iterator[Found]:
    cls = item.get("epcClass")
    if isinstance(cls, str) and not is_epc_uri(cls):
        yield (*at, "epcClass"), f"epcClass: {short(cls)} {NOT_EPC}"
    qty = item.get("quantity")
    if isinstance(qty, (int, float)) and not isinstance(qty, bool) and not (math.isfinite(qty) and qty >= 0):
        yield (*at, "quantity"), f"quantity: {short(qty)} must be a finite, non-negative number"
