"""Check a lot's history against Tây Bắc Hub's transparency log without trusting the hub.

Part of the standalone package `taybac-verify` (standard library plus `cryptography` for Ed25519, never Django):
`pip install ./verifier` from the hub's repository, then `taybac-verify https://<hub>/01/<gtin14>/10/<lot> --key
'<verifier key>'` (or `python -m taybac_verify ...`); with the hub installed, `taybac trace verify ...` too.

A bundle (GET /log/bundle/<gtin14>/<lot>) holds the log's latest signed checkpoint, its verifier key, and each
event about the lot with its exact leaf bytes and RFC 9162 inclusion proof. The checks (bundle.py):
1. the key is the one you trust (given with --key; otherwise the bundle's own key, with a warning);
2. the checkpoint is signed by that key and names the log (origin) the bundle claims;
3. every event's leaf, hashed, leads through its proof to the checkpoint's root hash;
4. given a checkpoint you saw before (yours, or a witness's cosigned copy), the log's current tree extends
   it (RFC 9162 consistency proof): the hub has not rewritten history or shown you a different log. With a
   witness key (a C2SP tlog-cosignature `cosignature/v1` vkey, type 0x04), that checkpoint must carry the
   witness's valid cosignature, dated no later than a few minutes ahead of this computer's clock;
5. the checkpoint this verifier verified last time (state.py) is the same tree or a prefix of this
   one: a smaller tree served by the hub is a ROLLBACK; a witness seen cosigning once must cosign again;
6. for a lot URL, unless the log is large: every leaf of the log that names the lot is in the bundle
   (scan.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from taybac_verify import note, tlog
from taybac_verify.bundle import Report, check_consistency, verify_bundle
from taybac_verify.scan import SCAN_DEFAULT_MAX, scan_lot
from taybac_verify.state import Remembered, StateError, StateStore, default_dir, write_atomic

__all__ = [
    "DownloadError",
    "OptionError",
    "Options",
    "Report",
    "StateStore",
    "check_consistency",
    "fetch_and_verify",
    "main",
    "parse_lot_url",
    "prepare",
    "verify_bundle",
    "verify_target",
]

MAX_DOWNLOAD = 64 << 20  # bytes; a bundle of a lot with thousands of events is a few MB
TIMEOUT = 20.0  # seconds per download
USER_AGENT = "taybac-verifier/1"
VKEY = re.compile(r"[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}")

Fetch = Callable[[str], bytes]
Proofs = dict[tuple[int, int], list[bytes]]
BARE = (-1, -1)  # a proof file without its sizes: the one for --previous-checkpoint


class DownloadError(OSError):
    """A download failed; the message names the URL and, for an HTTP error, the hub's explanation."""


class OptionError(ValueError):
    """An option that cannot work in this mode, or names a file that does not exist: refused before verifying."""


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
            with urllib.request.urlopen(request, timeout=timeout) as response:
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
        return note.parse_checkpoint(note_text[: split + 1]).size if split > 0 else None
    except note.CheckpointError:
        return None


def _proofs_needed(base: str, current: int | None, sizes: Sequence[int | None], get: Fetch, report: Report) -> Proofs:
    """Download /log/proof/consistency from each earlier size to the hub's current one."""
    proofs: Proofs = {}
    for size in sorted({s for s in sizes if s is not None}):
        if current is not None and 0 < size < current:
            url = f"{base}/log/proof/consistency?first={size}&second={current}"
            try:
                proofs[(size, current)] = [tlog.decode_hash(h) for h in json.loads(get(url))["hashes"]]
            except (OSError, ValueError, KeyError, TypeError, tlog.ProofError) as exc:
                report.fail(f"could not get a consistency proof from size {size} to {current}: {exc}")
    return proofs


def _load_state(report: Report, state: StateStore | None, bundle: Any, key: str | None) -> Remembered | None:
    if state is None or not isinstance(bundle, dict) or not isinstance(bundle.get("origin"), str) or not key:
        return None
    try:
        return state.load(bundle["origin"], key)
    except StateError as exc:
        report.fail(str(exc))
        return None


