"""`taybac trace verify`: the hub checks its own database against its signed checkpoints.

Tampering is done the way an intruder or a careless operator would, with raw SQL behind Django's back: an
edited event, a deleted event, an event rewritten together with its stored hashes. Each time the command exits
with status 1 and names the event; a clean log exits 0.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from taybac.traceability import audit, log
from taybac.traceability.models import Checkpoint, EventIdentifier, EventLot, LogNode, TraceEvent
from taybac.traceability.services import record_harvest
from taybac.traceability.store import store_events
from taybac_verify import tlog
from tests import factories

TODAY = datetime.date.today()


@pytest.fixture
def logged(tea_history):
    """Six leaves, one checkpoint per append: harvests 0 and 1, inspection 2, cartons 3-4, processing 5."""
    assert log.size() == 6 and Checkpoint.objects.count() == 5
    return {e.leaf_index: e.event_id for e in TraceEvent.objects.all()}


def trace_verify(capsys) -> tuple[int, str]:
    """Run `taybac trace verify` as the command line would: its exit status and what it printed."""
    try:
        call_command("trace", "verify")
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, capsys.readouterr().out


def sql(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def edit_event(leaf_index: int, old: str, new: str) -> str:
    text = TraceEvent.objects.get(leaf_index=leaf_index).canonical
    assert old in text
    text = text.replace(old, new, 1)
    sql(f"UPDATE {TraceEvent._meta.db_table} SET canonical = %s WHERE leaf_index = %s", [text, leaf_index])
    return text


def set_node(level: int, index: int, value: bytes) -> None:
    sql(f'UPDATE {LogNode._meta.db_table} SET hash = %s WHERE level = %s AND "index" = %s', [value, level, index])


def problems_naming(report, *needles):
    return [p for p in report.problems if all(n in p for n in needles)]


def test_a_clean_log_passes(logged, capsys):
    report = audit.verify_hub()
    assert report.ok, report.text()
    assert report.tree_size == 6
    status, out = trace_verify(capsys)
    assert status == 0, out
    assert "Result: VERIFIED" in out
    assert "matches all 5 checkpoints" in out and "all 6 leaves have their event" in out


def test_an_empty_log_passes(db, capsys):
    assert audit.verify_hub().ok
    assert trace_verify(capsys)[0] == 0


def test_an_edited_event_is_named(logged, capsys):
    edit_event(2, "HTX Suối Giàng", "HTX Suối Giàng (đã sửa)")
    status, out = trace_verify(capsys)
    assert status == 1
    assert f"event #2 ({logged[2]}): its stored text was changed after it was logged" in out
    # The leaf's own hash is intact, so the signed roots expose it too: the first bad checkpoint names it.
    assert "checkpoint of size 3: the leaves in the database no longer give the root it signed" in out
    assert f"leaves #2..#2 were changed or rewritten since they were signed: event #2 ({logged[2]})" in out
    assert "2 later checkpoint(s) (sizes up to 6) do not match either" in out
    assert "Result: NOT VERIFIED" in out


def test_a_deleted_event_is_named(logged, capsys):
    table = TraceEvent._meta.db_table
    event_pk = TraceEvent.objects.get(leaf_index=3).pk
    sql(f"DELETE FROM {EventLot._meta.db_table} WHERE event_id = %s", [event_pk])
    sql(f"DELETE FROM {EventIdentifier._meta.db_table} WHERE event_id = %s", [event_pk])
    sql(f"DELETE FROM {table} WHERE id = %s", [event_pk])
    status, out = trace_verify(capsys)
    assert status == 1
    assert "leaf #3: its event row is missing (deleted from the database)" in out
    report = audit.verify_hub()
    assert len(report.problems) == 1, report.text()  # the stored hash stands in: every checkpoint still matches
    assert any("matches all 5 checkpoints" in line for line in report.checked)


def test_a_deleted_last_event_is_named(logged):
    TraceEvent.objects.filter(leaf_index=5).delete()  # through the ORM this time (cascades to its links)
    assert problems_naming(audit.verify_hub(), "leaf #5", "missing")


def test_an_event_rewritten_with_its_stored_leaf_hash_is_still_caught(logged, capsys):
    text = edit_event(4, '"quantity":10', '"quantity":99')
    set_node(0, 4, tlog.leaf_hash(text.encode()))
    status, out = trace_verify(capsys)
    assert status == 1
    assert "its stored text was changed" not in out  # the leaf hash now agrees with the text...
    assert "subtree over leaves #4..#5 (level 1, index 2) does not match its two halves" in out  # ...its parent not
    assert (
        f"checkpoint of size 5: the leaves in the database no longer give the root it signed (the last "
        f"matching checkpoint is of size 3): leaves #3..#4 were changed or rewritten since they were signed: "
        f"event #3 ({logged[3]}), event #4 ({logged[4]})" in out
    )


def rebuild_all_nodes():
    """An intruder who recomputes every stored subtree hash from the edited events."""
    leaves = [e.canonical.encode() for e in TraceEvent.objects.order_by("leaf_index")]
    for level, index in LogNode.objects.values_list("level", "index"):
        set_node(level, index, tlog.mth(leaves[index << level : (index + 1) << level]))


def test_an_event_rewritten_with_the_whole_tree_is_caught_by_the_signatures(logged, capsys):
    edit_event(1, '"quantity":60', '"quantity":600')
    rebuild_all_nodes()
    status, out = trace_verify(capsys)
    assert status == 1
    report = audit.verify_hub()
    assert not problems_naming(report, "stored text was changed") and not problems_naming(report, "subtree")
    # Without the key nobody can sign the new root: the first checkpoint after the edit names the event.
    assert (
        f"checkpoint of size 2: the leaves in the database no longer give the root it signed (the last "
        f"matching checkpoint is of size 1): leaves #1..#1 were changed or rewritten since they were signed: "
        f"event #1 ({logged[1]})" in out
    )
    assert "3 later checkpoint(s) (sizes up to 6) do not match either" in out


def test_an_altered_inner_node_is_named(logged):
    set_node(1, 0, bytes(32))
    report = audit.verify_hub()
    assert problems_naming(report, "subtree over leaves #0..#1 (level 1, index 0) does not match")
    assert len(report.problems) == 1, report.text()  # its parent's mismatch is its doing: not reported twice


def test_a_missing_leaf_hash_is_named(logged):
    LogNode.objects.filter(level=0, index=2).delete()
    report = audit.verify_hub()
    assert problems_naming(report, f"event #2 ({logged[2]})", "no stored hash")
    assert len(report.problems) == 1, report.text()


def test_an_edited_checkpoint_is_caught(logged):
    checkpoint = Checkpoint.objects.get(size=5)
    body, signature = checkpoint.note.split("\n\n")
    origin, size, _root = body.split("\n")
    sql(
        f"UPDATE {Checkpoint._meta.db_table} SET note = %s WHERE id = %s",
        ["\n".join([origin, size, tlog.encode_hash(bytes(32))]) + "\n\n" + signature, checkpoint.pk],
    )
    report = audit.verify_hub()
    assert report.problems == [p for p in report.problems if "checkpoint of size 5: its signed note does not " in p]
    assert len(report.problems) == 1, report.text()  # the leaves are not blamed for a forged checkpoint
    sql(
        f"UPDATE {Checkpoint._meta.db_table} SET note = %s, root_hash = %s WHERE id = %s",
        [checkpoint.note, bytes(32), checkpoint.pk],
    )
    assert list(audit.verify_hub().problems) == [
        "checkpoint of size 5: its size/root_hash columns were changed and no longer agree with its signed note "
        "(size 5)"
    ]


def test_rows_the_log_does_not_account_for(logged):
    now = datetime.datetime.now(datetime.UTC)
    TraceEvent.objects.create(
        leaf_index=99,
        canonical="{}",
        event_id="urn:uuid:stray",
        event_type="ObjectEvent",
        event_time=now,
        record_time=now,
        source="hub",
    )
    Checkpoint.objects.filter(size=6).delete()
    report = audit.verify_hub()
    assert problems_naming(report, "beyond the log's size", "event #99 (urn:uuid:stray)")
    assert problems_naming(report, "leaves #5..#5 are not covered by any signed checkpoint")


def test_a_missing_key_file_is_reported(db, settings, tmp_path, shop):
    settings.DATA_DIR = tmp_path  # a fresh key, created by the first event
    tea = factories.make_product(shop=shop, name="Mận hậu", category_slug="che").variants.get()
    record_harvest(actor=shop.producer.owner, variant=tea, harvested_on=TODAY, quantity=5)
    assert audit.verify_hub().ok
    log.key_path().unlink()
    log._signer.cache_clear()  # as in a fresh process: nothing in memory either
    report = audit.verify_hub()
    assert problems_naming(report, "signing key file", "is missing")
    assert not log.key_path().exists()  # the check never creates a key (that would orphan the log)
    assert len(report.problems) == 1, report.text()  # the leaves still match what the checkpoints claim


def synthetic_events(count: int, start: int) -> list[dict]:
    when = "2026-01-01T00:00:00.000+07:00"
    return [
        {
            "type": "ObjectEvent",
            "eventID": f"urn:uuid:{uuid.UUID(int=start + i)}",
            "eventTime": when,
            "eventTimeZoneOffset": "+07:00",
            "recordTime": when,
            "action": "OBSERVE",
            "epcList": [],
        }
        for i in range(count)
    ]


def test_streaming_in_small_chunks_over_a_larger_log(db):
    """Appends of varied sizes (a checkpoint each) and chunks far smaller than the log: same verdicts."""
    total = 0
    for batch in [1, 2, 3, 5, 8, 13, 21, 34, 55, 1, 1, 60]:
        with transaction.atomic():
            store_events(synthetic_events(batch, total), source="hub")
        total += batch
    assert log.size() == total == 204
    report = audit.verify_hub(chunk_size=7)
    assert report.ok, report.text()
    edit_event(150, '"action":"OBSERVE"', '"action":"DELETE"')
    for chunk in (3, 7, 2000):
        report = audit.verify_hub(chunk_size=chunk)
        name = f"event #150 (urn:uuid:{uuid.UUID(int=150)})"
        assert problems_naming(report, name, "stored text was changed")
        # Checkpoints of sizes ..., 142, 143, 144 match; the append of 60 leaves (#144..#203) does not.
        assert problems_naming(
            report,
            "checkpoint of size 204",
            "the last matching checkpoint is of size 144",
            "leaves #144..#203",
            f"event #144 (urn:uuid:{uuid.UUID(int=144)}) to event #203 (urn:uuid:{uuid.UUID(int=203)}), 60 leaves",
        )


def test_compact_range_matches_the_reference_tree():
    leaves = [bytes([i]) * (i % 3 + 1) for i in range(70)]
    tree = tlog.CompactRange()
    assert tree.root() == tlog.EMPTY_ROOT
    for i, leaf in enumerate(leaves):
        tree.append(tlog.leaf_hash(leaf))
        assert tree.root() == tlog.mth(leaves[: i + 1])
        assert len(tree.stack) == bin(i + 1).count("1")  # O(log n) memory
