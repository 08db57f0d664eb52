"""A witness's cosignature on a checkpoint: C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519
`cosignature/v1`, signature type 0x04: "as of this time, this is the largest tree of this log I have seen"."""

from __future__ import annotations

import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from taybac_verify.note.checkpoint import CheckpointError, parse_checkpoint
from taybac_verify.note.keys import ALG_COSIGNATURE_V1, InvalidKeyError, NoteError, parse_private, parse_verifier
from taybac_verify.note.signed import (
    MAX_NOTE_SIZE,
    MAX_SIGNATURES,
    InvalidSignatureError,
    MalformedNoteError,
    Signature,
    UnverifiedNoteError,
    read_note,
    signature_line,
)

MAX_TIMESTAMP = (1 << 63) - 1  # the spec's bound on a cosignature's u64 timestamp
MAX_CLOCK_SKEW = 600  # seconds a cosignature may be dated ahead of the verifier's clock
_COSIGNATURE_SIZE = 8 + 64  # u64 timestamp, Ed25519 signature (after the 4-byte key ID)


class CosignatureTimeError(InvalidSignatureError):
    """A cosignature's timestamp is above 2**63 - 1, or further ahead of the verifier's clock than allowed."""


def cosigned_message(body: str, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: `cosignature/v1`, `time <timestamp>`, then the whole checkpoint body."""
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def _utc(timestamp: int) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return f"POSIX time {timestamp}"


def _checkpoint_body(body: str) -> None:
    try:
        parse_checkpoint(body)
    except CheckpointError as exc:
        raise MalformedNoteError(
            f"a cosignature applies to a checkpoint, and this note's text is not one: {exc}"
        ) from None


def cosign(note_text: bytes | str, private_key: str, timestamp: int | None = None) -> str:
    """The signed checkpoint with our cosignature/v1 line appended, its other signature lines kept.

    `private_key` comes from `generate_cosigner`; `timestamp` (POSIX seconds) defaults to now. A cosignature
    already there under our name and key ID is replaced, not repeated. The note's own signatures are not
    checked here: verify them (e.g. with `open_checkpoint`) before vouching for the checkpoint.
    """
    name, key_id, private = parse_private(private_key, ALG_COSIGNATURE_V1)
    if timestamp is None:
        timestamp = int(time.time())
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or not 0 <= timestamp <= MAX_TIMESTAMP:
        raise NoteError(f"a cosignature timestamp is an integer in [0, 2**63 - 1], got {timestamp!r}")
    body, signatures = read_note(note_text)
    _checkpoint_body(body)
    signature = private.sign(cosigned_message(body, timestamp))
    ours = Signature(name, key_id, timestamp.to_bytes(8, "big") + signature)
    kept = [sig for sig in signatures if (sig.name, sig.key_id) != (name, key_id)]
    if len(kept) + 1 > MAX_SIGNATURES:
        raise MalformedNoteError(f"note would have more than {MAX_SIGNATURES} signatures")
    note = body + "\n" + "".join(signature_line(sig) for sig in (*kept, ours))
    if len(note.encode()) > MAX_NOTE_SIZE:
        raise MalformedNoteError(f"note is larger than {MAX_NOTE_SIZE} bytes")
    return note


def verify_cosignature(
    note_text: bytes | str, vkey: str, *, now: float | None = None, max_skew: float | None = MAX_CLOCK_SKEW
) -> int:
    """Check the cosignature/v1 by the cosigner `vkey` (type 0x04) on a checkpoint; return its timestamp.

    Lines by other keys are ignored. Every line under the cosigner's name and key ID must verify (several:
    the newest time is returned). A timestamp more than `max_skew` seconds after `now` (default: this
    computer's clock) is refused with CosignatureTimeError; `max_skew=None` accepts any time up to 2**63 - 1.
    This checks the witness's word only: check the log's own signature with `open_checkpoint`.
    """
    name, key_id, public = parse_verifier(vkey, ALG_COSIGNATURE_V1)
    body, signatures = read_note(note_text)
    _checkpoint_body(body)
    ours = [sig for sig in signatures if (sig.name, sig.key_id) == (name, key_id)]
    if not ours:
        raise UnverifiedNoteError(f"no cosignature by {name}+{key_id:08x}")
    try:
        verifier = Ed25519PublicKey.from_public_bytes(public)
    except ValueError:
        raise InvalidKeyError(f"verifier key for {name} is not a valid Ed25519 public key") from None
    newest = 0
    for sig in ours:
        if len(sig.signature) != _COSIGNATURE_SIZE:
            raise InvalidSignatureError(
                f"cosignature by {name} has {4 + len(sig.signature)} bytes, not the "
                f"{4 + _COSIGNATURE_SIZE} of an Ed25519 cosignature/v1"
            )
        timestamp = int.from_bytes(sig.signature[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            raise CosignatureTimeError(f"cosignature by {name} has timestamp {timestamp}, above 2**63 - 1")
        try:
            verifier.verify(sig.signature[8:], cosigned_message(body, timestamp))
        except InvalidSignature:
            raise InvalidSignatureError(f"cosignature by {name} does not verify") from None
        if max_skew is not None:
            clock = time.time() if now is None else now
            if timestamp > clock + max_skew:
                raise CosignatureTimeError(
                    f"cosignature by {name} is dated {_utc(timestamp)}, {timestamp - clock:.0f} s ahead of the "
                    f"verifier's clock ({_utc(int(clock))}; at most {max_skew:g} s allowed)"
                )
        newest = max(newest, timestamp)
    return newest
