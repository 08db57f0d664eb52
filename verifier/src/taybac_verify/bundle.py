"""The checks of the standalone verifier on one lot's bundle: key, signed checkpoint, inclusion proofs, and the
checkpoints seen before (yours, remembered, or a witness's), with the witnesses that must have cosigned.

Standard library + `tlog` + `note`; see verifier.py for the command line and the downloads.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from taybac_verify import note, tlog
from taybac_verify.corrections import check_declarations
from taybac_verify.state import Remembered, describe

MAX_PROBLEMS = 200  # a report keeps this many problem lines and counts the rest
Proofs = Mapping[tuple[int, int], Sequence[bytes]]  # (first, second) -> RFC 9162 consistency proof


@dataclass
class Report:
    """What was checked: `ok` only if there is no problem. Problems are plain English, one per line."""

    subject: str = ""
    checked: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    omitted: int = 0  # problems found beyond MAX_PROBLEMS, counted but not kept
    checkpoint: str | None = None  # the signed note that was verified (save it: next time it is "previous")
    tree_size: int | None = None
    signed: Any = None  # the verified note.Checkpoint (origin, size, root hash)
    cosigned: dict[str, int] = field(default_factory=dict)  # witness vkey -> timestamp of a valid cosignature

    @property
    def ok(self) -> bool:
        return not self.problems and not self.omitted

    def fail(self, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(message)
        else:
            self.omitted += 1

    def passed(self, message: str) -> None:
        self.checked.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def extend(self, other: Report) -> None:
        self.checked += other.checked
        self.warnings += other.warnings
        for problem in other.problems:
            self.fail(problem)
        self.omitted += other.omitted
        self.checkpoint = other.checkpoint or self.checkpoint
        self.tree_size = other.tree_size if other.tree_size is not None else self.tree_size
        self.signed = other.signed or self.signed
        self.cosigned.update(other.cosigned)

    def text(self) -> str:
        lines = [f"Verifying {self.subject}"] if self.subject else []
        lines += [f"  ok    {line}" for line in self.checked]
        lines += [f"  note  {line}" for line in self.warnings]
        lines += [f"  FAIL  {line}" for line in self.problems]
        if self.omitted:
            lines.append(f"  FAIL  ... and {self.omitted} more problem(s) not shown")
        if self.ok:
            lines.append(f"Result: VERIFIED, all {len(self.checked)} check(s) hold.")
        else:
            lines.append(f"Result: NOT VERIFIED, {len(self.problems) + self.omitted} problem(s).")
        return "\n".join(lines) + "\n"


def event_name(index: Any, leaf: bytes | None) -> str:
    """ "event #5 (urn:uuid:...)": the leaf index and the eventID read from the leaf's JSON, if it parses."""
    try:
        event_id = json.loads(leaf.decode("utf-8")).get("eventID") if leaf is not None else None
    except (ValueError, AttributeError):
        event_id = None
    return f"event #{index} ({event_id if isinstance(event_id, str) else 'eventID unreadable'})"


def _decode_entry(item: Any, position: int) -> tuple[Any, bytes | None, list[bytes] | None, str | None]:
    """(index, leaf, proof, error) of one event of a bundle; an invalid index becomes a label."""
    if not isinstance(item, dict):
        return f"at position {position}", None, None, "is not a JSON object"
    index = item.get("index")
    valid = isinstance(index, int) and not isinstance(index, bool) and index >= 0
    index = index if valid else f"at position {position}"
    leaf = None
    try:
        leaf = base64.b64decode(str(item.get("leaf", "")).encode("ascii"), validate=True)
        proof = item.get("proof")
        if not valid:
            return index, leaf, None, "has no valid leaf index"
        if not isinstance(proof, list) or not all(isinstance(h, str) for h in proof):
            return index, leaf, None, "has no inclusion proof (a list of base64 hashes)"
        return index, leaf, [tlog.decode_hash(h) for h in proof], None
    except tlog.ProofError as exc:
        return index, leaf, None, f"its inclusion proof is malformed: {exc}"
    except ValueError:  # binascii.Error and UnicodeError are ValueErrors
        return index, None, None, "its leaf is not valid base64"


def key_name(key: str) -> str:
    return key.split("+", 1)[0]


