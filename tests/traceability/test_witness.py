"""A witness (e.g. a provincial Department of Industry and Trade) cosigns the hub's checkpoints only when each
extends the last one it saw; a verifier holding the witness's copy detects a hub that forks or splits its view."""

from __future__ import annotations

import base64
import datetime
import json
import time
from urllib.parse import urlsplit

import pytest

from taybac.traceability import log
from taybac.traceability.services import record_harvest
from taybac_verify import note, tlog, witness
from taybac_verify.verifier import fetch_and_verify
from taybac_verify.witness import Witness, WitnessError, cosign, poll
from tests import factories
from tests.traceability.test_verifier import rewrite_history, static_hub  # noqa: F401 (a fixture)

TODAY = datetime.date.today()
HUB = "https://hub.example"
WITNESS_NAME = "witness.so-cong-thuong.laocai.example"


@pytest.fixture
def tea(shop):
    return factories.make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", unit="kg").variants.get()


def harvest(tea, code):
    return record_harvest(actor=tea.shop.producer.owner, variant=tea, harvested_on=TODAY, quantity=10, code=code)


class Clock:
    """A settable clock for the witness's cosignature timestamps."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def signer():
    return note.generate_cosigner(WITNESS_NAME)


@pytest.fixture
def clock():
    return Clock(time.time() - 3600)


@pytest.fixture
def province(tmp_path, signer, clock, db):
    return Witness(log_key=log.public_key(), signer=signer, state_dir=tmp_path / "witness", clock=clock)


def cosigned_at(note_text, witness_key):
    """The time of the witness's cosignature/v1 on the note (which must verify)."""
    return note.verify_cosignature(note_text, witness_key)


def hub_fetch(client, requested=None):
    def fetch(url):
        parts = urlsplit(url)
        assert url.startswith(HUB)
        if requested is not None:
            requested.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        response = client.get(parts.path, dict(p.split("=") for p in parts.query.split("&") if p))
        if response.status_code != 200:
            raise OSError(f"{url}: HTTP {response.status_code}")
        return response.content

    return fetch


def test_cosign_adds_one_cosignature_v1_line(signer):
    hub_signer = note.generate_signer("hub.example/log")
    signed = note.sign_checkpoint("hub.example/log", 3, bytes(32), hub_signer)
    cosigned = cosign(signed, signer, 1_700_000_000)
    assert cosigned.startswith(signed) and cosigned.count("\n— ") == 2
    line = cosigned.splitlines()[-1]
    assert line.startswith(f"— {WITNESS_NAME} ")
    raw = base64.b64decode(line.split()[-1])  # key ID, big-endian timestamp, Ed25519 signature
    assert len(raw) == 4 + 8 + 64 and int.from_bytes(raw[4:12], "big") == 1_700_000_000
    assert raw[:4].hex() == note.cosigner_key(signer).split("+")[1]
    assert note.verify_cosignature(cosigned, note.cosigner_key(signer)) == 1_700_000_000
    note.open_checkpoint(cosigned, note.verifier_key(hub_signer))  # the hub's key alone ignores the extra line
    again = cosign(cosigned, signer, 1_700_000_300)  # cosigning again replaces our line, it does not add one
    assert again.count("\n— ") == 2 and note.verify_cosignature(again, note.cosigner_key(signer)) == 1_700_000_300


def test_the_witness_needs_a_cosigner_key(tmp_path, db):
    with pytest.raises(note.InvalidKeyError, match=r"type 0x01.*witness keygen"):
        Witness(log_key=log.public_key(), signer=note.generate_signer(WITNESS_NAME), state_dir=tmp_path)
    with pytest.raises(note.InvalidKeyError, match="must not have the log's name"):
        Witness(log_key=log.public_key(), signer=note.generate_cosigner(log.origin()), state_dir=tmp_path)


def test_the_witness_follows_an_honest_log(client, tea, province, clock):
    harvest(tea, "A-1")
    harvest(tea, "A-2")
    requested = []
    first = poll(HUB, province, fetch=hub_fetch(client, requested))
    assert requested == ["/log/checkpoint"]  # nothing witnessed before: no proof to ask for
    assert note.open_checkpoint(first, log.public_key()).size == 2
    assert cosigned_at(first, province.key) == int(clock.now)
    assert province.latest() == first and province.latest_checkpoint().size == 2
    clock.now += 300  # nothing new: the same tree is cosigned again, at the new time
    again = poll(HUB, province, fetch=hub_fetch(client))
    assert again.split("\n\n")[0] == first.split("\n\n")[0] and again.count("\n— ") == 2
    assert cosigned_at(again, province.key) == int(clock.now) and province.latest() == again
    harvest(tea, "A-3")
    harvest(tea, "A-4")
    requested.clear()
    second = poll(HUB, province, fetch=hub_fetch(client, requested))
    assert requested == ["/log/checkpoint", "/log/proof/consistency?first=2&second=4"]
    assert note.open_checkpoint(second, log.public_key()).size == 4
    assert cosigned_at(second, province.key) == int(clock.now)
    assert province.latest_checkpoint().size == 4


def test_a_checkpoint_cosigned_in_the_old_format_is_cosigned_again(client, tea, province):
    """Before cosignature/v1, the witness added a plain Ed25519 (0x01) line; the next poll replaces the file."""
    harvest(tea, "A-1")
    hub_note = log.latest_checkpoint().note
    old_line = note.sign(hub_note.split("\n\n")[0] + "\n", note.generate_signer(WITNESS_NAME)).split("\n\n")[1]
    province.path.parent.mkdir(parents=True)
    province.path.write_text(hub_note + old_line)
    with pytest.raises(note.UnverifiedNoteError):
        note.verify_cosignature(province.latest(), province.key)  # another key ID: not our cosignature
    cosigned = poll(HUB, province, fetch=hub_fetch(client))
    assert cosigned == hub_note + cosigned.splitlines(keepends=True)[-1] and province.latest() == cosigned
    cosigned_at(cosigned, province.key)


