"""C2SP signed notes and tlog checkpoints with Ed25519 keys, compatible with golang.org/x/mod/sumdb/note.

Standalone on purpose: it imports only the standard library and `cryptography`'s Ed25519, never
Django or the rest of Tây Bắc Hub, so a third-party verifier can copy it next to tlog.py and check
our signed checkpoints. Specs: https://c2sp.org/signed-note and https://c2sp.org/tlog-checkpoint.

Witnesses cosign checkpoints in the C2SP tlog-cosignature format (https://c2sp.org/tlog-cosignature),
Ed25519 `cosignature/v1`, signature type 0x04: `generate_cosigner`, `cosigner_key`, `cosign` and
`verify_cosignature`. Cosigner keys are distinct from note signing keys (type 0x01): each kind of
function refuses the other kind of key.

Parsing is stricter than Go's where that costs interoperability nothing: base64 must be canonical
(one spelling per value) and key IDs lowercase hex, as every conforming signer writes them.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "ALG_COSIGNATURE_V1", "ALG_ED25519", "HASH_SIZE", "MAX_CLOCK_SKEW", "MAX_NOTE_SIZE", "MAX_SIGNATURES",
    "MAX_TIMESTAMP", "Checkpoint", "CheckpointError", "CosignatureTimeError", "InvalidKeyError",
    "InvalidSignatureError", "MalformedNoteError", "Note", "NoteError", "Signature", "UnverifiedNoteError",
    "cosign", "cosigned_message", "cosigner_key", "format_checkpoint", "generate_cosigner", "generate_signer",
    "load_or_create_signer", "open_checkpoint", "open_note", "parse_checkpoint", "sign", "sign_checkpoint",
    "verifier_key", "verify_cosignature",
]

ALG_ED25519 = 0x01  # signed-note Ed25519: the log's own signature
ALG_COSIGNATURE_V1 = 0x04  # tlog-cosignature Ed25519 cosignature/v1: a witness's timestamped cosignature
MAX_TIMESTAMP = (1 << 63) - 1  # the spec's bound on a cosignature's u64 timestamp
MAX_CLOCK_SKEW = 600  # seconds a cosignature may be dated ahead of the verifier's clock
_COSIGNATURE_SIZE = 8 + 64  # u64 timestamp, Ed25519 signature (after the 4-byte key ID)
MAX_NOTE_SIZE = 1 << 20  # bytes; bounds the work an attacker-supplied note can cause
MAX_SIGNATURES = 100  # the spec asks for at least 16; Go's note package allows 100
HASH_SIZE = 32
_SIG_PREFIX = "\u2014 "  # em dash, space
_B64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_KEY_ID = re.compile(r"[0-9a-f]{8}")
_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")
_BAD_CHAR = re.compile("[\x00-\x09\x0b-\x1f\ud800-\udfff]")  # controls but newline; lone surrogates


class NoteError(ValueError):
    """A note, key or signature was rejected; the message says why."""


class MalformedNoteError(NoteError):
    """The note's bytes do not follow the signed-note syntax."""


class InvalidKeyError(NoteError):
    """A key name, verifier key or private key string is malformed or inconsistent."""


class InvalidSignatureError(NoteError):
    """A signature by a known key failed: the whole note is rejected, not just that line."""


class UnverifiedNoteError(NoteError):
    """No signature by a known key: the text must not be trusted."""


class CosignatureTimeError(InvalidSignatureError):
    """A cosignature's timestamp is above 2**63 - 1, or further ahead of the verifier's clock than allowed."""


class CheckpointError(ValueError):
    """A checkpoint body is malformed or names another log."""


class Signature(NamedTuple):
    """One signature line: key name, 32-bit key ID and the raw signature (key ID stripped; for a cosignature/v1,
    the 8-byte timestamp and the Ed25519 signature)."""

    name: str
    key_id: int
    signature: bytes


@dataclass(frozen=True)
class Note:
    """An opened note: `text` is the signed body; `verified_by` names the known keys that signed it."""

    text: str
    signatures: tuple[Signature, ...]
    verified_by: tuple[str, ...]


@dataclass(frozen=True)
class Checkpoint:
    """A log's tree head: who (origin), how many leaves (size) and their RFC 6962 root hash."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes | None:
    """Canonical standard base64 only, so the same value can't be spelled two ways."""
    if not _B64.fullmatch(text) or len(text) % 4:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return raw if _b64(raw) == text else None


def _valid_name(name: str) -> bool:
    """Key names are split on '+' and ' ', so neither (nor any space or control) may appear."""
    return bool(name) and "+" not in name and not _BAD_CHAR.search(name) and not any(
        c.isspace() for c in name)