def verify_bundle(
    bundle: dict[str, Any],
    *,
    trusted_key: str | None = None,
    previous_checkpoint: str | None = None,
    consistency_proof: Sequence[bytes] | None = None,
    witness_key: str | None = None,
    remembered: Remembered | None = None,
    proofs: Proofs | None = None,
    live: bool = False,
) -> Report:
    """Check a lot's bundle offline; see verifier.py's docstring for what is checked.

    `previous_checkpoint` is a signed note seen earlier (by you or a witness); `consistency_proof` links its
    tree to the bundle's (RFC 9162, smaller size first). `remembered` is what this verifier verified last time
    (state.py); `proofs` holds consistency proofs by (first, second). `live`: the bundle was just served
    by the hub, so a tree smaller than the remembered one is a rollback, not an old saved bundle. `witness_key`
    (a C2SP cosignature/v1 vkey, type 0x04) and every witness remembered must have cosigned a checkpoint given.
    """
    report = Report(
        subject=f"bundle of lot {bundle.get('gtin', '?')}/{bundle.get('lot', '?')}"
        if isinstance(bundle, dict)
        else "bundle"
    )
    if not isinstance(bundle, dict):
        report.fail("the bundle is not a JSON object")
        return report
    fields = {"origin": str, "key": str, "checkpoint": str, "tree_size": int, "events": list}
    missing = [
        name
        for name, kind in fields.items()
        if not isinstance(bundle.get(name), kind) or isinstance(bundle.get(name), bool)
    ]
    if missing:
        report.fail(f"the bundle lacks or has malformed fields: {', '.join(missing)}")
        return report
    # their types were checked just above
    origin: str = bundle["origin"]
    key: str = bundle["key"]
    text: str = bundle["checkpoint"]
    tree_size: int = bundle["tree_size"]
    events: list[Any] = bundle["events"]
    entries = [_decode_entry(item, position) for position, item in enumerate(events)]

    if trusted_key is not None:
        trusted_key = trusted_key.strip()
        if key.strip() != trusted_key:
            report.fail(f"the bundle names the key {key.strip()}, not the trusted key {trusted_key}")
        else:
            report.passed(f"the bundle's key is the trusted key {trusted_key}")
        verify_key = trusted_key
    else:
        verify_key = key.strip()
        report.warn(
            "no trusted key was given, so the bundle's own key was used: this shows the bundle is "
            "self-consistent, not who signed it. Pass the key the hub publishes (--key)."
        )
    try:
        checkpoint = note.open_checkpoint(text, verify_key, origin)
    except (note.NoteError, note.CheckpointError) as exc:
        report.fail(f"the checkpoint is not a valid note signed by {key_name(verify_key)} for log {origin}: {exc}")
        for index, leaf, _, _ in entries:
            report.fail(
                f"{event_name(index, leaf)}: not verified, because there is no validly signed checkpoint to check it in"
            )
        return report
    report.passed(
        f"the checkpoint of log {checkpoint.origin} (tree size {checkpoint.size}) is signed by {key_name(verify_key)}"
    )
    report.checkpoint, report.tree_size, report.signed = text, checkpoint.size, checkpoint
    if tree_size != checkpoint.size:
        report.fail(f"the bundle says tree size {tree_size} but its signed checkpoint is for size {checkpoint.size}")

    seen: set[int] = set()
    included: list[tuple[int, bytes]] = []
    for index, leaf, proof, error in entries:
        name = event_name(index, leaf)
        if error or index in seen:
            report.fail(f"{name} {error or 'appears twice in the bundle'}")
            continue
        assert leaf is not None and proof is not None  # _decode_entry returns both whenever there is no error
        seen.add(index)
        try:
            tlog.verify_inclusion(tlog.leaf_hash(leaf), index, checkpoint.size, proof, checkpoint.root_hash)
        except tlog.ProofError as exc:
            report.fail(f"{name} is NOT in the signed log: its leaf bytes or proof were altered ({exc})")
        else:
            report.passed(f"{name} is leaf {index} of the signed tree of size {checkpoint.size}")
            included.append((index, leaf))
    check_declarations(report, included)
    if not entries:
        report.warn("the bundle holds no events")

    cosigned = [(f"the hub's checkpoint (size {checkpoint.size})", text)]
    if previous_checkpoint is not None:
        seen_before = check_consistency(
            report, checkpoint, previous_checkpoint, key=verify_key, proof=consistency_proof
        )
        if seen_before is not None:
            cosigned.insert(0, (f"the previously seen checkpoint (size {seen_before.size})", previous_checkpoint))
    if remembered is not None:
        check_remembered(report, checkpoint, remembered, proofs or {}, live=live)
    check_witnesses(report, cosigned, given=witness_key, remembered=remembered)
    return report