def _remember(report: Report, state: StateStore | None, remembered: Remembered | None) -> None:
    """After a verification that holds: the newest checkpoint and the witnesses seen, for next time."""
    if state is not None and report.ok and report.signed is not None and report.checkpoint is not None:
        path = state.save(report.signed.origin, report.checkpoint, report.signed, report.cosigned, remembered)
        size = max(report.signed.size, remembered.size if remembered else 0)
        report.passed(
            f"remembered this checkpoint (size {size}) in {path}: the next run fails on a smaller or forked log"
        )


def fetch_and_verify(
    url: str,
    *,
    trusted_key: str | None = None,
    previous_checkpoint: str | None = None,
    witness_key: str | None = None,
    fetch: Fetch | None = None,
    state: StateStore | None = None,
    scan: bool | None = None,
) -> Report:
    """Download the lot's bundle, the hub's key and the consistency proofs it needs; verify.

    `fetch(url) -> bytes` defaults to urllib; it should raise on a non-2xx answer. With `state`, the checkpoint
    verified last time must be extended, and this one is remembered if everything holds. `scan`: read the whole
    log for events about the lot that the bundle omits (None: only up to SCAN_DEFAULT_MAX leaves).
    """
    report = Report(subject=url)
    try:
        base, gtin, lot = parse_lot_url(url)
    except ValueError as exc:
        report.fail(str(exc))
        return report
    get = fetch or urlopen_fetch()
    try:
        bundle = json.loads(get(f"{base}/log/bundle/{gtin}/{quote(lot, safe='')}"))
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
        report.warn(
            f"the key {served_key} was downloaded from the hub itself: compare it once with the key "
            f"published elsewhere (the hub's documents, a witness) and pass it with --key next time"
        )
    key = trusted_key or served_key
    remembered = _load_state(report, state, bundle, key)
    current = _peek_size(bundle.get("checkpoint")) if isinstance(bundle, dict) else None
    sizes = [
        _peek_size(previous_checkpoint) if previous_checkpoint is not None else None,
        remembered.size if remembered else None,
    ]
    proofs = _proofs_needed(base, current, sizes, get, report)
    previous_proof = proofs.get((sizes[0], current)) if sizes[0] is not None and current is not None else None
    result = verify_bundle(
        bundle,
        trusted_key=key,
        previous_checkpoint=previous_checkpoint,
        consistency_proof=previous_proof,
        witness_key=witness_key,
        remembered=remembered,
        proofs=proofs,
        live=True,
    )
    report.extend(result)
    signed = result.signed
    if signed is not None and (scan or (scan is None and signed.size <= SCAN_DEFAULT_MAX)):
        indexes = {e["index"] for e in bundle["events"] if isinstance(e, dict) and isinstance(e.get("index"), int)}
        scan_lot(report, base=base, gtin=gtin, lot=lot, checkpoint=signed, bundle_indexes=indexes, get=get)
    elif signed is not None:
        report.warn(
            f"the log has {signed.size} leaves, more than {SCAN_DEFAULT_MAX}, so it was not read to look for "
            f"events about the lot that the bundle omits (pass --scan-log to do it)"
        )
    _remember(report, state, remembered)
    return report


