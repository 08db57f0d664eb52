"""EPCIS capture of error declarations (`POST /api/v1/epcis/capture`): the erroneous event repeated, same eventID,
with `errorDeclaration`, as EPCIS 2.0 and GS1's examples do. Accepted only for a recorded event in the caller's
scope and only if it is that event repeated; a second declaration is 409; the query returns the declaration."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from taybac.traceability.epcis import build
from taybac.traceability.models import TraceEvent
from tests.api.conftest import api_client, assert_error, make_capture_key  # noqa: F401 (fixtures)
from tests.traceability.conftest import two_sellers  # noqa: F401 (fixture)

CAPTURE = "/api/v1/epcis/capture"
EVENTS = "/api/v1/epcis/events"
EXAMPLES = Path(__file__).parent / "epcis_examples"
DECLARING = sorted(
    p
    for p in EXAMPLES.rglob("*.jsonld")
    if json.loads(p.read_text(encoding="utf-8"))["type"] == "EPCISDocument"
    and "errorDeclaration" in p.read_text(encoding="utf-8")
)


def post(client, document: dict[str, Any], key: str):
    return client.post(
        CAPTURE, json.dumps(document), content_type="application/ld+json", headers={"Authorization": f"Bearer {key}"}
    )


def events_of(client, **params: Any) -> list[dict[str, Any]]:
    response = client.get(EVENTS, params)
    assert response.status_code == 200, response.content
    return response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def declaration(original: dict[str, Any], **declared: Any) -> dict[str, Any]:
    """`original` repeated with an errorDeclaration (recordTime is the capturing system's, so dropped)."""
    event = {k: v for k, v in copy.deepcopy(original).items() if k != "recordTime"}
    event["errorDeclaration"] = {"declarationTime": "2026-01-02T03:04:05Z", "reason": "incorrect_data", **declared}
    return event


def document(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": [build.EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-02T03:04:05Z",
        "epcisBody": {"eventList": list(events)},
    }


@pytest.fixture
def harvest(two_sellers):
    """Seller A's harvest of lot A-1 (100 kg), the event a partner declares erroneous."""
    return TraceEvent.objects.filter(lot_links__lot=two_sellers.lot).order_by("leaf_index").first()


def test_a_declaration_with_its_corrective_event_is_accepted_and_the_query_returns_it(
    api_client, make_capture_key, two_sellers, harvest
):
    key = make_capture_key(two_sellers.a.producer)
    fixed = {k: v for k, v in copy.deepcopy(harvest.document).items() if k != "recordTime"}
    fixed["eventID"] = "urn:uuid:6a0c7c0e-9f0c-4d7e-9a51-5c3d6f7e8a90"
    fixed["quantityList"][0]["quantity"] = 90
    declared = declaration(harvest.document, correctiveEventIDs=[fixed["eventID"]])
    response = post(api_client, document(declared, fixed), key)
    assert response.status_code == 201, response.content
    assert response.json()["eventIDs"] == [harvest.event_id, fixed["eventID"]]
    stored = TraceEvent.objects.get(declares=harvest)
    assert stored.event_id == harvest.event_id and stored.capture_key is not None
    two_sellers.lot.refresh_from_db()
    assert two_sellers.lot.quantity == 90  # the lot follows its corrected creating event
    both = events_of(api_client, EQ_eventID=harvest.event_id)
    assert [("errorDeclaration" in e) for e in both] == [False, True]
    assert both[1]["errorDeclaration"]["correctiveEventIDs"] == [fixed["eventID"]]
    assert both[0] == harvest.document  # the erroneous event is still there, unchanged
    page = api_client.get(two_sellers.lot.get_absolute_url()).content.decode()
    assert "Đã báo sai" in page and "Đã xác minh" in page


def test_a_second_declaration_of_the_same_event_is_refused(api_client, make_capture_key, two_sellers):
    key = make_capture_key(two_sellers.a.producer)
    inspection = TraceEvent.objects.filter(biz_step="packing").order_by("leaf_index").first()
    assert post(api_client, document(declaration(inspection.document, reason="did_not_occur")), key).status_code == 201
    again = post(api_client, document(declaration(inspection.document)), key)
    error = assert_error(again, 409, "already_declared")
    assert inspection.event_id in error["message"] and "already declared" in error["message"]
    assert TraceEvent.objects.filter(event_id=inspection.event_id).count() == 2


def test_a_declaration_of_an_unknown_event_is_refused(api_client, make_capture_key, two_sellers, harvest):
    key = make_capture_key(two_sellers.a.producer)
    stray = declaration(harvest.document)
    stray["eventID"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    assert_error(post(api_client, document(stray), key), 400, "unknown_event")
    no_id = declaration(harvest.document)
    del no_id["eventID"]
    assert_error(post(api_client, document(no_id), key), 400, "unknown_event")
    assert TraceEvent.objects.count() == 3


def test_a_declaration_that_changes_the_event_is_refused(api_client, make_capture_key, two_sellers, harvest):
    key = make_capture_key(two_sellers.a.producer)
    changed = declaration(harvest.document)
    changed["quantityList"][0]["quantity"] = 90  # a correction goes in a corrective event, not the declaration
    error = assert_error(post(api_client, document(changed), key), 400, "declaration_mismatch")
    assert "quantityList" in error["message"]
    assert TraceEvent.objects.count() == 3


def test_a_declaration_out_of_scope_is_refused(api_client, make_capture_key, two_sellers, harvest):
    other = make_capture_key(two_sellers.b.producer)
    error = assert_error(post(api_client, document(declaration(harvest.document)), other), 403, "not_your_identifier")
    assert "epcisBody.eventList[0]" in error["field"]
    assert TraceEvent.objects.count() == 3


def test_declaring_a_lots_creation_without_recreating_it_is_refused(api_client, make_capture_key, two_sellers, harvest):
    key = make_capture_key(two_sellers.a.producer)
    response = post(api_client, document(declaration(harvest.document, reason="did_not_occur")), key)
    assert_error(response, 400, "lot_without_creation")
    assert TraceEvent.objects.count() == 3  # all or nothing


@pytest.mark.parametrize("path", DECLARING, ids=[p.relative_to(EXAMPLES).as_posix() for p in DECLARING])
def test_gs1_declaration_examples_are_accepted_once_their_event_is_recorded(api_client, make_capture_key, path):
    """Each of GS1's examples with an errorDeclaration: the declared event is captured first (the example without
    its declaration), then the example itself; one without an eventID cannot say what it declares."""
    key = make_capture_key()
    example = json.loads(path.read_text(encoding="utf-8"))
    sent = example["epcisBody"]["eventList"]
    originals = [{k: v for k, v in e.items() if k != "errorDeclaration"} for e in sent if "errorDeclaration" in e]
    if any("eventID" not in e for e in originals):
        assert_error(post(api_client, example, key), 400, "unknown_event")
        return
    first = {**example, "epcisBody": {"eventList": originals}}
    assert post(api_client, first, key).status_code == 201
    response = post(api_client, example, key)
    assert response.status_code == 201, response.content
    for original in originals:
        found = events_of(api_client, EQ_eventID=original["eventID"])
        assert len(found) == 2 and "errorDeclaration" in found[1] and "errorDeclaration" not in found[0]
        assert TraceEvent.objects.get(event_id=original["eventID"], declares__isnull=False).declares.leaf_index == 0
    again = {**example, "epcisBody": {"eventList": [e for e in sent if "errorDeclaration" in e]}}
    assert_error(post(api_client, again, key), 409, "already_declared")