def check_consistency(
    report: Report, current: note.Checkpoint, previous: str, *, key: str, proof: Sequence[bytes] | None
) -> note.Checkpoint | None:
    """Does the log's `current` tree extend the `previous` checkpoint (or, if older, is it a prefix of it)?

    Returns the previous checkpoint if its signature holds (for the witness checks), else None.
    """
    try:
        seen = note.open_checkpoint(previous, key, current.origin)
    except (note.NoteError, note.CheckpointError) as exc:
        report.fail(f"the previously seen checkpoint is not signed by {key_name(key)} for log {current.origin}: {exc}")
        return None
    if seen.size > current.size:
        report.warn(
            f"the hub's checkpoint (size {current.size}) is older than the one seen before "
            f"(size {seen.size}): a stale copy, or the hub is hiding recent entries"
        )
    compare(report, current, seen.size, seen.root_hash, "the one seen before", proof)
    return seen


def check_remembered(
    report: Report, current: note.Checkpoint, remembered: Remembered, proofs: Proofs, *, live: bool
) -> None:
    """The current tree must be the remembered one or extend it; smaller is a ROLLBACK when the hub serves it."""
    label = describe(remembered)
    if live and remembered.size > current.size:
        report.fail(
            f"ROLLBACK: the hub now serves a checkpoint of size {current.size}, smaller than {label}: "
            f"the log was rolled back, or the hub hides its newest entries from you"
        )
        return
    pair = (min(remembered.size, current.size), max(remembered.size, current.size))
    compare(report, current, remembered.size, remembered.root_hash, label, proofs.get(pair))


def compare(
    report: Report, current: note.Checkpoint, size: int, root_hash: bytes, label: str, proof: Sequence[bytes] | None
) -> None:
    """Same size: same root. Different sizes: the smaller tree is a prefix of the larger (RFC 9162 proof)."""
    small, large = (
        ((size, root_hash), (current.size, current.root_hash))
        if size <= current.size
        else ((current.size, current.root_hash), (size, root_hash))
    )
    if small[0] == large[0]:
        if small[1] != large[1]:
            report.fail(
                f"SPLIT VIEW: the log has signed two different trees of size {small[0]} (this one and "
                f"{label}); it has shown different histories to different people"
            )
        else:
            report.passed(f"the checkpoint is the same tree as {label} (size {small[0]})")
        return
    if small[0] == 0:
        report.passed(f"{label} was of the empty log: nothing to compare")
        return
    if proof is None:
        report.fail(
            f"no consistency proof from size {small[0]} to {large[0]} was available, so it is unknown "
            f"whether the log kept the history of {label}"
        )
        return
    try:
        tlog.verify_consistency(small[0], large[0], small[1], large[1], proof)
    except tlog.ProofError as exc:
        report.fail(
            f"HISTORY REWRITTEN: the log's tree of size {large[0]} does not extend its tree of size "
            f"{small[0]} ({label}; a fork or a split view): {exc}"
        )
    else:
        report.passed(f"the tree of size {large[0]} extends {label} of size {small[0]} (RFC 9162 consistency proof)")


def check_witnesses(
    report: Report, notes: list[tuple[str, str]], *, given: str | None, remembered: Remembered | None
) -> None:
    """Each witness given or remembered must have cosigned one of `notes` ((label, note text), best first).

    A cosignature seen once is required from then on: a hub (or anyone in between) that strips it, or a
    witness copy that is no longer passed, fails instead of silently downgrading to the hub's word alone.
    """
    required = [given.strip()] if given else []
    required += [vkey for vkey in (remembered.witnesses if remembered else {}) if vkey not in required]
    for vkey in required:
        name = key_name(vkey)
        errors = []
        for label, text in notes:
            try:
                timestamp = note.verify_cosignature(text, vkey)
            except note.InvalidKeyError as exc:
                report.fail(
                    f"the witness key {vkey} cannot check a cosignature: {exc}. A witness publishes a C2SP "
                    f"tlog-cosignature key (<name>+<key ID>+<base64 starting with 'B'>, type 0x04); ask it "
                    f"for that"
                )
                break
            except note.NoteError as exc:
                errors.append((label, exc))
                continue
            when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(timestamp))
            report.passed(f"{label} is cosigned by the witness {name} (cosignature/v1, {when})")
            report.cosigned[vkey] = timestamp
            break
        else:
            label, first_error = errors[0]
            if label.startswith("the previously seen"):
                problem = f"the previously seen checkpoint is not cosigned by the witness {name}: {first_error}"
            else:
                problem = (
                    f"no checkpoint in this verification is cosigned by the witness {name} (pass the "
                    f"witness's published copy with --previous-checkpoint): {first_error}"
                )
            if not (given and vkey == required[0]):
                problem += (
                    f"; {name} cosigned a checkpoint this verifier saw before, and a cosignature seen once is "
                    f"required from then on"
                )
            report.fail(problem)
