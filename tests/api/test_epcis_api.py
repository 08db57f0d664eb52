"""EPCIS 2.0 over HTTP: `POST /api/v1/epcis/capture` (authenticated) and `GET /api/v1/epcis/events` (public).

Every valid GS1 example document is captured and then found again by the query endpoint, and every query answer
is checked against GS1's official schema as an EPCISQueryDocument."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from taybac.accounts.models import Role
from taybac.api import epcis as epcis_api
from taybac.traceability import log, store
from taybac.traceability.epcis import build
from taybac.traceability.epcis.validation import validate_query_document
from taybac.traceability.models import TraceEvent
from tests.api.conftest import assert_error
from tests.factories import make_user
from tests.traceability.conftest import two_sellers  # noqa: F401 (fixture)
from tests.traceability.test_query import EPC_A, L1, PALLET, RECORDED, capture_at, ids, sample_events

EXAMPLES_DIR = Path(__file__).parents[1] / "traceability" / "epcis_examples"
DOCUMENTS = sorted(
    p for p in EXAMPLES_DIR.rglob("*.jsonld") if json.loads(p.read_text(encoding="utf-8"))["type"] == "EPCISDocument"
)
CAPTURE = "/api/v1/epcis/capture"
EVENTS = "/api/v1/epcis/events"
KEY = ""  # the all-producers key of the running test (set by partner_key)


@pytest.fixture(autouse=True)
def partner_key(make_capture_key):
    """Every test here captures with an all-producers key unless it says otherwise; another key exists too."""
    global KEY
    make_capture_key(name="Một đối tác khác")
    KEY = make_capture_key(name="Hệ thống HTX Chè Shan tuyết")
    return KEY


def load(path: Path | str) -> dict[str, Any]:
    return json.loads((EXAMPLES_DIR / path).read_text(encoding="utf-8"))


DEFAULT = object()


def post(client: Client, document: Any, *, key: Any = DEFAULT, content_type: str = "application/ld+json", **extra: Any):
    body = document if isinstance(document, (bytes, str)) else json.dumps(document)
    key = KEY if key is DEFAULT else key
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.post(CAPTURE, body, content_type=content_type, headers=headers, **extra)


def query(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(EVENTS, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/ld+json"
    body = response.json()
    assert validate_query_document(body) == []
    return body


def event_list(body: dict[str, Any]) -> list[dict[str, Any]]:
    return body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


# --- capture: GS1's examples ----------------------------------------------------------------------------------


def test_the_examples_cover_every_kind_of_event_and_feature():
    assert len(DOCUMENTS) == 46
    events = [e for p in DOCUMENTS for e in load(p)["epcisBody"]["eventList"]]
    assert {e["type"] for e in events} == {
        "ObjectEvent",
        "AggregationEvent",
        "TransformationEvent",
        "TransactionEvent",
        "AssociationEvent",
    }
    fields = {key for e in events for key in e}
    assert {
        "quantityList",
        "childQuantityList",
        "inputQuantityList",
        "outputQuantityList",
        "sourceList",
        "destinationList",
        "ilmd",
        "sensorElementList",
        "certificationInfo",
        "errorDeclaration",
        "bizTransactionList",
        "persistentDisposition",
    } <= fields
    assert any(":" in key and not key.startswith("http") for key in fields)  # extension namespace fields
    text = " ".join(p.read_text(encoding="utf-8") for p in DOCUMENTS)
    assert "urn:epc:id:sgtin:" in text and "https://id.gs1.org/01/" in text  # URN and Digital Link identifiers


# GS1's two error-declaration examples declare events they do not hold: captured, with those events recorded
# first, in tests/traceability/test_corrections_capture.py.
STANDALONE = [p for p in DOCUMENTS if "errorDeclaration" not in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", STANDALONE, ids=[p.relative_to(EXAMPLES_DIR).as_posix() for p in STANDALONE])
def test_every_gs1_example_is_captured_and_queried_back(api_client, db, path):
    document = load(path)
    sent = document["epcisBody"]["eventList"]
    response = post(api_client, document)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["captured"] == len(sent) == TraceEvent.objects.count()
    assert answer["first_index"] == 0 and log.size() == len(sent)
    for event, event_id in zip(sent, answer["eventIDs"]):
        assert event_id == event.get("eventID", event_id) and event_id.startswith(("urn:uuid:", "ni:///"))

    everything = query(api_client)
    returned = event_list(everything)
    assert [e["eventID"] for e in returned] == answer["eventIDs"]
    assert returned == [row.document for row in TraceEvent.objects.order_by("leaf_index")]
    for original, stored in zip(sent, returned):
        added = {"recordTime", "eventID", "@context"} - set(original)  # what the hub adds to each event
        expected = {k: v for k, v in original.items() if k != "recordTime"}
        assert {k: v for k, v in stored.items() if k not in added and k != "recordTime"} == expected
        assert stored["recordTime"].endswith("Z")

    for event_id in answer["eventIDs"]:
        assert [e["eventID"] for e in event_list(query(api_client, EQ_eventID=event_id))] == [event_id]
    kinds = ",".join(sorted({e["type"] for e in sent}))
    assert len(event_list(query(api_client, eventType=kinds))) == len(sent)
    epcs = [epc for e in sent for epc in e.get("epcList", []) + e.get("childEPCs", [])]
    if epcs:
        found = event_list(query(api_client, MATCH_anyEPC=epcs[0]))
        assert found and all(epcs[0] in json.dumps(e) for e in found)


def test_capture_records_the_key_user_or_session_user(api_client, catalog):
    assert post(api_client, build.document(sample_events()[:1], created=RECORDED[0])).status_code == 201
    row = TraceEvent.objects.get()
    assert row.recorded_by is None and row.capture_key.name == "Hệ thống HTX Chè Shan tuyết"  # a key is no user
    owner = catalog.honey_shop.producer.owner
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get("/dang-nhap/")  # any page that sets the CSRF cookie
    honey = catalog.honey.variants.first()
    own = {
        **sample_events()[1],
        "childQuantityList": [{"epcClass": build.lot_class(honey.gtin, "L1"), "quantity": 2}],
        "parentID": "urn:epc:id:sscc:4012345.0000000001",
        "childEPCs": [],
        "bizLocation": {"id": "https://id.gs1.org/414/4012345000016"},
    }
    document = build.document([own], created=RECORDED[0])
    refused = post(client, document, key=None)
    assert_error(refused, 403, "forbidden")
    assert "CSRF" in refused.json()["error"]["message"]
    token = client.cookies["csrftoken"].value
    response = post(client, document, key=None, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    captured = TraceEvent.objects.get(event_id=response.json()["eventIDs"][0])
    assert captured.recorded_by == owner and captured.on_behalf_of == catalog.honey_shop.producer
    assert captured.capture_key is None


# --- capture: refusals ----------------------------------------------------------------------------------------


def test_no_credentials_is_401(api_client, db):
    document = load("Example_9.6.1-ObjectEvent.jsonld")
    assert_error(post(api_client, document, key=None), 401, "unauthenticated")
    assert_error(post(api_client, document, key="wrong"), 401, "unauthenticated")
    assert_error(post(api_client, document, key=KEY[:-1]), 401, "unauthenticated")
    assert_error(
        api_client.post(
            CAPTURE, json.dumps(document), content_type="application/json", headers={"Authorization": f"Basic {KEY}"}
        ),
        401,
        "unauthenticated",
    )
    assert not TraceEvent.objects.exists()


def test_no_live_key_means_no_key_works(api_client, db):
    """A revoked key, a token whose secret is wrong, or no key at all: 401, nothing stored."""
    from taybac.traceability import capture_keys
    from taybac.traceability.models import CaptureKey

    document = load("Example_9.6.1-ObjectEvent.jsonld")
    lookup, secret = KEY[4:14], KEY[15:]
    forged = f"tbk_{lookup}_{secret[::-1]}"
    assert_error(post(api_client, document, key=forged), 401, "unauthenticated")
    assert_error(post(api_client, document, key=" "), 401, "unauthenticated")
    capture_keys.revoke(key=CaptureKey.objects.get(lookup=lookup))
    assert_error(post(api_client, document, key=KEY), 401, "unauthenticated")
    assert not TraceEvent.objects.exists()


def test_a_signed_in_buyer_may_not_capture(db):
    client = Client()
    client.force_login(make_user(role=Role.BUYER))
    assert_error(post(client, load("Example_9.6.1-ObjectEvent.jsonld"), key=None), 403, "forbidden")
    operator = Client()
    operator.force_login(make_user(role=Role.OPERATOR))
    assert post(operator, load("Example_9.6.1-ObjectEvent.jsonld"), key=None).status_code == 201


OBJECT = "Example_9.6.1-ObjectEvent.jsonld"
E0 = "epcisBody.eventList[0]"


def mutate(name: str, change) -> dict[str, Any]:
    document = load(name)
    change(document["epcisBody"]["eventList"][0])
    return document


INVALID = [
    (
        "bad event time",
        mutate(OBJECT, lambda e: e.update(eventTime="2024-13-01T00:00:00Z")),
        f"{E0}.eventTime",
        "RFC 3339",
    ),
    (
        "time without offset",
        mutate(OBJECT, lambda e: e.update(eventTime="2024-05-01T08:30:00")),
        f"{E0}.eventTime",
        "offset",
    ),
    (
        "bad URI",
        mutate(OBJECT, lambda e: e.update(bizLocation={"id": "kho số 2"})),
        f"{E0}.bizLocation.id",
        "absolute URI",
    ),
    ("bad EPC", mutate(OBJECT, lambda e: e["epcList"].__setitem__(0, "sgtin 123")), f"{E0}.epcList[0]", "sgtin"),
    ("wrong event type", mutate(OBJECT, lambda e: e.update(type="ObjectEvnt")), f"{E0}.type", "ObjectEvnt"),
    ("missing action", mutate(OBJECT, lambda e: e.pop("action")), f"{E0}.action", "action"),
    (
        "negative quantity",
        mutate("Example_9.6.3-AggregationEvent.jsonld", lambda e: e["childQuantityList"][0].update(quantity=-1)),
        f"{E0}.childQuantityList[0].quantity",
        "non-negative",
    ),
    ("query document", load("EPCISQueryDocument.jsonld"), "type", "EPCISDocument"),
    ("not an object", [1, 2], "", "expected a JSON object"),
]


@pytest.mark.parametrize("document,field,words", [case[1:] for case in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_documents_are_refused_with_field_errors(api_client, db, document, field, words):
    error = assert_error(post(api_client, document), 400, "invalid_epcis")
    assert field in {d["field"] for d in error["details"]}
    detail = next(d for d in error["details"] if d["field"] == field)
    assert words in detail["message"] and detail["location"] == "body"
    assert error["message"].startswith("invalid EPCIS document")
    assert not TraceEvent.objects.exists() and log.size() == 0


@pytest.mark.parametrize("moment", ["2016-12-31T23:59:60Z", "2024-05-01t08:30:00z", "0001-01-01T00:00:00+14:00"])
def test_unusual_but_valid_event_times_are_captured(api_client, db, moment):
    """Leap seconds, lower-case t/z and instants at the edge of what UTC can hold are valid RFC 3339."""
    assert post(api_client, mutate(OBJECT, lambda e: e.update(eventTime=moment))).status_code == 201
    assert moment in {e.document["eventTime"] for e in TraceEvent.objects.all()}  # the leaf keeps what was sent


def test_every_error_of_a_document_is_listed(api_client, db):
    document = mutate(OBJECT, lambda e: e.update(eventTime="yesterday", readPoint={"id": "not a uri"}))
    document["epcisBody"]["eventList"][1]["type"] = "Event"
    error = assert_error(post(api_client, document), 400, "invalid_epcis")
    assert {d["field"] for d in error["details"]} == {
        f"{E0}.eventTime",
        f"{E0}.readPoint.id",
        "epcisBody.eventList[1].type",
    }


@pytest.mark.parametrize(
    "body,words",
    [
        (b"{", "Not JSON"),
        (b'{"a": NaN}', "NaN"),
        (b"\xc3\x28", "UTF-8"),
        (b"  ", "Not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "deeper than 64"),
        (b"[" * 65 + b"]" * 65, "deeper than 64"),
        (b'{"a": ' + b"9" * 4000 + b"}", "more than 20 digits"),
        (b'{"a": "\\u0000"}', "NUL"),
    ],
)
def test_malformed_json_is_400(api_client, db, body, words):
    error = assert_error(post(api_client, body), 400, "invalid_json")
    assert words in error["message"]


def test_content_type_and_size(api_client, db, monkeypatch):
    document = load(OBJECT)
    error = assert_error(post(api_client, document, content_type="text/plain"), 415, "unsupported_media_type")
    assert set(error) == {"code", "message"} and "text/plain" in error["message"]  # no null members
    assert post(api_client, document, content_type="application/json; charset=utf-8").status_code == 201
    monkeypatch.setattr(epcis_api, "MAX_CAPTURE_BYTES", 1000)
    error = assert_error(
        post(api_client, mutate(OBJECT, lambda e: e.update(eventID="urn:uuid:" + "1" * 2000))), 413, "too_large"
    )
    assert "split it" in error["message"]


def test_duplicate_event_is_409_and_nothing_is_stored(api_client, db):
    document = load(OBJECT)
    assert post(api_client, document).status_code == 201
    error = assert_error(post(api_client, document), 409, "duplicate_event")
    assert error["field"] == "eventID" and error["message"].split()[1] in {
        e["eventID"] for e in event_list(query(api_client))
    }
    twice = build.document([sample_events()[0], sample_events()[0]], created=RECORDED[0])
    assert_error(post(api_client, twice), 409, "duplicate_event")
    assert TraceEvent.objects.count() == 2 and log.size() == 2


def test_too_many_events(api_client, db, monkeypatch):
    monkeypatch.setattr(store, "MAX_CAPTURE_EVENTS", 1)
    error = assert_error(
        post(api_client, build.document(sample_events()[:2], created=RECORDED[0])), 400, "too_many_events"
    )
    assert error["field"] == "epcisBody.eventList"


def test_a_document_without_events_captures_nothing(api_client, db):
    response = post(api_client, build.document([], created=RECORDED[0]))
    assert response.status_code == 201
    assert response.json() == {"captured": 0, "eventIDs": [], "first_index": None}
    broken = build.document([], created=RECORDED[0])
    broken["creationDate"] = "today"
    assert_error(post(api_client, broken), 400, "invalid_epcis")


def test_events_without_id_get_one_and_record_time_is_the_hubs(api_client, db):
    event = {k: v for k, v in sample_events()[0].items() if k != "eventID"}
    event["recordTime"] = "2000-01-01T00:00:00Z"
    answer = post(api_client, build.document([event], created=RECORDED[0])).json()
    assert answer["eventIDs"][0].startswith("urn:uuid:") and answer["first_index"] == 0
    stored = event_list(query(api_client))[0]
    assert stored["eventID"] == answer["eventIDs"][0] and stored["recordTime"] != "2000-01-01T00:00:00Z"


# --- query ----------------------------------------------------------------------------------------------------


@pytest.fixture
def stored(db, monkeypatch):
    events = sample_events()
    return capture_at(monkeypatch, RECORDED[0], events[:3]) + capture_at(monkeypatch, RECORDED[1], events[3:])


def test_empty_result_is_a_valid_query_document(api_client, db):
    body = query(api_client)
    assert event_list(body) == [] and body["type"] == "EPCISQueryDocument"
    assert body["epcisBody"]["queryResults"]["queryName"] == "SimpleEventQuery"


HTTP_CASES = [
    ({"eventType": "AggregationEvent,AssociationEvent"}, [2, 5]),
    ({"GE_eventTime": "2025-03-01T07:00:00+07:00"}, [3, 4, 5]),
    ({"LT_eventTime": "2025-03-01T00:00:00Z"}, [1, 2]),
    ({"GE_recordTime": "2025-06-02T00:00:00Z"}, [4, 5]),
    ({"LT_recordTime": "2025-06-02T07:00:00+07:00"}, [1, 2, 3]),
    ({"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-packing, shipping"}, [2, 4]),
    ({"EQ_bizStep": "urn:epcglobal:cbv:bizstep:commissioning"}, [1]),
    ({"EQ_disposition": "in_transit,urn:epcglobal:cbv:disp:active"}, [1, 4]),
    ({"EQ_bizLocation": L1}, [1, 3]),
    ({"MATCH_epc": EPC_A}, [1, 4]),
    ({"MATCH_anyEPC": PALLET}, [2, 4]),
    ({"MATCH_epcClass": "https://id.gs1.org/01/08939999000017/10/LOT1"}, [1]),
    ({"MATCH_anyEPCClass": "https://id.gs1.org/01/08939999000017/10/LOT1"}, [1, 3]),
    ({"MATCH_parentID": PALLET, "MATCH_inputEPC": "urn:epc:id:sgtin:8939999.000001.3"}, []),
    (
        {
            "MATCH_outputEPC": "urn:epc:id:sgtin:8939999.000001.4",
            "MATCH_outputEPCClass": "https://id.gs1.org/01/08939999000024/10/LOT3",
            "MATCH_inputEPCClass": "https://id.gs1.org/01/08939999000017/10/LOT1",
        },
        [3],
    ),
    ({"EQ_eventID": ",".join(ids(5, 1))}, [1, 5]),
    ({"eventType": "ObjectEvent,TransactionEvent", "MATCH_anyEPC": EPC_A, "GE_eventTime": "2025-02-01T00:00:00Z"}, [4]),
]


@pytest.mark.parametrize("params,expected", HTTP_CASES, ids=[str(i) for i in range(len(HTTP_CASES))])
def test_each_query_parameter_filters(api_client, stored, params, expected):
    assert [e["eventID"] for e in event_list(query(api_client, **params))] == ids(*expected)


def test_pages_follow_the_link_header(api_client, stored):
    seen, params, pages = [], {"perPage": 2, "EQ_bizLocation": f"{L1},urn:epc:id:sgln:8939999.00002.0"}, 0
    while True:
        response = api_client.get(EVENTS, params)
        assert response.status_code == 200 and validate_query_document(response.json()) == []
        seen += [e["eventID"] for e in event_list(response.json())]
        pages += 1
        if not response.has_header("Link"):
            break
        target, rel = response["Link"].split(";")
        assert rel.strip() == 'rel="next"' and target.startswith("<http://testserver/api/v1/epcis/events?")
        params = {k: v[0] for k, v in parse_qs(urlsplit(target.strip("<> ")).query).items()}
        assert params["EQ_bizLocation"].startswith(L1) and params["perPage"] == "2"  # filters carried over
    assert seen == ids(1, 2, 3) and pages == 2
    assert not api_client.get(EVENTS, {"perPage": 5}).has_header("Link")


def test_query_answer_headers_and_content_types(api_client, stored):
    response = api_client.get(EVENTS)
    assert response["GS1-EPCIS-Version"] == "2.0.0" and response["GS1-CBV-Version"] == "2.0.0"
    as_json = api_client.get(EVENTS, HTTP_ACCEPT="application/json")
    assert as_json["Content-Type"] == "application/json" and as_json.json() == {
        **response.json(),
        "creationDate": as_json.json()["creationDate"],
    }
    assert (
        api_client.get(EVENTS, HTTP_ACCEPT="application/ld+json, application/json")["Content-Type"]
        == "application/ld+json"
    )


@pytest.mark.parametrize(
    "params,field",
    [
        ({"GE_eventTime": "2025-01-01"}, "GE_eventTime"),
        ({"LT_eventTime": "2025-01-01T00:00:00"}, "LT_eventTime"),
        ({"GE_recordTime": "2025-02-30T00:00:00Z"}, "GE_recordTime"),
        ({"LT_recordTime": "1700000000"}, "LT_recordTime"),
        ({"eventType": "ObjectEvent,Shipment"}, "eventType"),
        ({"eventType": ""}, "eventType"),
        ({"EQ_bizStep": "shipping,,receiving"}, "EQ_bizStep"),
        ({"MATCH_epc": "urn:epc:id:sgtin:1.2.3\n"}, "MATCH_epc"),
        ({"perPage": 0}, "perPage"),
        ({"perPage": 1001}, "perPage"),
        ({"nextPageToken": "not-a-token"}, "nextPageToken"),
    ],
)
def test_malformed_query_parameters_are_422(api_client, db, params, field):
    error = assert_error(api_client.get(EVENTS, params), 422, "validation_error")
    assert [d["field"] for d in error["details"]] == [field]


def test_query_is_one_sql_statement(api_client, stored, django_assert_num_queries):
    params = {
        "eventType": "TransactionEvent",
        "MATCH_anyEPC": PALLET,
        "MATCH_epc": EPC_A,
        "EQ_bizStep": "shipping",
        "GE_eventTime": "2025-01-01T00:00:00Z",
        "perPage": 1,
    }
    with django_assert_num_queries(1):
        body = query(api_client, **params)
    assert [e["eventID"] for e in event_list(body)] == ids(4)


def test_captured_then_queried_round_trip_keeps_extensions(api_client, db):
    document = load("WithFullCombinationOfFields/object_event_all_possible_fields.jsonld")
    declared = {k: v for k, v in document["epcisBody"]["eventList"][0].items() if k != "errorDeclaration"}
    first = {**document, "epcisBody": {"eventList": [declared]}}  # the event its errorDeclaration declares
    assert post(api_client, first).status_code == 201
    assert post(api_client, copy.deepcopy(document)).status_code == 201
    stored = event_list(query(api_client))[1]
    assert stored["@context"] == document["@context"]  # the document's namespaces travel with the event
    extension_keys = [k for k in document["epcisBody"]["eventList"][0] if ":" in k]
    assert extension_keys and all(stored[k] == document["epcisBody"]["eventList"][0][k] for k in extension_keys)


# --- who may capture what (issue 10, item 1) ------------------------------------------------------------------


def _session(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/dang-nhap/")
    return client, client.cookies["csrftoken"].value


def _inspection_failed(lot_class: str) -> dict[str, Any]:
    return build.document(
        [
            {
                "type": "ObjectEvent",
                "eventTime": "2026-01-05T08:00:00+07:00",
                "eventTimeZoneOffset": "+07:00",
                "action": "OBSERVE",
                "bizStep": "inspecting",
                "disposition": "non_conformant",
                "quantityList": [{"epcClass": lot_class, "quantity": 100}],
                "taybac:inspector": "Kiểm tra viên",
            }
        ],
        created=RECORDED[0],
    )


def test_a_seller_cannot_fail_another_cooperatives_lot(two_sellers):
    """The attack: a new seller captured "Kiểm tra: không đạt" on another cooperative's tea lot."""
    s = two_sellers
    page = Client().get(s.lot.get_absolute_url()).content
    before = (log.size(), TraceEvent.objects.count())
    client, token = _session(s.b.producer.owner)
    lot_class = build.lot_class(s.tea.gtin, s.lot.code)
    error = assert_error(
        post(client, _inspection_failed(lot_class), key=None, HTTP_X_CSRFTOKEN=token), 403, "not_your_identifier"
    )
    assert error["field"] == "epcisBody.eventList[0].quantityList[0].epcClass" and lot_class in error["message"]
    assert (log.size(), TraceEvent.objects.count()) == before
    after = Client().get(s.lot.get_absolute_url()).content
    assert after == page and "không đạt".encode() not in after
    # A's own helper may record it: the page then says who did.
    client, token = _session(s.helper)
    assert post(client, _inspection_failed(lot_class), key=None, HTTP_X_CSRFTOKEN=token).status_code == 201
    assert (
        "Ghi bởi: Lò Thị Lan thay mặt HTX Chè Shan tuyết Suối Giàng"
        in Client().get(s.lot.get_absolute_url()).content.decode()
    )


