"""EPCIS 2.0 error declarations (corrections) in a log: is each one the event it declares erroneous, repeated?

In EPCIS 2.0 an event recorded wrongly is never changed: an *error declaration* is captured instead, which is
the same event (same eventID) repeated with an `errorDeclaration` member (declarationTime, reason such as
`incorrect_data` or `did_not_occur`, and the eventIDs of the corrective events). The hub and this verifier share
one definition of "the same event": every member equal as JSON values, except `recordTime` (set anew by the
system that captured it), `errorDeclaration` itself, and `@context`, which may only add entries (a namespace
for an extension field of the declaration). Standard library only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from taybac_verify.bundle import Report

IGNORED = ("recordTime", "errorDeclaration", "@context")
_ABSENT = object()


def _contexts(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def differences(original: dict[str, Any], declaration: dict[str, Any]) -> list[str]:
    """The members in which `declaration` is not `original` repeated (empty: it is the same event)."""
    if "errorDeclaration" in original:
        return ["errorDeclaration (the declared event is itself a declaration)"]
    names = sorted((set(original) | set(declaration)) - set(IGNORED))
    found = [name for name in names if original.get(name, _ABSENT) != declaration.get(name, _ABSENT)]
    sent = _contexts(declaration.get("@context"))
    if any(entry not in sent for entry in _contexts(original.get("@context"))):
        found.append("@context")
    return found


def declaration_of(event: Any) -> dict[str, Any] | None:
    """The `errorDeclaration` member of a parsed event, or None when the event declares nothing."""
    if not isinstance(event, dict):
        return None
    found = event.get("errorDeclaration")
    return found if isinstance(found, dict) else None


def _parse(leaf: bytes) -> dict[str, Any] | None:
    try:
        event = json.loads(leaf.decode("utf-8"))
    except (ValueError, UnicodeError):
        return None
    return event if isinstance(event, dict) else None


def check_declarations(report: Report, leaves: Iterable[tuple[int, bytes]]) -> None:
    """For each declaration among `leaves` ((index, bytes), verified ones): its original must come earlier and
    be the same event; the report says which event was declared erroneous, why, and what corrects it."""
    events = sorted((index, event) for index, leaf in leaves if (event := _parse(leaf)) is not None)
    first: dict[str, tuple[int, dict[str, Any]]] = {}
    corrective: dict[str, int] = {}
    for index, event in events:
        event_id = event.get("eventID")
        if isinstance(event_id, str) and declaration_of(event) is None:
            first.setdefault(event_id, (index, event))
            corrective.setdefault(event_id, index)
    for index, event in events:
        declared = declaration_of(event)
        if declared is None:
            continue
        event_id = str(event.get("eventID"))
        found = first.get(event_id)
        if found is None or found[0] > index:
            report.warn(
                f"event #{index} declares eventID {event_id} erroneous, but this bundle holds no earlier event "
                f"with that eventID to compare it with"
            )
            continue
        wrong = differences(found[1], event)
        if wrong:
            report.fail(
                f"event #{index} declares event #{found[0]} ({event_id}) erroneous but is not the same event "
                f"repeated: {', '.join(wrong)} differ"
            )
            continue
        ids = declared.get("correctiveEventIDs")
        fixes = [
            f"#{corrective[i]}" if i in corrective else i
            for i in (ids if isinstance(ids, list) else [])
            if isinstance(i, str)
        ]
        reason = declared.get("reason") or "no reason given"
        report.passed(
            f"event #{index} declares event #{found[0]} ({event_id}) erroneous ({reason}); it is that event "
            f"repeated with an errorDeclaration"
            + (f", corrected by event {', '.join(fixes)}" if fixes else ", with no corrective event")
        )
