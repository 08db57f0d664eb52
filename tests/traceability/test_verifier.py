"""The standalone verifier: a lot's bundle verifies; any altered byte, proof, checkpoint or key fails and names
the event; a rewritten history fails against a checkpoint seen before. Run as a third party would, from the
installed package alone: test_verifier_package.py."""

from __future__ import annotations

import base64
import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from taybac.traceability import log
from taybac.traceability.models import Checkpoint, LogHead, LogNode, TraceEvent
from taybac.traceability.services import record_harvest, record_inspection, record_packing
from taybac_verify import note, tlog, verifier
from taybac_verify.verifier import DownloadError, fetch_and_verify, parse_lot_url, verify_bundle
from tests import factories

TODAY = datetime.date.today()
HUB = "https://hub.example"


@pytest.fixture
def tea(shop):
    return factories.make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", unit="kg").variants.get()


@pytest.fixture
def lot(tea):
    """Events 0 (harvest), 1 (another lot), 2 (inspection), 3-4 (cartons): the lot has 0, 2, 3, 4."""
    owner = tea.shop.producer.owner
    lot = record_harvest(actor=owner, variant=tea, harvested_on=TODAY, quantity=100, unit="kg", code="A-1")
    record_harvest(actor=owner, variant=tea, harvested_on=TODAY, quantity=50, unit="kg", code="B-1")
    record_inspection(actor=owner, lot=lot, passed=True, inspector="HTX Suối Giàng")
    record_packing(actor=owner, lot=lot, cartons=2, per_carton=10)
    return lot


def lot_url(lot):
    return f"{HUB}/01/{lot.variant.gtin}/10/{lot.code}"


def client_fetch(client, seen=None):
    """fetch(url) served by the Django test client, as if the hub were at HUB."""

    def fetch(url):
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == HUB
        if seen is not None:
            seen.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        response = client.get(parts.path, dict(pair.split("=") for pair in parts.query.split("&") if pair))
        if response.status_code != 200:
            raise DownloadError(f"{url}: HTTP {response.status_code}")
        return response.content

    return fetch


def get_bundle(client, lot):
    return client.get(f"/log/bundle/{lot.variant.gtin}/{lot.code}").json()


def event_id(leaf_index):
    return TraceEvent.objects.get(leaf_index=leaf_index).event_id


def the_problem(report, *needles):
    """The report failed, and one problem line names all the needles."""
    assert not report.ok
    matches = [p for p in report.problems if all(n in p for n in needles)]
    assert matches, report.text()
    return matches[0]


def test_a_bundle_verifies(client, lot):
    bundle = get_bundle(client, lot)
    report = verify_bundle(bundle, trusted_key=log.public_key())
    assert report.ok, report.text()
    assert report.tree_size == 5 and report.checkpoint == bundle["checkpoint"]
    for index in (0, 2, 3, 4):
        assert any(f"event #{index} ({event_id(index)}) is leaf {index}" in line for line in report.checked)
    assert "VERIFIED" in report.text() and not report.warnings
    untrusted = verify_bundle(bundle)  # no key given: self-consistent only, and it says so
    assert untrusted.ok and "no trusted key" in untrusted.warnings[0]


def test_one_changed_byte_of_a_leaf_fails_and_names_the_event(client, lot):
    bundle = get_bundle(client, lot)
    leaf = base64.b64decode(bundle["events"][1]["leaf"])  # the inspection, leaf 2
    assert b"HTX Su" in leaf
    bundle["events"][1]["leaf"] = base64.b64encode(leaf.replace(b"HTX Su", b"HTX Sx", 1)).decode()
    report = verify_bundle(bundle, trusted_key=log.public_key())
    assert len(report.problems) == 1
    the_problem(report, f"event #2 ({event_id(2)})", "NOT in the signed log")
    assert any("event #0" in line for line in report.checked)  # the others still verify


def test_a_changed_proof_hash_fails_and_names_the_event(client, lot):
    bundle = get_bundle(client, lot)
    raw = bytearray(base64.b64decode(bundle["events"][2]["proof"][0]))
    raw[0] ^= 1
    bundle["events"][2]["proof"][0] = base64.b64encode(bytes(raw)).decode()
    the_problem(verify_bundle(bundle, trusted_key=log.public_key()), f"event #3 ({event_id(3)})")
    bundle["events"][2]["proof"] = bundle["events"][2]["proof"][1:]  # a shortened proof
    the_problem(verify_bundle(bundle, trusted_key=log.public_key()), f"event #3 ({event_id(3)})", "too short")
    bundle["events"][2]["proof"] = ["not base64!"]
    the_problem(verify_bundle(bundle, trusted_key=log.public_key()), "event #3", "malformed")


