"""Appends racing each other (eight helpers recording at once) stay serial: no lost leaf, no shared index,
one checkpoint per size, and the signed roots match the leaves. Real threads, real transactions."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from taybac.traceability import log
from taybac.traceability.models import Checkpoint, TraceEvent
from taybac.traceability.services import record_harvest
from taybac_verify import note, tlog
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_harvests_make_eight_leaves_in_one_consistent_tree():
    variant = factories.make_product(name="Mật ong bạc hà", quantity=10).variants.get()
    owner = variant.shop.producer.owner
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def record(i: int) -> None:
        try:
            barrier.wait()
            record_harvest(
                actor=owner, variant=variant, harvested_on=datetime.date.today(), quantity=10 + i, code=f"LOT-{i}"
            )
        except Exception as error:  # any failure must show in the assertion
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    events = list(TraceEvent.objects.order_by("leaf_index"))
    assert [e.leaf_index for e in events] == list(range(8)) and log.size() == 8
    assert sorted(Checkpoint.objects.values_list("size", flat=True)) == list(range(1, 9))
    leaves = [e.canonical.encode() for e in events]
    for checkpoint in Checkpoint.objects.all():
        opened = note.open_checkpoint(checkpoint.note, log.public_key(), log.origin())
        assert opened.root_hash == tlog.mth(leaves[: opened.size]) == bytes(checkpoint.root_hash)


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_racing_itself_packs_once():
    from taybac.traceability.services import record_packing

    variant = factories.make_product(name="Mật ong bạc hà", quantity=10).variants.get()
    owner = variant.shop.producer.owner
    lot = record_harvest(actor=owner, variant=variant, harvested_on=datetime.date.today(), quantity=40)
    answers: list[list[str]] = []
    barrier = threading.Barrier(6)

    def tap() -> None:
        try:
            barrier.wait()
            answers.append(record_packing(actor=owner, lot=lot, cartons=2, per_carton=5, request_key="web:tap"))
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 6 and all(a == answers[0] for a in answers) and len(answers[0]) == 2
    assert TraceEvent.objects.filter(biz_step="packing").count() == 2 and log.size() == 3
