"""Signing and opening C2SP signed notes (https://c2sp.org/signed-note): a text, a blank line, signature lines.

Parsing is stricter than Go's where that costs interoperability nothing: base64 must be canonical (one spelling
per value), and a note or signature count above the bounds below is refused before any signature is checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from taybac_verify.note.keys import (
    BAD_CHAR,
    InvalidKeyError,
    NoteError,
    b64,
    parse_private,
    parse_verifier,
    unb64,
    valid_name,
)

MAX_NOTE_SIZE = 1 << 20  # bytes; bounds the work an attacker-supplied note can cause
MAX_SIGNATURES = 100  # the spec asks for at least 16; Go's note package allows 100
SIG_PREFIX = "\u2014 "  # em dash, space


class MalformedNoteError(NoteError):
    """The note's bytes do not follow the signed-note syntax."""


class InvalidSignatureError(NoteError):
    """A signature by a known key failed: the whole note is rejected, not just that line."""


class UnverifiedNoteError(NoteError):
    """No signature by a known key: the text must not be trusted."""


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


def sign(body: str, private_key: str) -> str:
    """Body, blank line, one signature line: the whole note, ready to publish."""
    name, key_id, private = parse_private(private_key)
    if not body.endswith("\n"):
        raise MalformedNoteError("note text must end with a newline")
    if BAD_CHAR.search(body):
        raise MalformedNoteError("note contains control characters or invalid UTF-8")
    signature = private.sign(body.encode())
    note = f"{body}\n{SIG_PREFIX}{name} {b64(key_id.to_bytes(4, 'big') + signature)}\n"
    if len(note.encode()) > MAX_NOTE_SIZE:
        raise MalformedNoteError(f"note is larger than {MAX_NOTE_SIZE} bytes")
    return note


def _parse_signature_line(line: str) -> Signature:
    if not line.startswith(SIG_PREFIX):
        raise MalformedNoteError("signature line must start with an em dash and a space")
    name, space, sig64 = line[len(SIG_PREFIX) :].partition(" ")
    raw = unb64(sig64)
    if not space or not valid_name(name) or raw is None or len(raw) < 5:
        raise MalformedNoteError("malformed signature line")
    return Signature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def signature_line(sig: Signature) -> str:
    """The line `sig` was parsed from (base64 is canonical, so it reads back identically)."""
    return f"{SIG_PREFIX}{sig.name} {b64(sig.key_id.to_bytes(4, 'big') + sig.signature)}\n"


def read_note(note: bytes | str) -> tuple[str, list[Signature]]:
    """Strict signed-note syntax: (text, signature lines), nothing verified yet."""
    try:
        raw = note.encode() if isinstance(note, str) else bytes(note)
        if len(raw) > MAX_NOTE_SIZE:
            raise MalformedNoteError(f"note is larger than {MAX_NOTE_SIZE} bytes")
        text = raw.decode()
    except UnicodeError:
        raise MalformedNoteError("note is not valid UTF-8") from None
    if BAD_CHAR.search(text):
        raise MalformedNoteError("note contains control characters or invalid UTF-8")
    split = text.rfind("\n\n")  # signature lines are never empty, so the last blank line splits
    if split < 0:
        raise MalformedNoteError("note has no blank line before its signatures")
    body, block = text[: split + 1], text[split + 2 :]
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
        name, key_id, public = parse_verifier(vkey)
        if known.setdefault((name, key_id), public) != public:
            raise InvalidKeyError(f"two different verifier keys for {name}+{key_id:08x}")
    body, signatures = read_note(note)
    verified: list[str] = []
    message = body.encode()
    for sig in signatures:
        signer = known.get((sig.name, sig.key_id))
        if signer is None:
            continue  # unknown keys (another witness, a rotated key) are ignored, as the spec says
        try:
            Ed25519PublicKey.from_public_bytes(signer).verify(sig.signature, message)
        except (InvalidSignature, ValueError):
            raise InvalidSignatureError(f"signature by {sig.name} does not verify") from None
        if sig.name not in verified:
            verified.append(sig.name)
    if not verified:
        raise UnverifiedNoteError("no signature by a known key")
    return Note(body, tuple(signatures), tuple(verified))
