"""Check a lot's history against Tây Bắc Hub's transparency log without trusting the hub.

Standalone on purpose: standard library plus the hub's `tlog.py` (RFC 9162 Merkle proofs) and `note.py`
(C2SP signed notes, needs the `cryptography` package), never Django. Copy those three files into one folder
and run `python verifier.py https://<hub>/01/<gtin14>/10/<lot> --key '<verifier key>'`, or, with the hub
installed, `python -m taybac.traceability.verifier ...` / `taybac trace verify ...`.

A bundle (GET /log/bundle/<gtin14>/<lot>) holds the log's latest signed checkpoint, its verifier key, and each
event about the lot with its exact leaf bytes and RFC 9162 inclusion proof. The checks:
1. the key is the one you trust (given with --key; otherwise the bundle's own key, with a warning);
2. the checkpoint is signed by that key and names the log (origin) the bundle claims;
3. every event's leaf, hashed, leads through its proof to the checkpoint's root hash;
4. given a checkpoint you saw before (yours, or a witness's cosigned copy), the log's current tree extends
   it (RFC 9162 consistency proof): the hub has not rewritten history or shown you a different log. With a
   witness key (a C2SP tlog-cosignature `cosignature/v1` vkey, type 0x04), that checkpoint must carry the
   witness's valid cosignature, dated no later than a few minutes ahead of this computer's clock.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence
from urllib.parse import quote, unquote, urlsplit

try:
    from taybac.traceability import note, tlog
except ImportError:  # copied next to note.py and tlog.py, outside the hub
    import note  # type: ignore[no-redef]
    import tlog  # type: ignore[no-redef]

__all__ = ["DownloadError", "Report", "check_consistency", "fetch_and_verify", "main", "parse_lot_url",
           "verify_bundle", "verify_target"]

MAX_PROBLEMS = 200  # a report keeps this many problem lines and counts the rest
MAX_DOWNLOAD = 64 << 20  # bytes; a bundle of a lot with thousands of events is a few MB
TIMEOUT = 20.0  # seconds per download
USER_AGENT = "taybac-verifier/1"

Fetch = Callable[[str], bytes]


class DownloadError(OSError):
    """A download failed; the message names the URL and, for an HTTP error, the hub's explanation."""


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


# --- Bundles -------------------------------------------------------------------------------------


def _event_name(index: Any, leaf: bytes | None) -> str:
    """"event #5 (urn:uuid:...)": the leaf index and the eventID read from the leaf's JSON, if it parses."""
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


def _key_name(key: str) -> str:
    return key.split("+", 1)[0]


