"""The log's public HTTP contract: /log/checkpoint, /log/key, /log/entries, /log/proof/*, /log/bundle/*.

Shapes and headers as docs/traceability.md promises, every proof checked with tlog against the signed
checkpoint, bad parameters answered with a 400 in the API's error envelope (never a 500), pinned queries.
"""

from __future__ import annotations

import base64

import pytest

from taybac.traceability import log, views
from taybac.traceability.models import TraceEvent
from taybac_verify import note, tlog


@pytest.fixture
def lots(tea_history):
    """Lot A (harvest, inspection, two cartons, input of C), lot B (harvest, input of C), lot C (processed)."""
    return tea_history


def _json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"]
    return body["error"]


def _b64(values):
    return [tlog.decode_hash(v) for v in values]


def test_checkpoint_is_404_text_while_the_log_is_empty(client, db):
    response = client.get("/log/checkpoint")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "empty" in response.content.decode()


def test_checkpoint_and_key(client, lots):
    response = client.get("/log/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    key = client.get("/log/key")
    assert key["Content-Type"] == "text/plain; charset=utf-8" and "max-age" in key["Cache-Control"]
    vkey = key.content.decode().strip()
    assert vkey == log.public_key()
    name, key_id, raw = vkey.split("+", 2)
    assert name == log.origin() and len(key_id) == 8 and base64.b64decode(raw)[0] == 0x01
    checkpoint = note.open_checkpoint(response.content.decode(), vkey, log.origin())
    assert checkpoint.size == log.size() == 6
    assert checkpoint.root_hash == tlog.mth([e.canonical.encode() for e in TraceEvent.objects.order_by("leaf_index")])
    assert client.post("/log/checkpoint").status_code == 405


def test_entries_give_the_exact_leaf_bytes_in_one_query(client, lots, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/log/entries?start=1&end=4")
    assert response.status_code == 200
    items = response.json()["items"]
    assert list(response.json()) == ["items"]
    assert [item["index"] for item in items] == [1, 2, 3]
    for item in items:
        leaf = base64.b64decode(item["leaf"])
        assert leaf == TraceEvent.objects.get(leaf_index=item["index"]).canonical.encode("utf-8")
    assert response["Cache-Control"] == views.IMMUTABLE  # a full page never changes
    # Past the end: a short page (not cached), then nothing.
    tail = client.get("/log/entries?start=4&end=100")
    assert [i["index"] for i in tail.json()["items"]] == [4, 5] and tail["Cache-Control"] == "no-cache"
    assert client.get("/log/entries?start=6&end=7").json() == {"items": []}


def test_entries_page_is_capped(client, lots, monkeypatch):
    monkeypatch.setattr(views, "MAX_ENTRIES", 2)
    items = client.get("/log/entries?start=0&end=6").json()["items"]
    assert [i["index"] for i in items] == [0, 1]


def test_the_documented_cap():
    assert views.MAX_ENTRIES == 1000  # docs/traceability.md says so


@pytest.mark.parametrize(
    "query",
    [
        "",
        "start=0",
        "end=3",
        "start=a&end=3",
        "start=-1&end=3",
        "start=1.5&end=3",
        "start=%2B1&end=3",
        "start=1_0&end=30",
        "start=%D9%A1&end=3",
        "start=3&end=3",
        "start=4&end=2",
        "start=0&end=" + "9" * 30,
        "start= 1&end=3",
        "start=9223372036854775808&end=9223372036854775809",
    ],
)
def test_entries_bad_parameters_are_400(client, lots, query):
    assert _json_error(client.get(f"/log/entries?{query}"), 400)["code"] == "invalid"


def test_every_inclusion_proof_verifies_against_the_checkpoint_roots(client, lots):
    leaves = [e.canonical.encode() for e in TraceEvent.objects.order_by("leaf_index")]
    for size in range(1, len(leaves) + 1):
        root = tlog.mth(leaves[:size])
        for index in range(size):
            response = client.get(f"/log/proof/inclusion?index={index}&tree_size={size}")
            assert response.status_code == 200
            body = response.json()
            assert body["leaf_index"] == index and body["tree_size"] == size
            tlog.verify_inclusion(tlog.leaf_hash(leaves[index]), index, size, _b64(body["hashes"]), root)


def test_every_consistency_proof_verifies(client, lots):
    leaves = [e.canonical.encode() for e in TraceEvent.objects.order_by("leaf_index")]
    for second in range(1, len(leaves) + 1):
        for first in range(1, second + 1):
            body = client.get(f"/log/proof/consistency?first={first}&second={second}").json()
            assert body["first"] == first and body["second"] == second
            tlog.verify_consistency(
                first, second, tlog.mth(leaves[:first]), tlog.mth(leaves[:second]), _b64(body["hashes"])
            )


@pytest.mark.parametrize(
    "path",
    [
        "/log/proof/inclusion?index=0",
        "/log/proof/inclusion?tree_size=3",
        "/log/proof/inclusion?index=3&tree_size=3",
        "/log/proof/inclusion?index=0&tree_size=0",
        "/log/proof/inclusion?index=0&tree_size=7",
        "/log/proof/inclusion?index=x&tree_size=3",
        "/log/proof/inclusion?index=0&tree_size=" + "9" * 25,
        "/log/proof/consistency?first=0&second=3",
        "/log/proof/consistency?first=4&second=3",
        "/log/proof/consistency?first=1&second=7",
        "/log/proof/consistency?first=1",
        "/log/proof/consistency?second=-2",
        "/log/proof/inclusion?index=9223372036854775807&tree_size=9223372036854775808",
    ],
)
def test_proof_bad_parameters_are_400(client, lots, path):
    assert _json_error(client.get(path), 400)["code"] == "invalid"


def test_proof_reads_are_logarithmic(client, lots, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get("/log/proof/inclusion?index=2&tree_size=6").status_code == 200


def test_bundle_of_a_lot(client, lots):
    a, b, c = lots
    response = client.get(f"/log/bundle/{a.variant.gtin}/{a.code}")
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    bundle = response.json()
    assert {"origin", "key", "checkpoint", "tree_size", "events"} <= set(bundle)
    assert bundle["origin"] == log.origin() and bundle["key"] == log.public_key()
    assert bundle["checkpoint"] == log.latest_checkpoint().note and bundle["tree_size"] == 6
    # Harvest, inspection, two cartons, and the processing that used it as an input.
    assert [e["index"] for e in bundle["events"]] == [0, 2, 3, 4, 5]
    checkpoint = note.open_checkpoint(bundle["checkpoint"], bundle["key"], bundle["origin"])
    for event in bundle["events"]:
        leaf = base64.b64decode(event["leaf"])
        assert leaf == TraceEvent.objects.get(leaf_index=event["index"]).canonical.encode()
        tlog.verify_inclusion(
            tlog.leaf_hash(leaf), event["index"], checkpoint.size, _b64(event["proof"]), checkpoint.root_hash
        )
    assert [e["index"] for e in client.get(f"/log/bundle/{b.variant.gtin}/{b.code}").json()["events"]] == [1, 5]
    assert [e["index"] for e in client.get(f"/log/bundle/{c.variant.gtin}/{c.code}").json()["events"]] == [5]


def test_bundle_queries_do_not_grow_with_events(client, lots, django_assert_max_num_queries):
    a = lots[0]
    with django_assert_max_num_queries(6):
        assert client.get(f"/log/bundle/{a.variant.gtin}/{a.code}").status_code == 200


def test_bundle_errors_are_json(client, lots):
    a = lots[0]
    assert _json_error(client.get(f"/log/bundle/{a.variant.gtin}/NOPE"), 404)["code"] == "not_found"
    assert _json_error(client.get(f"/log/bundle/{'1' * 14}/{a.code}"), 404)["code"] == "not_found"
    assert _json_error(client.get(f"/log/bundle/123/{a.code}"), 404)["code"] == "not_found"
    assert _json_error(client.get("/log/nothing-here"), 404)["code"] == "not_found"
