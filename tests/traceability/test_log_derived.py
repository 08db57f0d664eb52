"""What the hub derives from logged events (query columns, identifier rows, lot links) is checked against the logged
text: by `taybac trace verify`, and, for a lot's links, by the standalone verifier reading the whole log."""

from __future__ import annotations

import base64
import json

from django.db import connection
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from taybac.traceability import audit, log
from taybac.traceability.models import EventIdentifier, EventLot, Lot, TraceEvent
from taybac_verify import scan, verifier
from tests.traceability.test_verifier import HUB, client_fetch

GTIN = "08939999000017"


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def problems(report, *needles):
    return [p for p in report.problems if all(n in p for n in needles)]


def test_a_clean_log_has_matching_derived_rows(tea_history):
    report = audit.verify_hub()
    assert report.ok, report.text()
    assert "all 6 events' query columns, identifiers and lot links are what their logged text says" in report.checked


def test_an_edited_biz_step_is_named(tea_history):
    inspection = TraceEvent.objects.get(leaf_index=2)
    sql(
        f"UPDATE {TraceEvent._meta.db_table} SET biz_step = %s, biz_location = %s WHERE id = %s",
        ["shipping", "https://id.gs1.org/414/0000000000000", inspection.pk],
    )
    report = audit.verify_hub()
    assert problems(
        report,
        f"event #2 ({inspection.event_id}): its stored biz_step is 'shipping' but the logged event says 'inspecting'",
    )
    assert problems(report, "event #2", "stored biz_location is 'https://id.gs1.org/414/0000000000000'")
    assert len(report.problems) == 2, report.text()  # the leaf itself is intact: nothing else is blamed


def test_edited_times_type_and_event_id_are_named(tea_history):
    row = TraceEvent.objects.get(leaf_index=1)
    sql(
        f"UPDATE {TraceEvent._meta.db_table} SET event_type = %s, event_id = %s WHERE id = %s",
        ["AggregationEvent", "urn:uuid:forged", row.pk],
    )
    TraceEvent.objects.filter(pk=row.pk).update(event_time=row.event_time.replace(year=2001))
    report = audit.verify_hub()
    for column in ("event_type", "event_id", "event_time"):
        assert problems(report, "event #1", f"its stored {column} is"), report.text()


def test_a_deleted_lot_link_is_named_by_the_hub_and_by_the_standalone_verifier(tea_history, client):
    a = tea_history[0]
    inspection = TraceEvent.objects.get(leaf_index=2)
    sql(f"DELETE FROM {EventLot._meta.db_table} WHERE event_id = %s", [inspection.pk])
    report = audit.verify_hub()
    assert problems(
        report,
        f"event #2 ({inspection.event_id}): it names lot {a.variant.gtin}/A-1 (object) but is "
        f"not linked to it, so the lot's page and bundle hide it",
    ), report.text()
    bundle = client.get(f"/log/bundle/{a.variant.gtin}/A-1").json()
    assert 2 not in [e["index"] for e in bundle["events"]]  # the bundle alone still verifies...
    assert verifier.verify_bundle(bundle, trusted_key=log.public_key()).ok
    url = f"{HUB}/01/{a.variant.gtin}/10/A-1"
    scanned = verifier.fetch_and_verify(url, trusted_key=log.public_key(), fetch=client_fetch(client))
    assert problems(
        scanned,
        f"OMITTED: event #2 ({inspection.event_id}) names lot {a.variant.gtin}/A-1 but the lot's bundle leaves it out",
    ), scanned.text()  # ...the whole log does not
    skipped = verifier.fetch_and_verify(url, trusted_key=log.public_key(), fetch=client_fetch(client), scan=False)
    assert skipped.ok


def test_a_link_to_a_lot_the_event_does_not_name_and_a_lost_identifier_are_named(tea_history):
    _a, b, _ = tea_history
    inspection = TraceEvent.objects.get(leaf_index=2)  # about lot A only
    EventLot.objects.create(event=inspection, lot=b, role=EventLot.Role.OBJECT)
    EventIdentifier.objects.filter(event__leaf_index=3, field="parentID").delete()
    report = audit.verify_hub()
    assert problems(
        report, "event #2", f"it is linked to lot {b.variant.gtin}/B-1 (object), which the logged event does not name"
    )
    assert problems(report, "event #3", "the identifier index lacks parentID https://id.gs1.org/00/")