def test_an_event_moved_to_another_index_fails(client, lot):
    bundle = get_bundle(client, lot)
    bundle["events"][0]["index"] = 1
    the_problem(verify_bundle(bundle, trusted_key=log.public_key()), f"event #1 ({event_id(0)})")


def test_a_changed_checkpoint_fails_and_names_every_event(client, lot):
    bundle = get_bundle(client, lot)
    origin, size, _root, rest = bundle["checkpoint"].split("\n", 3)
    fake_root = tlog.encode_hash(bytes(32))
    bundle["checkpoint"] = "\n".join([origin, size, fake_root, rest])
    report = verify_bundle(bundle, trusted_key=log.public_key())
    the_problem(report, "checkpoint is not a valid note", "does not verify")
    for index in (0, 2, 3, 4):
        the_problem(report, f"event #{index} ({event_id(index)})", "not verified")


def test_another_key_fails_against_the_trusted_key(client, lot):
    """An impostor re-signs the same tree with its own key (same name) and puts its key in the bundle."""
    bundle = get_bundle(client, lot)
    impostor = note.generate_signer(log.origin())
    cp = note.open_checkpoint(bundle["checkpoint"], log.public_key(), log.origin())
    bundle["checkpoint"] = note.sign_checkpoint(cp.origin, cp.size, cp.root_hash, impostor)
    bundle["key"] = note.verifier_key(impostor)
    assert verify_bundle(bundle).ok  # self-consistent: why a verifier must bring the key it trusts
    report = verify_bundle(bundle, trusted_key=log.public_key())
    the_problem(report, "not the trusted key")
    the_problem(report, f"event #0 ({event_id(0)})", "not verified")
    # Keeping the real key in the bundle does not help either: the signature is not the hub's.
    bundle["key"] = log.public_key()
    the_problem(verify_bundle(bundle, trusted_key=log.public_key()), "checkpoint is not a valid note")


def test_malformed_bundles_are_problems_not_crashes(client, lot):
    for bad in (
        [],
        {"events": []},
        {**get_bundle(client, lot), "tree_size": "5"},
        {**get_bundle(client, lot), "events": [{"index": 0}, "x", {"index": True, "leaf": "", "proof": []}]},
    ):
        report = verify_bundle(bad, trusted_key=log.public_key())
        assert not report.ok and report.problems


def test_consistency_with_a_checkpoint_seen_before(client, lot, tea):
    before = client.get("/log/checkpoint").content.decode()  # size 5
    record_harvest(actor=tea.shop.producer.owner, variant=tea, harvested_on=TODAY, quantity=5, code="C-1")
    bundle = get_bundle(client, lot)
    proof = [tlog.decode_hash(h) for h in client.get("/log/proof/consistency?first=5&second=6").json()["hashes"]]
    report = verify_bundle(bundle, trusted_key=log.public_key(), previous_checkpoint=before, consistency_proof=proof)
    assert report.ok, report.text()
    assert any("extends the one seen before of size 5" in line for line in report.checked)
    the_problem(verify_bundle(bundle, trusted_key=log.public_key(), previous_checkpoint=before), "no consistency proof")
    the_problem(
        verify_bundle(
            bundle,
            trusted_key=log.public_key(),
            previous_checkpoint=before,
            consistency_proof=proof[::-1] if len(proof) > 1 else [bytes(32)],
        ),
        "HISTORY REWRITTEN",
    )
    # The same size seen before: roots must be equal; a later one seen before: a warning, and still checked.
    same = verify_bundle(bundle, trusted_key=log.public_key(), previous_checkpoint=bundle["checkpoint"])
    assert same.ok
    impostor = note.sign_checkpoint(log.origin(), 5, bytes(32), note.generate_signer(log.origin()))
    the_problem(
        verify_bundle(bundle, trusted_key=log.public_key(), previous_checkpoint=impostor),
        "previously seen checkpoint is not signed",
    )


