"""A witness for Tây Bắc Hub's transparency log, run by someone other than the hub (a provincial authority).

Standalone like verifier.py (package `taybac-verify`): standard library, `tlog` and `note` only. The witness
polls the hub's /log/checkpoint, checks the hub's signature with the hub's published key, checks with an RFC 9162
consistency proof (/log/proof/consistency) that the new tree extends the last one it witnessed, then appends its own
cosignature line to the note and stores the result in its state directory as `checkpoint`, a file to publish
on any static web server. The cosignature is C2SP tlog-cosignature Ed25519 `cosignature/v1` (signature type
0x04, https://c2sp.org/tlog-cosignature): "as of this time, this is the largest tree I have seen of this log,
consistent with all earlier ones", so standard witness clients can check it. Each poll re-cosigns, so the
published time says how recently the witness last checked, even when the log has not grown.

It never cosigns two different trees of one size nor a tree that does not extend the last one. When the hub
shows such a fork or split view, it keeps its state, writes the two signed notes as evidence (the hub's own
signatures prove the misbehaviour to anyone) and exits with status 1.

    taybac-witness keygen witness.so-cong-thuong.laocai.example witness.key
    taybac-witness run --hub https://hub.example --log-key '<hub key>' \\
        --signer-file witness.key --state-dir /srv/witness/taybac --interval 300
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from taybac_verify import note, tlog

__all__ = ["CHECKPOINT_FILE", "Witness", "WitnessError", "cosign", "main", "poll"]

CHECKPOINT_FILE = "checkpoint"  # the latest cosigned checkpoint: publish this file
TIMEOUT = 20.0
MAX_ANSWER = 1 << 20

Fetch = Callable[[str], bytes]


class WitnessError(Exception):
    """The hub's checkpoint was refused; `evidence` is the file holding proof of a fork, if there is one."""

    def __init__(self, message: str, evidence: Path | None = None) -> None:
        super().__init__(message if evidence is None else f"{message} Evidence saved in {evidence}.")
        self.evidence = evidence


def cosign(note_text: str, signer: str, timestamp: int | None = None) -> str:
    """The checkpoint note with our cosignature/v1 line (by `signer`, from `keygen`) replacing any earlier one."""
    return note.cosign(note_text, signer, timestamp)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # published
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