def _key_id(name: str, public_key: bytes, alg: int = ALG_ED25519) -> int:
    """SHA-256(name || 0x0A || alg || public key)[:4]: binds the ID to the name, the key and its type."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


_KEY_KINDS = {ALG_ED25519: "an Ed25519 note signing key (type 0x01)",
              ALG_COSIGNATURE_V1: "an Ed25519 C2SP cosignature/v1 key (type 0x04)"}


def _decode_key(name: str, key_id: str, key64: str, alg: int) -> tuple[int, bytes]:
    raw = _unb64(key64)
    if not _valid_name(name) or not _KEY_ID.fullmatch(key_id) or not raw:
        raise InvalidKeyError("malformed key")
    if raw[0] != alg and raw[0] in _KEY_KINDS and len(raw) == 33:
        raise InvalidKeyError(f"key for {name} is {_KEY_KINDS[raw[0]]}, not {_KEY_KINDS[alg]}")
    if raw[0] != alg or len(raw) != 33:
        raise InvalidKeyError(f"key for {name} is not {_KEY_KINDS[alg]}")
    return int(key_id, 16), raw[1:]


def _parse_private(private_key: str, alg: int = ALG_ED25519) -> tuple[str, int, Ed25519PrivateKey]:
    parts = private_key.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise InvalidKeyError("malformed private key")
    name = parts[2]
    key_id, seed = _decode_key(name, parts[3], parts[4], alg)
    private = Ed25519PrivateKey.from_private_bytes(seed)
    if _key_id(name, private.public_key().public_bytes_raw(), alg) != key_id:
        raise InvalidKeyError(f"private key for {name} has the wrong key ID")
    return name, key_id, private


def _parse_verifier(vkey: str, alg: int = ALG_ED25519) -> tuple[str, int, bytes]:
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise InvalidKeyError("malformed verifier key")
    key_id, public = _decode_key(*parts, alg)
    if _key_id(parts[0], public, alg) != key_id:
        raise InvalidKeyError(f"verifier key for {parts[0]} has the wrong key ID")
    return parts[0], key_id, public


def _generate(name: str, alg: int) -> str:
    if not _valid_name(name):
        raise InvalidKeyError(f"invalid key name {name!r}")
    private = Ed25519PrivateKey.generate()
    key_id = _key_id(name, private.public_key().public_bytes_raw(), alg)
    return f"PRIVATE+KEY+{name}+{key_id:08x}+{_b64(bytes([alg]) + private.private_bytes_raw())}"


def _public(private_key: str, alg: int) -> str:
    name, key_id, private = _parse_private(private_key, alg)
    return f"{name}+{key_id:08x}+{_b64(bytes([alg]) + private.public_key().public_bytes_raw())}"


def generate_signer(name: str) -> str:
    """A fresh private key string `PRIVATE+KEY+<name>+<id>+<base64>`, Go-compatible."""
    return _generate(name, ALG_ED25519)


def verifier_key(private_key: str) -> str:
    """The public `<name>+<id>+<base64>` string to hand to whoever verifies our notes."""
    return _public(private_key, ALG_ED25519)


def generate_cosigner(name: str) -> str:
    """A fresh witness key `PRIVATE+KEY+<name>+<id>+<base64(0x04 || seed)>`, for `cosign`.

    Shaped like a note signing key, with the cosignature/v1 type byte 0x04 and the cosignature key ID
    SHA-256(name || 0x0A || 0x04 || public key)[:4], so it cannot be mistaken for a 0x01 key.
    """
    return _generate(name, ALG_COSIGNATURE_V1)


def cosigner_key(private_key: str) -> str:
    """The witness's public vkey `<name>+<id>+<base64(0x04 || public key)>`, as tlog-cosignature encodes it."""
    return _public(private_key, ALG_COSIGNATURE_V1)


def sign(body: str, private_key: str) -> str:
    """Body, blank line, one signature line: the whole note, ready to publish."""
    name, key_id, private = _parse_private(private_key)
    if not body.endswith("\n"):
        raise MalformedNoteError("note text must end with a newline")
    if _BAD_CHAR.search(body):
        raise MalformedNoteError("note contains control characters or invalid UTF-8")
    signature = private.sign(body.encode())
    note = f"{body}\n{_SIG_PREFIX}{name} {_b64(key_id.to_bytes(4, 'big') + signature)}\n"
    if len(note.encode()) > MAX_NOTE_SIZE:
        raise MalformedNoteError(f"note is larger than {MAX_NOTE_SIZE} bytes")
    return note