def test_a_checkpoint_seen_before_cosigned_by_a_witness(client, lot):
    """`witness_key` takes the witness's C2SP cosignature/v1 key; anything else is a clear failure."""
    bundle = get_bundle(client, lot)
    witness = note.generate_cosigner("witness.sct.example")
    witness_key = note.cosigner_key(witness)
    now = int(time.time())

    def check(previous, key):
        return verify_bundle(bundle, trusted_key=log.public_key(), previous_checkpoint=previous, witness_key=key)

    cosigned = note.cosign(bundle["checkpoint"], witness, now - 60)
    report = check(cosigned, witness_key)
    assert report.ok, report.text()
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(now - 60))
    assert (
        f"the previously seen checkpoint (size 5) is cosigned by the witness witness.sct.example "
        f"(cosignature/v1, {when})"
    ) in report.checked
    the_problem(
        check(bundle["checkpoint"], witness_key),
        "not cosigned by the witness witness.sct.example",
        "no cosignature by witness.sct.example+",
    )
    other = note.cosigner_key(note.generate_cosigner("witness.sct.example"))
    the_problem(check(cosigned, other), "not cosigned by the witness", "no cosignature by")
    the_problem(
        check(note.cosign(bundle["checkpoint"], witness, now + 3600), witness_key),
        "not cosigned by the witness",
        "ahead of the verifier's clock",
    )
    prefix, line = cosigned.rstrip("\n").rsplit(" ", 1)
    raw = bytearray(base64.b64decode(line))
    raw[-1] ^= 1  # one bit of the Ed25519 signature
    the_problem(
        check(f"{prefix} {base64.b64encode(raw).decode()}\n", witness_key),
        "not cosigned by the witness",
        "cosignature by witness.sct.example does not verify",
    )
    # A plain Ed25519 note key (type 0x01), e.g. a witness's key from before cosignature/v1: a clear failure.
    old_key = note.verifier_key(note.generate_signer("witness.sct.example"))
    problem = the_problem(check(cosigned, old_key), f"the witness key {old_key} cannot check a cosignature")
    assert "type 0x01" in problem and "type 0x04" in problem


def rewrite_history(keep: int):
    """What a dishonest operator would do: drop the leaves from `keep` on and append others in their place."""
    TraceEvent.objects.filter(leaf_index__gte=keep).delete()
    for level in range(64):  # a perfect subtree stays only if it lies wholly inside [0, keep)
        LogNode.objects.filter(level=level, index__gte=keep >> level).delete()
    Checkpoint.objects.filter(size__gt=keep).delete()
    LogHead.objects.filter(pk=1).update(size=keep)


def test_a_rewritten_history_fails_against_the_checkpoint_seen_before(client, lot, tea):
    seen = client.get("/log/checkpoint").content.decode()  # size 5, e.g. kept by a buyer or a witness
    rewrite_history(keep=1)
    owner = tea.shop.producer.owner
    for code in ("X-1", "X-2", "X-3", "X-4", "X-5"):
        record_harvest(actor=owner, variant=tea, harvested_on=TODAY, quantity=7, code=code)
    assert log.size() == 6
    url = f"{HUB}/01/{tea.gtin}/10/A-1"  # lot A now has only its harvest, leaf 0, which was kept
    fresh = fetch_and_verify(url, trusted_key=log.public_key(), fetch=client_fetch(client))
    assert fresh.ok, fresh.text()  # on its own, the new history looks fine...
    requests = []
    report = fetch_and_verify(
        url, trusted_key=log.public_key(), previous_checkpoint=seen, fetch=client_fetch(client, requests)
    )
    the_problem(report, "HISTORY REWRITTEN", "size 6", "size 5")  # ...but not against what was seen before
    assert "/log/proof/consistency?first=5&second=6" in requests


def test_fetch_and_verify_downloads_bundle_key_and_proof(client, lot, tea):
    before = client.get("/log/checkpoint").content.decode()
    record_inspection(actor=tea.shop.producer.owner, lot=lot, passed=True, inspector="Sở Công Thương")
    requests = []
    report = fetch_and_verify(
        lot_url(lot), trusted_key=log.public_key(), previous_checkpoint=before, fetch=client_fetch(client, requests)
    )
    assert report.ok, report.text()
    assert requests == [
        f"/log/bundle/{lot.variant.gtin}/A-1",
        "/log/key",
        "/log/proof/consistency?first=5&second=6",
        "/log/entries?start=0&end=6",
    ]  # a small log is read whole: does the bundle omit an event?
    tofu = fetch_and_verify(lot_url(lot), fetch=client_fetch(client))
    assert tofu.ok and "downloaded from the hub itself" in tofu.warnings[0]
    other = note.verifier_key(note.generate_signer(log.origin()))
    the_problem(fetch_and_verify(lot_url(lot), trusted_key=other, fetch=client_fetch(client)), "not the trusted key")
    the_problem(
        fetch_and_verify(f"{HUB}/01/{lot.variant.gtin}/10/NOPE", fetch=client_fetch(client)),
        "could not download the lot's bundle",
    )
    the_problem(fetch_and_verify("https://hub.example/san-pham/1/"), "not a lot URL")


