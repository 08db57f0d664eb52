"""C2SP tlog checkpoints (https://c2sp.org/tlog-checkpoint): origin, tree size, root hash, extension lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from taybac_verify.note.keys import BAD_CHAR, HASH_SIZE, b64, unb64
from taybac_verify.note.signed import open_note, sign

_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")


class CheckpointError(ValueError):
    """A checkpoint body is malformed or names another log."""


@dataclass(frozen=True)
class Checkpoint:
    """A log's tree head: who (origin), how many leaves (size) and their RFC 6962 root hash."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()


def parse_checkpoint(body: str) -> Checkpoint:
    """Origin, tree size, base64 root hash, then optional extension lines, each ending in newline."""
    if not body.endswith("\n") or BAD_CHAR.search(body):
        raise CheckpointError("checkpoint must be lines of text, each ending in a newline")
    origin, *rest = body[:-1].split("\n")
    if len(rest) < 2:
        raise CheckpointError("checkpoint needs origin, tree size and root hash lines")
    size, root, *extensions = rest
    if not origin:
        raise CheckpointError("checkpoint origin is empty")
    if not _SIZE.fullmatch(size) or int(size) >= 1 << 64:
        raise CheckpointError(f"tree size {size!r} is not a decimal number without leading zeros")
    root_hash = unb64(root)
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
    body = "\n".join([origin, str(size), b64(root_hash), *extensions]) + "\n"
    parse_checkpoint(body)
    return body


def sign_checkpoint(origin: str, size: int, root_hash: bytes, private_key: str, extensions: Sequence[str] = ()) -> str:
    """A signed checkpoint note; the key name should match the origin (the spec's SHOULD)."""
    return sign(format_checkpoint(origin, size, root_hash, extensions), private_key)


def open_checkpoint(note_text: bytes | str, verifier_key: str, origin: str | None = None) -> Checkpoint:
    """Verify the log's signature first, then parse; a checkpoint from another log is refused."""
    checkpoint = parse_checkpoint(open_note(note_text, [verifier_key]).text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"checkpoint origin is {checkpoint.origin!r}, expected {origin!r}")
    return checkpoint
