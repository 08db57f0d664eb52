"""A log rolled back or forked behind the hub's back is noticed: by the hub (its record of the newest checkpoint it
signed, kept beside the key), by `taybac trace verify` and by the standalone verifier (their remembered state).

The attacks are done with raw SQL, as an intruder with database access would: delete the last events with their
identifiers, links, stored hashes and checkpoints, and set the head back.
"""

from __future__ import annotations

import argparse
import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from taybac.traceability import log
from taybac.traceability.models import Checkpoint, EventIdentifier, EventLot, LogHead, LogNode, TraceEvent
from taybac.traceability.services import record_harvest, record_inspection
from taybac_verify import note, verifier
from tests import factories
from tests.traceability.test_verifier import HUB, client_fetch

TODAY = datetime.date.today()


@pytest.fixture
def tea(shop):
    return factories.make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", unit="kg").variants.get()


@pytest.fixture
def committed(tea, django_capture_on_commit_callbacks):
    """Four harvests (A-1..A-4), each committed for real: the record beside the key says size 4."""

    def harvest(code):
        with django_capture_on_commit_callbacks(execute=True):
            return record_harvest(
                actor=tea.shop.producer.owner, variant=tea, harvested_on=TODAY, quantity=9, unit="kg", code=code
            )

    lots = [harvest(f"A-{n}") for n in range(1, 5)]
    assert log.signed_head().size == 4
    return harvest, lots


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def roll_back(keep: int) -> None:
    """Delete every event from leaf `keep` on, with its rows, stored hashes and checkpoints; set the head back."""
    events = list(TraceEvent.objects.filter(leaf_index__gte=keep).values_list("pk", flat=True))
    marks = ", ".join(["%s"] * len(events))
    for model in (EventLot, EventIdentifier):
        sql(f"DELETE FROM {model._meta.db_table} WHERE event_id IN ({marks})", events)
    sql(f"DELETE FROM {TraceEvent._meta.db_table} WHERE leaf_index >= %s", [keep])
    for level in range(64):
        sql(f'DELETE FROM {LogNode._meta.db_table} WHERE level = %s AND "index" >= %s', [level, keep >> level])
    sql(f"DELETE FROM {Checkpoint._meta.db_table} WHERE size > %s", [keep])
    sql(f"UPDATE {LogHead._meta.db_table} SET size = %s WHERE id = 1", [keep])


def trace_verify(capsys, *args) -> tuple[int, str]:
    try:
        call_command("trace", "verify", *args)
        status = 0
    except SystemExit as exc:
        status = exc.code
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_a_rolled_back_log_is_refused_by_the_hub(committed, client, capsys):
    harvest, lots = committed
    assert client.get("/log/checkpoint").status_code == 200
    roll_back(2)
    status, out = trace_verify(capsys)
    assert status == 1
    assert "ROLLBACK: the log holds 2 leaves but the newest checkpoint this hub signed and committed" in out
    assert "was of size 4: leaves #2..#3 were removed" in out
    response = client.get("/log/checkpoint")  # never a validly signed smaller checkpoint
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "log_behind" and "behind its last signed checkpoint" in error["message"]
    assert client.get(f"/log/bundle/{lots[0].variant.gtin}/A-1").status_code == 503
    with pytest.raises(
        log.LogRollbackError, match="holds 2 leaves but this hub signed and committed a checkpoint of size 4"
    ):
        harvest("B-1")
    assert log.size() == 2 and Checkpoint.objects.filter(size__gt=2).count() == 0


def test_a_lots_trace_page_is_not_verified_on_a_rolled_back_log(committed, client):
    _, lots = committed
    page = lots[0].get_absolute_url()
    assert "Đã xác minh" in client.get(page).content.decode()
    roll_back(2)  # the lot's own event (leaf 0) is still there, with its proof: only the record says otherwise
    html = client.get(page).content.decode()
    assert "Đã xác minh" not in html and "quay lùi" in html
    assert client.get(page, HTTP_ACCEPT="application/json").json()["verification"]["verified"] is False


def test_a_forked_log_of_the_same_size_is_refused(committed, client, capsys):
    harvest, _ = committed
    roll_back(3)
    sql(f"DELETE FROM {Checkpoint._meta.db_table}")  # and the intruder re-appends a different 4th leaf...
    record = log.signed_head()
    record.path.rename(record.path.with_name("saved"))
    harvest("X-1")  # ...which the hub signs, not knowing better (its record was moved away)
    record.path.with_name("saved").replace(record.path)  # then the record comes back: size 4, another root
    assert client.get("/log/checkpoint").status_code == 503
    assert "the log forked" in client.get("/log/checkpoint").json()["error"]["message"]
    status, out = trace_verify(capsys)
    assert status == 1 and "FORK: the leaves give a different tree of size 4 than the newest checkpoint" in out