def _parse_signature_line(line: str) -> Signature:
    if not line.startswith(_SIG_PREFIX):
        raise MalformedNoteError("signature line must start with an em dash and a space")
    name, space, sig64 = line[len(_SIG_PREFIX):].partition(" ")
    raw = _unb64(sig64)
    if not space or not _valid_name(name) or raw is None or len(raw) < 5:
        raise MalformedNoteError("malformed signature line")
    return Signature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def _signature_line(sig: Signature) -> str:
    """The line `sig` was parsed from (base64 is canonical, so it reads back identically)."""
    return f"{_SIG_PREFIX}{sig.name} {_b64(sig.key_id.to_bytes(4, 'big') + sig.signature)}\n"


def _read_note(note: bytes | str) -> tuple[str, list[Signature]]:
    """Strict signed-note syntax: (text, signature lines), nothing verified yet."""
    try:
        raw = note.encode() if isinstance(note, str) else bytes(note)
        if len(raw) > MAX_NOTE_SIZE:
            raise MalformedNoteError(f"note is larger than {MAX_NOTE_SIZE} bytes")
        text = raw.decode()
    except UnicodeError:
        raise MalformedNoteError("note is not valid UTF-8") from None
    if _BAD_CHAR.search(text):
        raise MalformedNoteError("note contains control characters or invalid UTF-8")
    split = text.rfind("\n\n")  # signature lines are never empty, so the last blank line splits
    if split < 0:
        raise MalformedNoteError("note has no blank line before its signatures")
    body, block = text[: split + 1], text[split + 2:]
    if not block.endswith("\n"):
        raise MalformedNoteError("signature block must end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"note has more than {MAX_SIGNATURES} signatures")
    return body, [_parse_signature_line(line) for line in lines]


def open_note(note: bytes | str, verifier_keys: Sequence[str]) -> Note:
    """Parse strictly, then trust the text only if a known key signed it and none failed.

    Signature lines by other keys (another log key, a witness's cosignature) are ignored, as the spec says.
    """
    known: dict[tuple[str, int], bytes] = {}
    for vkey in verifier_keys:
        name, key_id, public = _parse_verifier(vkey)
        if known.setdefault((name, key_id), public) != public:
            raise InvalidKeyError(f"two different verifier keys for {name}+{key_id:08x}")
    body, signatures = _read_note(note)
    verified: list[str] = []
    message = body.encode()
    for sig in signatures:
        public = known.get((sig.name, sig.key_id))
        if public is None:
            continue  # unknown keys (another witness, a rotated key) are ignored, as the spec says
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(sig.signature, message)
        except (InvalidSignature, ValueError):
            raise InvalidSignatureError(f"signature by {sig.name} does not verify") from None
        if sig.name not in verified:
            verified.append(sig.name)
    if not verified:
        raise UnverifiedNoteError("no signature by a known key")
    return Note(body, tuple(signatures), tuple(verified))


# --- C2SP tlog-cosignature, Ed25519 cosignature/v1 ---------------------------------------------------


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
        raise MalformedNoteError(f"a cosignature applies to a checkpoint, and this note's text is not one: "
                                 f"{exc}") from None


def cosign(note_text: bytes | str, private_key: str, timestamp: int | None = None) -> str:
    """The signed checkpoint with our cosignature/v1 line appended, its other signature lines kept.

    `private_key` comes from `generate_cosigner`; `timestamp` (POSIX seconds) defaults to now. A cosignature
    already there under our name and key ID is replaced, not repeated. The note's own signatures are not
    checked here: verify them (e.g. with `open_checkpoint`) before vouching for the checkpoint.
    """
    name, key_id, private = _parse_private(private_key, ALG_COSIGNATURE_V1)
    if timestamp is None:
        timestamp = int(time.time())
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or not 0 <= timestamp <= MAX_TIMESTAMP:
        raise NoteError(f"a cosignature timestamp is an integer in [0, 2**63 - 1], got {timestamp!r}")
    body, signatures = _read_note(note_text)
    _checkpoint_body(body)
    signature = private.sign(cosigned_message(body, timestamp))
    ours = Signature(name, key_id, timestamp.to_bytes(8, "big") + signature)
    kept = [sig for sig in signatures if (sig.name, sig.key_id) != (name, key_id)]
    if len(kept) + 1 > MAX_SIGNATURES:
        raise MalformedNoteError(f"note would have more than {MAX_SIGNATURES} signatures")
    note = body + "\n" + "".join(_signature_line(sig) for sig in (*kept, ours))
    if len(note.encode()) > MAX_NOTE_SIZE:
        raise MalformedNoteError(f"note is larger than {MAX_NOTE_SIZE} bytes")
    return note


def verify_cosignature(note_text: bytes | str, vkey: str, *, now: float | None = None,
                       max_skew: float | None = MAX_CLOCK_SKEW) -> int:
    """Check the cosignature/v1 by the cosigner `vkey` (type 0x04) on a checkpoint; return its timestamp.

    Lines by other keys are ignored. Every line under the cosigner's name and key ID must verify (several:
    the newest time is returned). A timestamp more than `max_skew` seconds after `now` (default: this
    computer's clock) is refused with CosignatureTimeError; `max_skew=None` accepts any time up to 2**63 - 1.
    This checks the witness's word only: check the log's own signature with `open_checkpoint`.
    """
    name, key_id, public = _parse_verifier(vkey, ALG_COSIGNATURE_V1)
    body, signatures = _read_note(note_text)
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
            raise InvalidSignatureError(f"cosignature by {name} has {4 + len(sig.signature)} bytes, not the "
                                        f"{4 + _COSIGNATURE_SIZE} of an Ed25519 cosignature/v1")
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
                    f"verifier's clock ({_utc(int(clock))}; at most {max_skew:g} s allowed)")
        newest = max(newest, timestamp)
    return newest