def verify_bundle(bundle: dict[str, Any], *, trusted_key: str | None = None,
                  previous_checkpoint: str | None = None, consistency_proof: Sequence[bytes] | None = None,
                  witness_key: str | None = None) -> Report:
    """Check a lot's bundle offline; see the module docstring for what is checked.

    `previous_checkpoint` is a signed note seen earlier (by you or a witness); `consistency_proof` links its
    tree to the bundle's (RFC 9162, smaller size first). `witness_key` (a C2SP cosignature/v1 vkey, type 0x04),
    if given, must have cosigned it.
    """
    report = Report(subject=f"bundle of lot {bundle.get('gtin', '?')}/{bundle.get('lot', '?')}"
                    if isinstance(bundle, dict) else "bundle")
    if not isinstance(bundle, dict):
        report.fail("the bundle is not a JSON object")
        return report
    origin, key, text, tree_size, events = (bundle.get(k) for k in ("origin", "key", "checkpoint", "tree_size",
                                                                     "events"))
    missing = [name for name, value, kind in (("origin", origin, str), ("key", key, str), ("checkpoint", text, str),
                                              ("tree_size", tree_size, int), ("events", events, list))
               if not isinstance(value, kind) or isinstance(value, bool)]
    if missing:
        report.fail(f"the bundle lacks or has malformed fields: {', '.join(missing)}")
        return report
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
        report.warn("no trusted key was given, so the bundle's own key was used: this shows the bundle is "
                    "self-consistent, not who signed it. Pass the key the hub publishes (--key).")
    try:
        checkpoint = note.open_checkpoint(text, verify_key, origin)
    except (note.NoteError, note.CheckpointError) as exc:
        report.fail(f"the checkpoint is not a valid note signed by {_key_name(verify_key)} for log {origin}: {exc}")
        for index, leaf, _, _ in entries:
            report.fail(f"{_event_name(index, leaf)}: not verified, because there is no validly signed checkpoint "
                        f"to check it in")
        return report
    report.passed(f"the checkpoint of log {checkpoint.origin} (tree size {checkpoint.size}) is signed by "
                  f"{_key_name(verify_key)}")
    report.checkpoint, report.tree_size = text, checkpoint.size
    if tree_size != checkpoint.size:
        report.fail(f"the bundle says tree size {tree_size} but its signed checkpoint is for size {checkpoint.size}")

    seen: set[int] = set()
    for index, leaf, proof, error in entries:
        name = _event_name(index, leaf)
        if error or index in seen:
            report.fail(f"{name} {error or 'appears twice in the bundle'}")
            continue
        seen.add(index)
        try:
            tlog.verify_inclusion(tlog.leaf_hash(leaf), index, checkpoint.size, proof, checkpoint.root_hash)
        except tlog.ProofError as exc:
            report.fail(f"{name} is NOT in the signed log: its leaf bytes or proof were altered ({exc})")
        else:
            report.passed(f"{name} is leaf {index} of the signed tree of size {checkpoint.size}")
    if not entries:
        report.warn("the bundle holds no events")

    if previous_checkpoint is not None:
        check_consistency(report, checkpoint, previous_checkpoint, key=verify_key, proof=consistency_proof,
                          witness_key=witness_key)
    elif witness_key is not None:
        report.warn("a witness key was given without the witness's checkpoint (--previous-checkpoint): unused")
    return report


def check_consistency(report: Report, current: note.Checkpoint, previous: str, *, key: str,
                      proof: Sequence[bytes] | None, witness_key: str | None = None) -> None:
    """Does the log's `current` tree extend the `previous` checkpoint (or, if older, is it a prefix of it)?"""
    try:
        seen = note.open_checkpoint(previous, key, current.origin)
    except (note.NoteError, note.CheckpointError) as exc:
        report.fail(f"the previously seen checkpoint is not signed by {_key_name(key)} for log "
                    f"{current.origin}: {exc}")
        return
    if witness_key is not None:
        _check_witness(report, previous, seen, witness_key.strip())
    small, large = (seen, current) if seen.size <= current.size else (current, seen)
    if seen.size > current.size:
        report.warn(f"the hub's checkpoint (size {current.size}) is older than the one seen before "
                    f"(size {seen.size}): a stale copy, or the hub is hiding recent entries")
    if small.size == large.size:
        if small.root_hash != large.root_hash:
            report.fail(f"SPLIT VIEW: the log has signed two different trees of size {small.size}; it has "
                        f"shown different histories to different people")
        else:
            report.passed(f"the checkpoint is the same tree as the one seen before (size {small.size})")
        return
    if small.size == 0:
        report.passed("the checkpoint seen before was of the empty log: nothing to compare")
        return
    if proof is None:
        report.fail(f"no consistency proof from size {small.size} to {large.size} was available, so it is "
                    f"unknown whether the log kept the history seen before")
        return
    try:
        tlog.verify_consistency(small.size, large.size, small.root_hash, large.root_hash, proof)
    except tlog.ProofError as exc:
        report.fail(f"HISTORY REWRITTEN: the log's tree of size {large.size} does not extend its tree of size "
                    f"{small.size} seen before (a fork or a split view): {exc}")
    else:
        report.passed(f"the tree of size {large.size} extends the one of size {small.size} seen before "
                      f"(RFC 9162 consistency proof)")


def _check_witness(report: Report, previous: str, seen: note.Checkpoint, witness_key: str) -> None:
    """The previous checkpoint must carry the witness's C2SP cosignature/v1 (key type 0x04)."""
    name = _key_name(witness_key)
    try:
        timestamp = note.verify_cosignature(previous, witness_key)
    except note.InvalidKeyError as exc:
        report.fail(f"the witness key {witness_key} cannot check a cosignature: {exc}. A witness publishes a C2SP "
                    f"tlog-cosignature key (<name>+<key ID>+<base64 starting with 'B'>, type 0x04); ask it for that")
    except note.NoteError as exc:
        report.fail(f"the previously seen checkpoint is not cosigned by the witness {name}: {exc}")
    else:
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(timestamp))
        report.passed(f"the previously seen checkpoint (size {seen.size}) is cosigned by the witness {name} "
                      f"(cosignature/v1, {when})")


