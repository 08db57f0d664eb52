"""`taybac trace verify` without a target: the hub's database against its log, with every option working.

Besides audit.verify_hub's checks: `--key` must be the key in the key file; the checkpoint this command verified
last time (remembered in `--state DIR`, `$TAYBAC_VERIFY_STATE` or `$TAYBAC_DATA_DIR/verify-state`) and a
`--previous-checkpoint` (a file or a witness's URL) must be trees the leaves still give (else ROLLBACK or FORK);
`--witness-key` and every witness seen before must have cosigned the checkpoint given; `--save-checkpoint` writes
the verified latest checkpoint. The state is written only when everything holds. `--consistency-proof` and
`--scan-log` are refused: the tree is recomputed from the leaves, and every event's lot links are checked.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from django.conf import settings

from taybac.traceability import audit, log
from taybac_verify import note, verifier
from taybac_verify.bundle import Report, check_witnesses, key_name
from taybac_verify.state import ENV, Remembered, StateError, describe


def default_state_dir() -> Path:
    return Path(os.environ.get(ENV) or Path(settings.DATA_DIR) / "verify-state")


def _key_file() -> str | None:
    try:
        return note.verifier_key(log.key_path().read_text(encoding="utf-8").strip())
    except (OSError, note.NoteError):
        return None  # audit.verify_hub says what is wrong with it


def verify(options: verifier.Options, *, chunk_size: int = audit.CHUNK) -> Report:
    """The hub's self-check with the anchors and witnesses the options and the remembered state give."""
    pre = Report()
    key = _key_file()
    anchors: list[audit.Anchor] = []
    remembered: Remembered | None = None
    if key is None:
        for given, option in (
            (options.previous_checkpoint, "--previous-checkpoint"),
            (options.witness_key, "--witness-key"),
            (options.trusted_key, "--key"),
        ):
            if given:
                pre.fail(f"{option} cannot be checked without the hub's key file")
        return _merge(pre, audit.verify_hub(chunk_size=chunk_size))
    origin = key_name(key)
    if options.trusted_key is not None:
        if options.trusted_key != key:
            pre.fail(f"the key file {log.key_path()} holds the key {key}, not the trusted key {options.trusted_key}")
        else:
            pre.passed(f"the key file holds the trusted key {key}")
    if options.state is not None:
        try:
            remembered = options.state.load(origin, key)
        except StateError as exc:
            pre.fail(str(exc))
        if remembered is not None:
            anchors.append(
                audit.Anchor(
                    remembered.size, remembered.root_hash, f"{describe(remembered)} in {options.state.path(origin)}"
                )
            )
    notes: list[tuple[str, str]] = []
    if options.previous_checkpoint is not None:
        try:
            seen = note.open_checkpoint(options.previous_checkpoint, key, origin)
        except (note.NoteError, note.CheckpointError) as exc:
            pre.fail(f"the previously seen checkpoint is not signed by {origin} for log {origin}: {exc}")
        else:
            anchors.append(audit.Anchor(seen.size, seen.root_hash, "the checkpoint given with --previous-checkpoint"))
            notes.append((f"the previously seen checkpoint (size {seen.size})", options.previous_checkpoint))
    latest = log.latest_checkpoint()
    if options.witness_key or (remembered and remembered.witnesses):
        notes.append(("the hub's latest checkpoint", latest.note if latest else ""))
        check_witnesses(pre, notes, given=options.witness_key, remembered=remembered)
    report = _merge(pre, audit.verify_hub(chunk_size=chunk_size, anchors=anchors))
    if latest is not None:
        report.checkpoint = latest.note
        report.signed = note.open_checkpoint(latest.note, key, origin) if report.ok else None
    if report.ok and options.state is not None and report.signed is not None and latest is not None:
        path = options.state.save(origin, latest.note, report.signed, report.cosigned, remembered)
        report.passed(
            f"remembered the checkpoint of size {report.signed.size} in {path}: the next run fails on a "
            f"smaller or forked log"
        )
    return report


def _merge(pre: Report, report: Report) -> Report:
    """The option checks first, then the audit's."""
    merged = Report(subject=report.subject)
    merged.extend(pre)
    merged.extend(report)
    return merged


def run(args: argparse.Namespace, *, out: Any) -> int:
    """0 if everything holds, 1 if not, 2 for options that cannot work."""
    try:
        options = verifier.prepare(args, mode="hub", default_state=default_state_dir())
    except verifier.OptionError as exc:
        out.write(f"error: {exc}\n")
        return 2
    report = verify(options)
    out.write(report.text())
    verifier.save_checkpoint(options, report)
    return 0 if report.ok else 1