def read_proof_file(path: str) -> Proofs:
    """A saved /log/proof/consistency answer; a bare list of hashes (older files) is for previous -> current."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict) and "first" in data and "second" in data:
        return {(int(data["first"]), int(data["second"])): [tlog.decode_hash(h) for h in data["hashes"]]}
    hashes = data["hashes"] if isinstance(data, dict) else data
    return {BARE: [tlog.decode_hash(h) for h in hashes]}


def verify_target(
    target: str,
    *,
    trusted_key: str | None = None,
    previous_checkpoint: str | None = None,
    witness_key: str | None = None,
    consistency_proof: Sequence[bytes] | None = None,
    fetch: Fetch | None = None,
    state: StateStore | None = None,
    scan: bool | None = None,
    proofs: Proofs | None = None,
) -> Report:
    """A lot URL (downloads what it needs) or the path of a saved bundle JSON file (offline)."""
    if target.startswith(("http://", "https://")):
        return fetch_and_verify(
            target,
            trusted_key=trusted_key,
            previous_checkpoint=previous_checkpoint,
            witness_key=witness_key,
            fetch=fetch,
            state=state,
            scan=scan,
        )
    report = Report(subject=target)
    try:
        with open(target, encoding="utf-8") as f:
            bundle = json.load(f)
    except (OSError, ValueError) as exc:
        report.fail(f"cannot read the bundle file {target}: {exc}")
        return report
    remembered = _load_state(
        report, state, bundle, trusted_key or (bundle.get("key") if isinstance(bundle, dict) else None)
    )
    proofs = dict(proofs or {})
    current = _peek_size(bundle.get("checkpoint")) if isinstance(bundle, dict) else None
    previous = _peek_size(previous_checkpoint) if previous_checkpoint is not None else None
    if consistency_proof is None and previous is not None and current is not None:
        consistency_proof = proofs.get((min(previous, current), max(previous, current)), proofs.get(BARE))
    result = verify_bundle(
        bundle,
        trusted_key=trusted_key,
        previous_checkpoint=previous_checkpoint,
        consistency_proof=consistency_proof,
        witness_key=witness_key,
        remembered=remembered,
        proofs=proofs,
    )
    report.extend(result)
    report.subject = f"{target} ({result.subject})"
    _remember(report, state, remembered)
    return report


# --- Command line ---------------------------------------------------------------------------------


@dataclass
class Options:
    """The command line, read and checked: files read, keys parsed, the mode's refusals applied."""

    trusted_key: str | None = None
    previous_checkpoint: str | None = None
    witness_key: str | None = None
    proofs: Proofs = field(default_factory=dict)
    save_checkpoint: Path | None = None
    state: StateStore | None = None
    scan: bool | None = None


def _key_argument(value: str | None, option: str) -> str | None:
    """A verifier key, or the path of a file holding one; anything else is refused."""
    if value is None:
        return None
    if os.path.isfile(value):
        with open(value, encoding="utf-8") as f:
            value = f.read().strip()
        if not VKEY.fullmatch(value):
            raise OptionError(f"{option}: the file does not hold a verifier key (<name>+<8 hex digits>+<base64>)")
        return value
    if VKEY.fullmatch(value.strip()):
        return value.strip()
    raise OptionError(f"{option} {value!r}: no such file, and not a verifier key (<name>+<8 hex digits>+<base64>)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", help="the hub's verifier key you trust (or a file holding it)")
    parser.add_argument(
        "--previous-checkpoint",
        metavar="FILE_OR_URL",
        help="a checkpoint note seen before (your saved file, or a witness's published copy): the log must extend it",
    )
    parser.add_argument(
        "--witness-key",
        help="a checkpoint given must be cosigned by this witness: its C2SP "
        "cosignature/v1 key (type 0x04), or a file holding it",
    )
    parser.add_argument(
        "--consistency-proof",
        metavar="FILE",
        action="append",
        help="offline, for a bundle file: a saved /log/proof/consistency answer (repeatable)",
    )
    parser.add_argument(
        "--save-checkpoint",
        metavar="FILE",
        help="if everything holds, write the verified checkpoint here for next time",
    )
    remember = parser.add_mutually_exclusive_group()
    remember.add_argument(
        "--state",
        metavar="DIR",
        help="directory where the verifier remembers the newest checkpoint it verified per log "
        "(default: $TAYBAC_VERIFY_STATE, else ~/.local/state/taybac-verify)",
    )
    remember.add_argument("--no-state", action="store_true", help="neither read nor write the remembered state")
    scan = parser.add_mutually_exclusive_group()
    scan.add_argument(
        "--scan-log",
        dest="scan_log",
        action="store_const",
        const=True,
        help=f"read the whole log for events about the lot the bundle omits (default: only up to "
        f"{SCAN_DEFAULT_MAX} leaves)",
    )
    scan.add_argument(
        "--no-scan-log", dest="scan_log", action="store_const", const=False, help="do not read the whole log"
    )


