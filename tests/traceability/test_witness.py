"""A witness (e.g. a provincial Department of Industry and Trade) cosigns the hub's checkpoints only when each
extends the last one it saw; a verifier holding the witness's copy detects a hub that forks or splits its view."""
from __future__ import annotations

import datetime
import json
from urllib.parse import urlsplit

import pytest

from taybac.traceability import log, note, tlog, witness
from taybac.traceability.services import record_harvest
from taybac.traceability.verifier import fetch_and_verify
from taybac.traceability.witness import Witness, WitnessError, cosign, poll
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


@pytest.fixture
def signer():
    return note.generate_signer(WITNESS_NAME)


@pytest.fixture
def province(tmp_path, signer, db):
    return Witness(log_key=log.public_key(), signer=signer, state_dir=tmp_path / "witness")


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


def test_cosign_adds_one_signature_line(signer):
    hub_signer = note.generate_signer("hub.example/log")
    signed = note.sign_checkpoint("hub.example/log", 3, bytes(32), hub_signer)
    cosigned = cosign(signed, signer)
    assert cosigned.startswith(signed) and cosigned.count("\n— ") == 2
    opened = note.open_note(cosigned, [note.verifier_key(hub_signer), note.verifier_key(signer)])
    assert opened.verified_by == ("hub.example/log", WITNESS_NAME)
    note.open_checkpoint(cosigned, note.verifier_key(hub_signer))  # the hub's key alone ignores the extra line
    assert cosign(cosigned, signer) == cosigned  # cosigning twice replaces our line, it does not add one


def test_the_witness_follows_an_honest_log(client, tea, province):
    harvest(tea, "A-1")
    harvest(tea, "A-2")
    requested = []
    first = poll(HUB, province, fetch=hub_fetch(client, requested))
    assert requested == ["/log/checkpoint"]  # nothing witnessed before: no proof to ask for
    assert note.open_note(first, [log.public_key(), province.key]).verified_by == (log.origin(), WITNESS_NAME)
    assert province.latest() == first and province.latest_checkpoint().size == 2
    assert poll(HUB, province, fetch=hub_fetch(client)) == first  # nothing new
    harvest(tea, "A-3")
    harvest(tea, "A-4")
    requested.clear()
    second = poll(HUB, province, fetch=hub_fetch(client, requested))
    assert requested == ["/log/checkpoint", "/log/proof/consistency?first=2&second=4"]
    assert note.open_checkpoint(second, log.public_key()).size == 4
    assert note.open_note(second, [province.key]).verified_by == (WITNESS_NAME,)
    assert province.latest_checkpoint().size == 4


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
    honest = fetch_and_verify(url, trusted_key=log.public_key(), previous_checkpoint=witnessed,
                              witness_key=province.key, fetch=hub_fetch(client))
    assert honest.ok, honest.text()
    assert any("cosigned by the witness" in line for line in honest.checked)
    # The hub now shows this buyer another history than the one the province witnessed.
    rewrite_history(keep=1)
    harvest(tea, "B-1")
    harvest(tea, "B-2")
    split = fetch_and_verify(url, trusted_key=log.public_key(), previous_checkpoint=witnessed,
                             witness_key=province.key, fetch=hub_fetch(client))
    assert not split.ok and any("HISTORY REWRITTEN" in p for p in split.problems), split.text()
    # A copy the witness did not sign is refused when a witness key is required.
    not_cosigned = fetch_and_verify(url, trusted_key=log.public_key(), previous_checkpoint=log.latest_checkpoint().note,
                                    witness_key=province.key, fetch=hub_fetch(client))
    assert any("not cosigned by the witness" in p for p in not_cosigned.problems)


def test_command_line(client, tea, tmp_path, static_hub, capsys):  # noqa: F811
    harvest(tea, "A-1")
    base, routes = static_hub
    response = client.get("/log/checkpoint")
    routes["/log/checkpoint"] = (200, response["Content-Type"], response.content)
    key_file = tmp_path / "witness.key"
    assert witness.main(["keygen", WITNESS_NAME, str(key_file)]) == 0
    witness_key = capsys.readouterr().out.strip()
    assert witness_key.startswith(WITNESS_NAME + "+") and oct(key_file.stat().st_mode)[-3:] == "600"
    with pytest.raises(FileExistsError):
        witness.main(["keygen", WITNESS_NAME, str(key_file)])
    state = tmp_path / "state"
    args = ["run", "--hub", base, "--log-key", log.public_key(), "--signer-file", str(key_file),
            "--state-dir", str(state)]
    assert witness.main(args) == 0
    assert "witnessed size 1" in capsys.readouterr().out
    note.open_note((state / "checkpoint").read_text(), [witness_key])
    routes["/log/checkpoint"] = (200, "text/plain", note.sign_checkpoint(
        log.origin(), 1, bytes(32), log.signer()).encode())
    assert witness.main(args) == 1
    assert "SPLIT VIEW" in capsys.readouterr().err
    del routes["/log/checkpoint"]
    assert witness.main(args) == 1
    assert "could not poll" in capsys.readouterr().err