def test_a_transaction_that_rolls_back_or_a_crash_after_commit_does_not_brick_the_hub(committed, capsys):
    harvest, lots = committed
    with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
        record_inspection(actor=lots[0].shop.producer.owner, lot=lots[0], passed=True, inspector="Sở")
        raise RuntimeError("boom")  # signed inside the transaction, never committed: the record did not move
    assert log.signed_head().size == 4 and log.size() == 4
    record_inspection(actor=lots[0].shop.producer.owner, lot=lots[0], passed=True, inspector="Sở")  # no on_commit:
    assert log.size() == 5 and log.signed_head().size == 4  # like a crash between commit and file write
    harvest("B-1")  # the database is ahead of the record: allowed, and the record catches up
    assert log.signed_head().size == 6
    assert trace_verify(capsys)[0] == 0


def test_trace_verify_remembers_what_it_verified(committed, capsys, settings):
    status, out = trace_verify(capsys)
    assert status == 0, out
    state = list((settings.DATA_DIR / "verify-state").glob("*.json"))
    assert len(state) == 1 and "remembered the checkpoint of size 4" in out
    assert note.open_checkpoint(json.loads(state[0].read_text())["checkpoint"], log.public_key()).size == 4
    log.record_path().unlink()  # the intruder also removed the hub's record: the state still knows
    roll_back(3)
    status, out = trace_verify(capsys)
    assert status == 1 and "ROLLBACK: the log holds 3 leaves but the checkpoint this verifier saw before" in out
    assert note.open_checkpoint(json.loads(state[0].read_text())["checkpoint"], log.public_key()).size == 4
    assert trace_verify(capsys, "--no-state")[0] == 0  # without it, the rollback is invisible (why it exists)


def test_trace_verify_against_a_previous_checkpoint_and_saving(committed, capsys, tmp_path):
    seen = tmp_path / "seen.checkpoint"
    status, out = trace_verify(capsys, "--save-checkpoint", str(seen), "--key", log.public_key(), "--no-state")
    assert status == 0, out
    assert seen.read_text() == log.latest_checkpoint().note and "the key file holds the trusted key" in out
    log.record_path().unlink()
    roll_back(2)
    status, out = trace_verify(capsys, "--previous-checkpoint", str(seen), "--no-state")
    assert status == 1 and "ROLLBACK" in out and "the checkpoint given with --previous-checkpoint" in out
    other = note.verifier_key(note.generate_signer(log.origin()))
    status, out = trace_verify(capsys, "--key", other, "--no-state")
    assert status == 1 and f"not the trusted key {other}" in out


MODES = {"hub": [], "file": ["BUNDLE"], "url": [f"{HUB}/01/08939999000017/10/A-1"]}
REFUSED = [  # (modes, options, message)
    (("hub", "file", "url"), ["--key", "/nonexistent/hub.key"], "--key '/nonexistent/hub.key': no such file"),
    (("hub", "file", "url"), ["--witness-key", "/nonexistent/w.key"], "--witness-key '/nonexistent/w.key': no such"),
    (("hub", "file", "url"), ["--previous-checkpoint", "/nonexistent/seen"], "--previous-checkpoint: cannot read"),
    (("hub", "file", "url"), ["--save-checkpoint", "/nonexistent/dir/seen"], "not a file in an existing directory"),
    (("hub", "file", "url"), ["--state", "/nonexistent/state"], "--state /nonexistent/state: no such directory"),
    (("file",), ["--consistency-proof", "/nonexistent/proof.json"], "--consistency-proof: cannot read"),
    (("hub", "url"), ["--consistency-proof", "PROOF"], "--consistency-proof is only for a bundle file"),
    (("hub",), ["--scan-log"], "the hub's own check always checks every event's lot links"),
    (("file",), ["--no-scan-log"], "need a lot URL"),
]


@pytest.mark.parametrize("mode,options,message", [(m, o, msg) for modes, o, msg in REFUSED for m in modes])
def test_every_option_works_in_every_mode_or_is_refused(committed, client, capsys, tmp_path, mode, options, message):
    bundle, proof = tmp_path / "bundle.json", tmp_path / "proof.json"
    bundle.write_bytes(client.get("/log/bundle/08939999000017/A-1").content)
    proof.write_text('{"first": 1, "second": 4, "hashes": []}')
    target = [str(bundle) if a == "BUNDLE" else a for a in MODES[mode]]
    status, out = trace_verify(capsys, *target, *[str(proof) if o == "PROOF" else o for o in options])
    assert status == 2, out
    assert out.startswith("error: ") and message in out