def prepare(
    args: argparse.Namespace, *, mode: str, default_state: Path | None = None, fetch: Fetch | None = None
) -> Options:
    """Read and check the options for `mode` ("url", "file" or "hub"); OptionError names what cannot work."""
    options = Options(
        trusted_key=_key_argument(getattr(args, "key", None), "--key"),
        witness_key=_key_argument(getattr(args, "witness_key", None), "--witness-key"),
    )
    previous = getattr(args, "previous_checkpoint", None)
    try:
        if previous and previous.startswith(("http://", "https://")):
            options.previous_checkpoint = (fetch or urlopen_fetch())(previous).decode("utf-8")  # a witness's copy
        elif previous:
            with open(previous, encoding="utf-8") as f:
                options.previous_checkpoint = f.read()
    except (OSError, ValueError) as exc:  # UnicodeError is a ValueError
        raise OptionError(f"--previous-checkpoint: cannot read {previous}: {exc}") from exc
    proof_files = getattr(args, "consistency_proof", None) or []
    if proof_files and mode != "file":
        raise OptionError(
            "--consistency-proof is only for a bundle file: verifying a lot URL downloads the proofs it "
            "needs, and the hub's own check recomputes the tree from its leaves"
        )
    for path in proof_files:
        try:
            options.proofs.update(read_proof_file(path))
        except (OSError, ValueError, KeyError, TypeError, tlog.ProofError) as exc:
            raise OptionError(f"--consistency-proof: cannot read {path}: {exc}") from exc
    save = getattr(args, "save_checkpoint", None)
    if save:
        target = Path(save)
        if target.is_dir() or not target.parent.is_dir():
            raise OptionError(f"--save-checkpoint {save}: not a file in an existing directory")
        options.save_checkpoint = target
    if getattr(args, "scan_log", None) is not None:
        if mode != "url":
            raise OptionError(
                "--scan-log/--no-scan-log read the hub's /log/entries, so they need a lot URL"
                if mode == "file"
                else "the hub's own check always checks every event's lot links "
                "against its logged text; --scan-log/--no-scan-log are for a lot URL"
            )
        options.scan = args.scan_log
    state_dir = getattr(args, "state", None)
    if state_dir is not None and not Path(state_dir).is_dir():
        raise OptionError(f"--state {state_dir}: no such directory")
    if not getattr(args, "no_state", False):
        options.state = StateStore(state_dir or default_state or default_dir())
    return options


def save_checkpoint(options: Options, report: Report) -> None:
    if report.ok and options.save_checkpoint is not None and report.checkpoint:
        write_atomic(options.save_checkpoint, report.checkpoint)


def run(args: argparse.Namespace, *, out: Any = None, fetch: Fetch | None = None) -> int:
    """Verify `args.target` as the command line asked; print the report; 0 if everything holds, 1 if not,
    2 for options that cannot work."""
    out = out or sys.stdout
    mode = "url" if args.target.startswith(("http://", "https://")) else "file"
    try:
        options = prepare(args, mode=mode, fetch=fetch)
    except OptionError as exc:
        out.write(f"error: {exc}\n")
        return 2
    report = verify_target(
        args.target,
        trusted_key=options.trusted_key,
        previous_checkpoint=options.previous_checkpoint,
        witness_key=options.witness_key,
        fetch=fetch,
        state=options.state,
        scan=options.scan,
        proofs=options.proofs,
    )
    out.write(report.text())
    save_checkpoint(options, report)
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="taybac-verify", description="Verify a lot's history in Tây Bắc Hub's transparency log."
    )
    parser.add_argument("target", help="a lot URL https://<hub>/01/<gtin14>/10/<lot>, or a saved bundle JSON file")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