# --- Downloading ----------------------------------------------------------------------------------


def parse_lot_url(url: str) -> tuple[str, str, str]:
    """(hub base URL, GTIN-14, lot) from a GS1 Digital Link lot URL `https://hub/01/<gtin14>/10/<lot>`."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http(s) URL")
    match = re.fullmatch(r"(.*)/01/([0-9]{14})/10/([^/]+)/?", parts.path)
    if not match:
        raise ValueError(f"{url!r} is not a lot URL of the form https://<hub>/01/<gtin14>/10/<lot>")
    prefix, gtin, lot = match.groups()
    return f"{parts.scheme}://{parts.netloc}{prefix}", gtin, unquote(lot)


def urlopen_fetch(timeout: float = TIMEOUT) -> Fetch:
    """GET with urllib; an HTTP error becomes a DownloadError carrying the hub's error message."""

    def fetch(url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
                body = response.read(MAX_DOWNLOAD + 1)
        except urllib.error.HTTPError as exc:
            detail = exc.read(4096).decode("utf-8", "replace")
            try:
                detail = json.loads(detail)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                detail = detail.strip()[:200]
            raise DownloadError(f"{url}: HTTP {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DownloadError(f"{url}: {getattr(exc, 'reason', exc)}") from None
        if len(body) > MAX_DOWNLOAD:
            raise DownloadError(f"{url}: answer larger than {MAX_DOWNLOAD} bytes")
        return body

    return fetch


def _peek_size(note_text: Any) -> int | None:
    """The tree size a note claims, unverified (only to know which consistency proof to ask for)."""
    if not isinstance(note_text, str):
        return None
    split = note_text.rfind("\n\n")
    try:
        return note.parse_checkpoint(note_text[:split + 1]).size if split > 0 else None
    except note.CheckpointError:
        return None


def fetch_and_verify(url: str, *, trusted_key: str | None = None, previous_checkpoint: str | None = None,
                     witness_key: str | None = None, fetch: Fetch | None = None) -> Report:
    """Download the lot's bundle, the hub's key and (with `previous_checkpoint`) a consistency proof; verify.

    `fetch(url) -> bytes` defaults to urllib; it should raise on a non-2xx answer.
    """
    report = Report(subject=url)
    try:
        base, gtin, lot = parse_lot_url(url)
    except ValueError as exc:
        report.fail(str(exc))
        return report
    get = fetch or urlopen_fetch()
    bundle_url = f"{base}/log/bundle/{gtin}/{quote(lot, safe='')}"
    try:
        bundle = json.loads(get(bundle_url))
    except (OSError, ValueError) as exc:  # DownloadError is an OSError, JSONDecodeError a ValueError
        report.fail(f"could not download the lot's bundle: {exc}")
        return report
    try:
        served_key = get(f"{base}/log/key").decode("utf-8").strip()
    except (OSError, UnicodeError) as exc:
        report.fail(f"could not download the hub's key: {exc}")
        served_key = None
    if trusted_key is not None:
        trusted_key = trusted_key.strip()
        if served_key is not None and served_key != trusted_key:
            report.fail(f"the hub now publishes the key {served_key}, not the trusted key {trusted_key}")
    elif served_key is not None:
        report.warn(f"the key {served_key} was downloaded from the hub itself: compare it once with the key "
                    f"published elsewhere (the hub's documents, a witness) and pass it with --key next time")
    key = trusted_key or served_key
    proof = None
    if previous_checkpoint is not None and isinstance(bundle, dict):
        sizes = sorted(s for s in (_peek_size(previous_checkpoint), _peek_size(bundle.get("checkpoint")))
                       if s is not None)
        if len(sizes) == 2 and 0 < sizes[0] < sizes[1]:
            proof_url = f"{base}/log/proof/consistency?first={sizes[0]}&second={sizes[1]}"
            try:
                answer = json.loads(get(proof_url))
                proof = [tlog.decode_hash(h) for h in answer["hashes"]]
            except (OSError, ValueError, KeyError, TypeError, tlog.ProofError) as exc:
                report.fail(f"could not get a consistency proof from size {sizes[0]} to {sizes[1]}: {exc}")
    result = verify_bundle(bundle, trusted_key=key, previous_checkpoint=previous_checkpoint,
                           consistency_proof=proof, witness_key=witness_key)
    report.extend(result)
    return report


def _read_proof_file(path: str) -> list[bytes]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return [tlog.decode_hash(h) for h in (data["hashes"] if isinstance(data, dict) else data)]


def verify_target(target: str, *, trusted_key: str | None = None, previous_checkpoint: str | None = None,
                  witness_key: str | None = None, consistency_proof: Sequence[bytes] | None = None,
                  fetch: Fetch | None = None) -> Report:
    """A lot URL (downloads what it needs) or the path of a saved bundle JSON file (offline)."""
    if target.startswith(("http://", "https://")):
        return fetch_and_verify(target, trusted_key=trusted_key, previous_checkpoint=previous_checkpoint,
                                witness_key=witness_key, fetch=fetch)
    try:
        with open(target, encoding="utf-8") as f:
            bundle = json.load(f)
    except (OSError, ValueError) as exc:
        report = Report(subject=target)
        report.fail(f"cannot read the bundle file {target}: {exc}")
        return report
    report = verify_bundle(bundle, trusted_key=trusted_key, previous_checkpoint=previous_checkpoint,
                           consistency_proof=consistency_proof, witness_key=witness_key)
    report.subject = f"{target} ({report.subject})"
    return report


def _key_argument(value: str | None) -> str | None:
    """A verifier key, or the path of a file holding one."""
    if value and os.path.isfile(value):
        with open(value, encoding="utf-8") as f:
            return f.read().strip()
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", help="the hub's verifier key you trust (or a file holding it)")
    parser.add_argument("--previous-checkpoint", metavar="FILE_OR_URL",
                        help="a checkpoint note seen before (your saved file, or a witness's published copy): "
                             "the log must extend it")
    parser.add_argument("--witness-key", help="the previous checkpoint must be cosigned by this witness: its C2SP "
                                              "cosignature/v1 key (type 0x04), or a file holding it")
    parser.add_argument("--consistency-proof", metavar="FILE",
                        help="offline: JSON {\"hashes\": [...]} from /log/proof/consistency for a bundle file")
    parser.add_argument("--save-checkpoint", metavar="FILE",
                        help="if everything holds, write the verified checkpoint here for next time")


def run(args: argparse.Namespace, *, out: Any = None, fetch: Fetch | None = None) -> int:
    """Verify `args.target` as the command line asked; print the report; 0 only if everything holds."""
    out = out or sys.stdout
    previous = proof = None
    try:
        if args.previous_checkpoint and args.previous_checkpoint.startswith(("http://", "https://")):
            previous = (fetch or urlopen_fetch())(args.previous_checkpoint).decode("utf-8")  # e.g. a witness's copy
        elif args.previous_checkpoint:
            with open(args.previous_checkpoint, encoding="utf-8") as f:
                previous = f.read()
        if args.consistency_proof:
            proof = _read_proof_file(args.consistency_proof)
    except (OSError, ValueError, KeyError, TypeError, tlog.ProofError) as exc:  # UnicodeError is a ValueError
        out.write(f"Cannot read an input: {exc}\nResult: NOT VERIFIED.\n")
        return 1
    report = verify_target(args.target, trusted_key=_key_argument(args.key), previous_checkpoint=previous,
                           witness_key=_key_argument(args.witness_key), consistency_proof=proof, fetch=fetch)
    out.write(report.text())
    if report.ok and args.save_checkpoint and report.checkpoint:
        with open(args.save_checkpoint, "w", encoding="utf-8") as f:
            f.write(report.checkpoint)
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verifier", description="Verify a lot's history in Tây Bắc Hub's transparency log.")
    parser.add_argument("target", help="a lot URL https://<hub>/01/<gtin14>/10/<lot>, or a saved bundle JSON file")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