def test_a_revoked_helper_cannot_capture(two_sellers):
    from taybac.accounts.services import revoke_delegation

    s = two_sellers
    revoke_delegation(delegation=s.delegation, revoked_by=s.a.producer.owner)
    client, token = _session(s.helper)
    response = post(
        client, _inspection_failed(build.lot_class(s.tea.gtin, s.lot.code)), key=None, HTTP_X_CSRFTOKEN=token
    )
    assert_error(response, 403, "forbidden")  # manages nobody any more
    assert not TraceEvent.objects.filter(source="capture").exists()


def test_a_scoped_key_in_and_out_of_scope(api_client, two_sellers, make_capture_key):
    s = two_sellers
    token = make_capture_key(s.b.producer, name="Phần mềm của hộ Vàng A Dình")
    assert_error(
        post(api_client, _inspection_failed(build.lot_class(s.tea.gtin, s.lot.code)), key=token),
        403,
        "not_your_identifier",
    )
    own = post(api_client, _inspection_failed(build.lot_class(s.honey.gtin, "B-1")), key=token)
    assert own.status_code == 201, own.content
    row = TraceEvent.objects.get(event_id=own.json()["eventIDs"][0])
    assert row.capture_key.name == "Phần mềm của hộ Vàng A Dình" and row.on_behalf_of == s.b.producer
    assert row.capture_key.last_used_at is not None