def test_the_witness_refuses_a_fork_and_keeps_evidence(client, tea, province):
    for code in ("A-1", "A-2", "A-3"):
        harvest(tea, code)
    witnessed = poll(HUB, province, fetch=hub_fetch(client))
    rewrite_history(keep=1)
    for code in ("X-1", "X-2", "X-3", "X-4"):
        harvest(tea, code)
    with pytest.raises(WitnessError, match="FORK: the log's tree of size 5 does not extend") as refused:
        poll(HUB, province, fetch=hub_fetch(client))
    assert province.latest() == witnessed  # state unchanged
    evidence = json.loads(refused.value.evidence.read_text())
    assert evidence["witnessed"] == witnessed and evidence["received"] == log.latest_checkpoint().note


def test_the_witness_refuses_a_split_view_stale_or_foreign_checkpoint(client, tea, province):
    harvest(tea, "A-1")
    harvest(tea, "A-2")
    poll(HUB, province, fetch=hub_fetch(client))
    other_tree = note.sign_checkpoint(log.origin(), 2, tlog.mth([b"other", b"history"]), log.signer())
    with pytest.raises(WitnessError, match="SPLIT VIEW") as refused:
        province.update(other_tree)
    assert json.loads(refused.value.evidence.read_text())["received"] == other_tree
    older = note.sign_checkpoint(log.origin(), 1, log.root_at(1), log.signer())
    with pytest.raises(WitnessError, match="older than the size 2"):
        province.update(older)
    impostor = note.sign_checkpoint(log.origin(), 3, bytes(32), note.generate_signer(log.origin()))
    with pytest.raises(WitnessError, match="not signed by the log's key"):
        province.update(impostor)
    harvest(tea, "A-3")
    with pytest.raises(WitnessError, match="no consistency proof"):
        province.update(log.latest_checkpoint().note)
    assert province.latest_checkpoint().size == 2


def test_a_verifier_uses_the_witness_copy_to_detect_a_split_view(client, tea, province):
    lot = harvest(tea, "A-1")
    harvest(tea, "A-2")
    witnessed = poll(HUB, province, fetch=hub_fetch(client))
    harvest(tea, "A-3")
    url = f"{HUB}/01/{tea.gtin}/10/{lot.code}"
    honest = fetch_and_verify(
        url,
        trusted_key=log.public_key(),
        previous_checkpoint=witnessed,
        witness_key=province.key,
        fetch=hub_fetch(client),
    )
    assert honest.ok, honest.text()
    assert any("cosigned by the witness" in line and "cosignature/v1" in line for line in honest.checked)
    # The hub now shows this buyer another history than the one the province witnessed.
    rewrite_history(keep=1)
    harvest(tea, "B-1")
    harvest(tea, "B-2")
    split = fetch_and_verify(
        url,
        trusted_key=log.public_key(),
        previous_checkpoint=witnessed,
        witness_key=province.key,
        fetch=hub_fetch(client),
    )
    assert not split.ok and any("HISTORY REWRITTEN" in p for p in split.problems), split.text()
    # A copy the witness did not sign is refused when a witness key is required.
    not_cosigned = fetch_and_verify(
        url,
        trusted_key=log.public_key(),
        previous_checkpoint=log.latest_checkpoint().note,
        witness_key=province.key,
        fetch=hub_fetch(client),
    )
    assert any("not cosigned by the witness" in p for p in not_cosigned.problems)


def test_command_line(client, tea, tmp_path, static_hub, capsys):
    harvest(tea, "A-1")
    base, routes = static_hub
    response = client.get("/log/checkpoint")
    routes["/log/checkpoint"] = (200, response["Content-Type"], response.content)
    key_file = tmp_path / "witness.key"
    assert witness.main(["keygen", WITNESS_NAME, str(key_file)]) == 0
    witness_key = capsys.readouterr().out.strip()
    assert witness_key.startswith(WITNESS_NAME + "+") and oct(key_file.stat().st_mode)[-3:] == "600"
    assert witness_key == note.cosigner_key(key_file.read_text().strip())
    assert base64.b64decode(witness_key.split("+", 2)[2])[0] == 0x04  # a C2SP cosignature/v1 key
    with pytest.raises(FileExistsError):
        witness.main(["keygen", WITNESS_NAME, str(key_file)])
    state = tmp_path / "state"
    args = [
        "run",
        "--hub",
        base,
        "--log-key",
        log.public_key(),
        "--signer-file",
        str(key_file),
        "--state-dir",
        str(state),
    ]
    assert witness.main(args) == 0
    assert "witnessed size 1" in capsys.readouterr().out
    assert abs(note.verify_cosignature((state / "checkpoint").read_text(), witness_key) - time.time()) < 60
    routes["/log/checkpoint"] = (
        200,
        "text/plain",
        note.sign_checkpoint(log.origin(), 1, bytes(32), log.signer()).encode(),
    )
    assert witness.main(args) == 1
    assert "SPLIT VIEW" in capsys.readouterr().err
    del routes["/log/checkpoint"]
    assert witness.main(args) == 1
    assert "could not poll" in capsys.readouterr().err