def test_parse_lot_url():
    assert parse_lot_url("https://hub.example/01/08939999000017/10/A-1") == (
        "https://hub.example",
        "08939999000017",
        "A-1",
    )
    assert parse_lot_url("http://127.0.0.1:8000/taybac/01/08939999000017/10/A%2D1/?17=270101")[0] == (
        "http://127.0.0.1:8000/taybac"
    )
    for bad in ("ftp://hub/01/08939999000017/10/A", "https://hub/01/0893/10/A", "not a url"):
        with pytest.raises(ValueError):
            parse_lot_url(bad)


@pytest.fixture
def static_hub():
    """A real HTTP server (urllib path) answering recorded responses: {path: (status, content_type, body)}."""
    routes: dict[str, tuple[int, str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, kind, body = routes.get(
                self.path, (404, "application/json", b'{"error": {"code": "not_found", "message": "No lot."}}')
            )
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes
    server.shutdown()
    server.server_close()


def test_fetch_and_verify_over_real_http(client, lot, static_hub):
    base, routes = static_hub
    for path in (f"/log/bundle/{lot.variant.gtin}/A-1", "/log/key", "/log/entries?start=0&end=5"):
        response = client.get(path)
        routes[path] = (response.status_code, response["Content-Type"], response.content)
    report = fetch_and_verify(f"{base}/01/{lot.variant.gtin}/10/A-1", trusted_key=log.public_key())
    assert report.ok, report.text()
    missing = fetch_and_verify(f"{base}/01/{lot.variant.gtin}/10/B-9", trusted_key=log.public_key())
    the_problem(missing, "HTTP 404", "No lot.")


def test_command_line_on_a_saved_bundle(client, lot, tea, tmp_path, capsys):
    bundle_file = tmp_path / "bundle.json"
    bundle_file.write_text(json.dumps(get_bundle(client, lot)))
    saved = tmp_path / "seen.checkpoint"
    assert verifier.main([str(bundle_file), "--key", log.public_key(), "--save-checkpoint", str(saved)]) == 0
    assert "Result: VERIFIED" in capsys.readouterr().out
    assert saved.read_text() == log.latest_checkpoint().note
    record_harvest(actor=tea.shop.producer.owner, variant=tea, harvested_on=TODAY, quantity=5, code="C-1")
    bundle_file.write_text(json.dumps(get_bundle(client, lot)))
    proof_file = tmp_path / "proof.json"
    proof_file.write_bytes(client.get("/log/proof/consistency?first=5&second=6").content)
    key_file = tmp_path / "hub.key"
    key_file.write_text(log.public_key() + "\n")
    args = [str(bundle_file), "--key", str(key_file), "--previous-checkpoint", str(saved)]
    assert verifier.main([*args, "--consistency-proof", str(proof_file)]) == 0
    assert verifier.main(args) == 1
    assert "no consistency proof" in capsys.readouterr().out
    assert verifier.main([str(tmp_path / "missing.json")]) == 1
    assert "cannot read the bundle file" in capsys.readouterr().out


def test_trace_verify_command_with_a_bundle_file(client, lot, tmp_path, capsys):
    bundle = get_bundle(client, lot)
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(bundle))
    bundle["events"][0]["leaf"] = base64.b64encode(base64.b64decode(bundle["events"][0]["leaf"]) + b" ").decode()
    bad.write_text(json.dumps(bundle))
    call_command("trace", "verify", str(good), "--key", log.public_key())
    assert "Result: VERIFIED" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        call_command("trace", "verify", str(bad), "--key", log.public_key())
    assert exit_info.value.code == 1
    assert f"event #0 ({event_id(0)}) is NOT in the signed log" in capsys.readouterr().out