def test_keys_are_stored_hashed(db):
    import hashlib

    from taybac.traceability import capture_keys
    from taybac.traceability.models import CaptureKey

    new = capture_keys.create(name="Đối tác", producers=[], all_producers=True)
    secret = new.token[len("tbk_") + 11 :]  # after "tbk_<lookup>_"
    assert len(secret) == 43  # 32 random bytes
    row = CaptureKey.objects.filter(pk=new.key.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(new.token.encode()).hexdigest()
    assert not any(secret in str(value) for value in row.values())
    from django.db import connection

    with connection.cursor() as cursor:  # nowhere in the table, whatever the column
        cursor.execute(f"SELECT * FROM {CaptureKey._meta.db_table}")
        assert secret not in repr(cursor.fetchall())


def test_capture_key_command_create_list_revoke(api_client, two_sellers, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    s = two_sellers
    call_command("capture_key", "create", "--name", "Kho lạnh Sa Pa", "--producer", str(s.a.producer.pk))
    token = capsys.readouterr().out.strip()
    assert token.startswith("tbk_")
    assert post(api_client, _inspection_failed(build.lot_class(s.tea.gtin, s.lot.code)), key=token).status_code == 201
    call_command("capture_key", "list")
    listing = capsys.readouterr().out
    assert "Kho lạnh Sa Pa" in listing and f"producers: {s.a.producer.pk}" in listing and token not in listing
    key_id = listing.split("Kho lạnh Sa Pa")[0].strip().splitlines()[-1].split("\t")[0]
    call_command("capture_key", "revoke", key_id)
    assert_error(
        post(api_client, _inspection_failed(build.lot_class(s.tea.gtin, s.lot.code)), key=token), 401, "unauthenticated"
    )
    with pytest.raises(CommandError, match="--all-producers"):
        call_command("capture_key", "create", "--name", "Không phạm vi")
    with pytest.raises(CommandError, match="No producer"):
        call_command("capture_key", "create", "--name", "Sai", "--producer", "999999")


def test_operators_create_and_revoke_keys_in_the_admin(two_sellers):
    from taybac.core.models import AuditEntry
    from taybac.traceability.models import CaptureKey

    s = two_sellers
    operator = make_user(role=Role.OPERATOR, is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(operator)
    page = admin.post(
        "/quan-tri/traceability/capturekey/add/", {"name": "Nhà máy chè Tân Uyên", "producers": [s.a.producer.pk]}
    )
    assert page.status_code == 200, page.content
    token = re.search(r"tbk_[0-9a-f]{10}_[A-Za-z0-9_-]{43}", page.content.decode()).group(0)
    key = CaptureKey.objects.get(name="Nhà máy chè Tân Uyên")
    assert list(key.producers.all()) == [s.a.producer] and key.created_by == operator
    assert token not in admin.get(f"/quan-tri/traceability/capturekey/{key.pk}/change/").content.decode()
    response = admin.post("/quan-tri/traceability/capturekey/", {"action": "revoke", "_selected_action": [key.pk]})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert {e.action for e in AuditEntry.objects.filter(target_id=str(key.pk), actor=operator)} == {
        "capture_key.created",
        "capture_key.revoked",
    }
    seller = Client()
    seller.force_login(s.b.producer.owner)
    assert seller.get("/quan-tri/traceability/capturekey/").status_code == 302  # not staff: to the login page