def parse_checkpoint(body: str) -> Checkpoint:
    """Origin, tree size, base64 root hash, then optional extension lines, each ending in newline."""
    if not body.endswith("\n") or _BAD_CHAR.search(body):
        raise CheckpointError("checkpoint must be lines of text, each ending in a newline")
    origin, *rest = body[:-1].split("\n")
    if len(rest) < 2:
        raise CheckpointError("checkpoint needs origin, tree size and root hash lines")
    size, root, *extensions = rest
    if not origin:
        raise CheckpointError("checkpoint origin is empty")
    if not _SIZE.fullmatch(size) or int(size) >= 1 << 64:
        raise CheckpointError(f"tree size {size!r} is not a decimal number without leading zeros")
    root_hash = _unb64(root)
    if root_hash is None or len(root_hash) != HASH_SIZE:
        raise CheckpointError(f"root hash is not the base64 of {HASH_SIZE} bytes")
    if not all(extensions):
        raise CheckpointError("checkpoint extension lines must not be empty")
    return Checkpoint(origin, int(size), root_hash, tuple(extensions))


def format_checkpoint(origin: str, size: int, root_hash: bytes, extensions: Sequence[str] = ()) -> str:
    """The checkpoint body; refuses anything `parse_checkpoint` would not read back identically."""
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size < 1 << 64:
        raise CheckpointError(f"tree size must be an integer in [0, 2**64), got {size!r}")
    if not isinstance(root_hash, bytes) or len(root_hash) != HASH_SIZE:
        raise CheckpointError(f"root hash must be {HASH_SIZE} bytes")
    if any("\n" in line for line in (origin, *extensions)):
        raise CheckpointError("origin and extension lines must not contain newlines")
    body = "\n".join([origin, str(size), _b64(root_hash), *extensions]) + "\n"
    parse_checkpoint(body)
    return body


def sign_checkpoint(origin: str, size: int, root_hash: bytes, private_key: str,
                    extensions: Sequence[str] = ()) -> str:
    """A signed checkpoint note; the key name should match the origin (the spec's SHOULD)."""
    return sign(format_checkpoint(origin, size, root_hash, extensions), private_key)


def open_checkpoint(note_text: bytes | str, verifier_key: str, origin: str | None = None) -> Checkpoint:
    """Verify the log's signature first, then parse; a checkpoint from another log is refused."""
    checkpoint = parse_checkpoint(open_note(note_text, [verifier_key]).text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"checkpoint origin is {checkpoint.origin!r}, expected {origin!r}")
    return checkpoint


def load_or_create_signer(path: Path, name: str) -> str:
    """The log's private key, kept in a 0600 file outside the database so a dump can't forge heads.

    Created on first use: written to a temporary file, fsynced, then hard-linked into place, which
    is atomic like os.replace but never clobbers a key a concurrent process created first (it falls
    back to os.replace on filesystems without hard links). An unreadable file is an error, never
    silently replaced: a lost key would orphan every checkpoint already published.
    """
    path = Path(path)
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = _create_key_file(path, generate_signer(name))
    key_name = _parse_private(key)[0]
    if key_name != name:
        raise InvalidKeyError(f"{path} holds a key for {key_name}, not {name}")
    return key


def _create_key_file(path: Path, key: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(key + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
        except OSError:
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return key