def test_the_scan_is_skipped_above_the_default_size_unless_forced(tea_history, client, monkeypatch):
    a = tea_history[0]
    url = f"{HUB}/01/{a.variant.gtin}/10/A-1"
    monkeypatch.setattr(verifier, "SCAN_DEFAULT_MAX", 5)
    requests = []
    report = verifier.fetch_and_verify(url, trusted_key=log.public_key(), fetch=client_fetch(client, requests))
    assert report.ok and "pass --scan-log" in report.warnings[-1]
    assert not [r for r in requests if r.startswith("/log/entries")]
    forced = verifier.fetch_and_verify(url, trusted_key=log.public_key(), fetch=client_fetch(client), scan=True)
    assert forced.ok and "the bundle holds every event that names lot" in forced.checked[-1]


def test_a_hub_that_hides_or_alters_entries_fails_the_scan(tea_history, client):
    a = tea_history[0]
    url = f"{HUB}/01/{a.variant.gtin}/10/A-1"

    def tampered(change):
        real = client_fetch(client)

        def fetch(address):
            body = real(address)
            return change(json.loads(body)) if "/log/entries" in address else body

        return fetch

    def drop(page):
        return json.dumps({"items": [i for i in page["items"] if i["index"] != 2]}).encode()

    def alter(page):
        page["items"][5]["leaf"] = base64.b64encode(b"{}").decode()
        return json.dumps(page).encode()

    hidden = verifier.fetch_and_verify(url, trusted_key=log.public_key(), fetch=tampered(drop))
    assert problems(hidden, "skips leaf #2 of its signed tree")
    altered = verifier.fetch_and_verify(url, trusted_key=log.public_key(), fetch=tampered(alter))
    assert problems(altered, "do not make up the signed tree")


def quantity(uri):
    return {"epcClass": uri, "quantity": 1}


LOT_URIS = st.sampled_from(
    [f"https://id.gs1.org/01/{GTIN}/10/A-1", f"{HUB}/01/{GTIN}/10/A-1", f"https://id.gs1.org/01/{GTIN}/10/A%2D1"]
)
OTHER_URIS = st.sampled_from(
    [
        f"https://id.gs1.org/01/{GTIN}/10/A-2",
        f"https://evil.example/01/{GTIN}/10/A-1",
        "https://id.gs1.org/01/08939999000024/10/A-1",
        f"https://id.gs1.org/01/{GTIN}",
        f"https://id.gs1.org/01/{GTIN}/10/A-1/21/7",
    ]
)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    fields=st.dictionaries(
        st.sampled_from(scan.CLASS_FIELDS + ("epcList", "bizStep")),
        st.lists(st.one_of(LOT_URIS, OTHER_URIS), max_size=3),
        max_size=4,
    )
)
def test_names_lot_exactly_when_a_quantity_list_names_the_lot(fields):
    event = {name: [quantity(u) for u in uris] for name, uris in fields.items()}
    expected = any(
        uri.endswith(("/10/A-1", "/10/A%2D1")) and not uri.startswith("https://evil") and GTIN in uri
        for name, uris in fields.items()
        if name in scan.CLASS_FIELDS
        for uri in uris
    )
    leaf = json.dumps(event).encode()
    assert scan.names_lot(leaf, GTIN, "A-1", HUB) == expected


def test_names_lot_agrees_with_the_links_the_hub_made(tea_history):
    """The standalone rule and the hub's linking (store_events) select the same events for every lot."""
    for lot in Lot.objects.select_related("variant"):
        linked = set(TraceEvent.objects.filter(lot_links__lot=lot).values_list("leaf_index", flat=True))
        named = {
            e.leaf_index
            for e in TraceEvent.objects.all()
            if scan.names_lot(e.canonical.encode(), lot.variant.gtin, lot.code, "https://other")
        }
        assert linked == named, lot.code