class Witness:
    """One witnessed log: its key, our signing key, and a directory holding the last cosigned checkpoint."""

    def __init__(
        self,
        *,
        log_key: str,
        signer: str,
        state_dir: Path | str,
        origin: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.log_key, self.signer = log_key.strip(), signer.strip()
        self.origin = origin or self.log_key.split("+", 1)[0]
        self.state_dir = Path(state_dir)
        self.clock = clock  # the cosignatures' timestamps
        try:
            self.key = note.cosigner_key(self.signer)  # publish it: verifiers check our cosignatures with it
        except note.InvalidKeyError as exc:
            raise note.InvalidKeyError(
                f"not a witness key ({exc}); create one with `witness keygen` and publish its public key"
            ) from None
        if self.key.split("+", 1)[0] == self.origin:
            raise note.InvalidKeyError("the witness key must not have the log's name")

    @property
    def path(self) -> Path:
        return self.state_dir / CHECKPOINT_FILE

    def latest(self) -> str | None:
        """The last checkpoint we cosigned (note text), or None before the first one."""
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def latest_checkpoint(self) -> note.Checkpoint | None:
        text = self.latest()
        return None if text is None else note.open_checkpoint(text, self.log_key, self.origin)

    def update(self, note_text: str, consistency_proof: Sequence[bytes] | None = None) -> str:
        """Cosign `note_text` if it is the log's and extends what we witnessed; return our cosigned copy.

        The same tree as last time is cosigned again with the current time (the spec's meaning: the largest
        tree seen as of that time), so the published copy shows the witness is still watching.
        """
        try:
            new = note.open_checkpoint(note_text, self.log_key, self.origin)
        except (note.NoteError, note.CheckpointError) as exc:
            raise WitnessError(f"the checkpoint is not signed by the log's key {self.log_key}: {exc}") from None
        old_text = self.latest()
        if old_text is not None:
            old = note.open_checkpoint(old_text, self.log_key, self.origin)
            if new.size < old.size:
                raise WitnessError(
                    f"the hub served a checkpoint of size {new.size}, older than the size {old.size} "
                    f"already witnessed (a stale cache, or the hub hiding entries); not cosigned."
                )
            if new.size == old.size:
                if new.root_hash != old.root_hash:
                    raise WitnessError(
                        f"SPLIT VIEW: the log signed two different trees of size {new.size}.",
                        self._evidence(old_text, note_text, []),
                    )
            elif consistency_proof is None:
                raise WitnessError(f"no consistency proof from size {old.size} to {new.size}; not cosigned.")
            else:
                try:
                    tlog.verify_consistency(old.size, new.size, old.root_hash, new.root_hash, consistency_proof)
                except tlog.ProofError as exc:
                    raise WitnessError(
                        f"FORK: the log's tree of size {new.size} does not extend the tree of size "
                        f"{old.size} already witnessed ({exc}).",
                        self._evidence(old_text, note_text, consistency_proof),
                    ) from None
        cosigned = cosign(note_text, self.signer, int(self.clock()))
        _write_atomic(self.path, cosigned)
        return cosigned

    def _evidence(self, witnessed: str, received: str, proof: Sequence[bytes]) -> Path:
        path = self.state_dir / f"evidence-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.json"
        _write_atomic(
            path,
            json.dumps(
                {
                    "witnessed": witnessed,
                    "received": received,
                    "consistency_proof": [tlog.encode_hash(h) for h in proof],
                },
                indent=1,
            ),
        )
        return path


def http_get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "taybac-witness/1"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read(MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        raise OSError(f"{url}: HTTP {exc.code}: {exc.read(300).decode('utf-8', 'replace').strip()}") from None


def _claimed_size(note_text: str) -> int | None:
    split = note_text.rfind("\n\n")
    try:
        return note.parse_checkpoint(note_text[: split + 1]).size if split > 0 else None
    except note.CheckpointError:
        return None


def poll(hub: str, witness: Witness, *, fetch: Fetch | None = None) -> str:
    """Fetch the hub's latest checkpoint and the consistency proof from our last size; update the witness."""
    get = fetch or http_get
    hub = hub.rstrip("/")
    text = get(f"{hub}/log/checkpoint").decode("utf-8")
    old, size = witness.latest_checkpoint(), _claimed_size(text)
    proof = None
    if old is not None and size is not None and 0 < old.size < size:
        answer = json.loads(get(f"{hub}/log/proof/consistency?first={old.size}&second={size}"))
        proof = [tlog.decode_hash(h) for h in answer["hashes"]]
    return witness.update(text, proof)


def _keygen(name: str, path: Path) -> str:
    signer = note.generate_cosigner(name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never overwrite a key
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(signer + "\n")
    return note.cosigner_key(signer)


def main(argv: Sequence[str] | None = None, *, fetch: Fetch | None = None) -> int:
    parser = argparse.ArgumentParser(prog="taybac-witness", description="Witness (cosign) Tây Bắc Hub's checkpoints.")
    actions = parser.add_subparsers(dest="action", required=True)
    keygen = actions.add_parser(
        "keygen", help="create the witness's cosigning key file (C2SP cosignature/v1); prints its public key"
    )
    keygen.add_argument("name", help="the witness's name, e.g. witness.so-cong-thuong.laocai.example")
    keygen.add_argument("key_file")
    run = actions.add_parser("run", help="poll the hub, verify, cosign and store the latest checkpoint")
    run.add_argument("--hub", required=True, help="the hub's base URL, e.g. https://hub.example")
    run.add_argument("--log-key", required=True, help="the hub's verifier key (as published at /log/key)")
    run.add_argument("--signer-file", required=True, help="the witness's private key file (from keygen)")
    run.add_argument("--state-dir", required=True, help="where the cosigned checkpoint and evidence are kept")
    run.add_argument("--interval", type=float, default=0, help="seconds between polls; 0 (default): poll once")
    args = parser.parse_args(argv)
    if args.action == "keygen":
        print(_keygen(args.name, Path(args.key_file)))
        return 0
    witness = Witness(
        log_key=args.log_key, signer=Path(args.signer_file).read_text(encoding="utf-8"), state_dir=args.state_dir
    )
    while True:
        try:
            cosigned = poll(args.hub, witness, fetch=fetch)
        except WitnessError as exc:
            print(f"REFUSED: {exc}", file=sys.stderr)
            if exc.evidence is not None or not args.interval:  # a fork stops the witness; a stale copy does not
                return 1
        except (OSError, ValueError, KeyError, TypeError) as exc:  # network, bad JSON, bad proof encoding
            print(f"could not poll {args.hub}: {exc}", file=sys.stderr)
            if not args.interval:
                return 1
        else:
            print(f"witnessed size {_claimed_size(cosigned)}; published in {witness.path}")
        if not args.interval:
            return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