def test_the_standalone_verifier_remembers_and_fails_on_a_rollback(committed, client, tmp_path, capsys):
    _, lots = committed
    url = f"{HUB}/01/{lots[0].variant.gtin}/10/A-1"
    args = argparse.Namespace(
        target=url,
        key=log.public_key(),
        previous_checkpoint=None,
        witness_key=None,
        consistency_proof=None,
        save_checkpoint=None,
        state=str(tmp_path),
        no_state=False,
        scan_log=None,
    )
    assert verifier.run(args, fetch=client_fetch(client)) == 0
    assert "remembered this checkpoint (size 4)" in capsys.readouterr().out
    saved = next(tmp_path.glob("*.json")).read_text()
    log.record_path().unlink()  # the hub itself would refuse to serve it; suppose its record is gone too
    roll_back(3)
    assert verifier.run(args, fetch=client_fetch(client)) == 1
    out = capsys.readouterr().out
    assert (
        "ROLLBACK: the hub now serves a checkpoint of size 3, smaller than the checkpoint this verifier saw "
        "before (size 4" in out
    )
    assert next(tmp_path.glob("*.json")).read_text() == saved  # a failed run never writes the state


def test_a_fork_fails_against_the_remembered_checkpoint(committed, client, tmp_path):
    harvest, lots = committed
    url = f"{HUB}/01/{lots[0].variant.gtin}/10/A-1"
    state = verifier.StateStore(tmp_path)
    assert verifier.fetch_and_verify(url, trusted_key=log.public_key(), fetch=client_fetch(client), state=state).ok
    log.record_path().unlink()
    roll_back(3)
    harvest("X-1")
    same = verifier.fetch_and_verify(url, trusted_key=log.public_key(), fetch=client_fetch(client), state=state)
    assert not same.ok and any("SPLIT VIEW" in p for p in same.problems), same.text()
    harvest("X-2")
    longer = verifier.fetch_and_verify(url, trusted_key=log.public_key(), fetch=client_fetch(client), state=state)
    assert any(
        p.startswith("HISTORY REWRITTEN: the log's tree of size 5 does not extend its tree of size 4")
        for p in longer.problems
    ), longer.text()


def test_a_witness_cosignature_seen_once_is_required(committed, client, tmp_path, capsys):
    _, lots = committed
    url = f"{HUB}/01/{lots[0].variant.gtin}/10/A-1"
    witness = note.generate_cosigner("witness.sct.example")
    copy = tmp_path / "witness.checkpoint"
    copy.write_text(note.cosign(log.latest_checkpoint().note, witness))
    (tmp_path / "state").mkdir()
    base = {
        "target": url,
        "key": log.public_key(),
        "previous_checkpoint": None,
        "witness_key": None,
        "consistency_proof": None,
        "save_checkpoint": None,
        "state": str(tmp_path / "state"),
        "no_state": False,
        "scan_log": False,
    }

    def run(**extra):
        return verifier.run(
            argparse.Namespace(**{**base, **extra}),
            fetch=client_fetch(client),
        )

    assert run(previous_checkpoint=str(copy), witness_key=note.cosigner_key(witness)) == 0
    assert "is cosigned by the witness witness.sct.example" in capsys.readouterr().out
    assert run() == 1  # the witness's copy is no longer passed: a downgrade to the hub's word alone
    out = capsys.readouterr().out
    assert "no checkpoint in this verification is cosigned by the witness witness.sct.example" in out
    assert "a cosignature seen once is required from then on" in out
    assert run(previous_checkpoint=str(copy)) == 0  # remembered: no need to repeat --witness-key
    # The hub's own check keeps the same rule.
    status, out = trace_verify(capsys, "--previous-checkpoint", str(copy), "--witness-key", note.cosigner_key(witness))
    assert status == 0, out
    status, out = trace_verify(capsys)
    assert status == 1 and "required from then on" in out


def test_taybac_demo_and_serve_stop_with_the_reason_on_a_rolled_back_log(committed):
    from taybac import cli

    cli._refuse_rolled_back_log()  # a log at its recorded size starts
    roll_back(0)  # what deleting the demo's database file and keeping ./var/keys looks like
    with pytest.raises(SystemExit) as stopped:
        cli._refuse_rolled_back_log()
    message = str(stopped.value.code)
    assert "the database holds 0 leaves" in message and "Delete " in message and "keys" in message
