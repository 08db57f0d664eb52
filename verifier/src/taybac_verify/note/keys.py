"""Key strings of C2SP signed notes: `PRIVATE+KEY+<name>+<id>+<base64>` and the public `<name>+<id>+<base64>`.

Two kinds of Ed25519 key share the shape and differ in their type byte: note signing keys (0x01, the log's own)
and tlog-cosignature `cosignature/v1` keys (0x04, a witness's). Every parser takes the kind it expects and
refuses the other with a message naming both, so one can never stand in for the other.
"""

from __future__ import annotations

import base64
import hashlib
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ALG_ED25519 = 0x01  # signed-note Ed25519: the log's own signature
ALG_COSIGNATURE_V1 = 0x04  # tlog-cosignature Ed25519 cosignature/v1: a witness's timestamped cosignature
HASH_SIZE = 32
B64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
KEY_ID = re.compile(r"[0-9a-f]{8}")
BAD_CHAR = re.compile("[\x00-\x09\x0b-\x1f\ud800-\udfff]")  # controls but newline; lone surrogates
_KEY_KINDS = {
    ALG_ED25519: "an Ed25519 note signing key (type 0x01)",
    ALG_COSIGNATURE_V1: "an Ed25519 C2SP cosignature/v1 key (type 0x04)",
}


class NoteError(ValueError):
    """A note, key or signature was rejected; the message says why."""


class InvalidKeyError(NoteError):
    """A key name, verifier key or private key string is malformed or inconsistent."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes | None:
    """Canonical standard base64 only, so the same value can't be spelled two ways."""
    if not B64.fullmatch(text) or len(text) % 4:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return raw if b64(raw) == text else None


def valid_name(name: str) -> bool:
    """Key names are split on '+' and ' ', so neither (nor any space or control) may appear."""
    return bool(name) and "+" not in name and not BAD_CHAR.search(name) and not any(c.isspace() for c in name)


def compute_key_id(name: str, public_key: bytes, alg: int = ALG_ED25519) -> int:
    """SHA-256(name || 0x0A || alg || public key)[:4]: binds the ID to the name, the key and its type."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def _decode_key(name: str, key_id: str, key64: str, alg: int) -> tuple[int, bytes]:
    raw = unb64(key64)
    if not valid_name(name) or not KEY_ID.fullmatch(key_id) or not raw:
        raise InvalidKeyError("malformed key")
    if raw[0] != alg and raw[0] in _KEY_KINDS and len(raw) == 33:
        raise InvalidKeyError(f"key for {name} is {_KEY_KINDS[raw[0]]}, not {_KEY_KINDS[alg]}")
    if raw[0] != alg or len(raw) != 33:
        raise InvalidKeyError(f"key for {name} is not {_KEY_KINDS[alg]}")
    return int(key_id, 16), raw[1:]


def parse_private(private_key: str, alg: int = ALG_ED25519) -> tuple[str, int, Ed25519PrivateKey]:
    """(name, key ID, Ed25519 key) of a private key string of the kind `alg`."""
    parts = private_key.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise InvalidKeyError("malformed private key")
    name = parts[2]
    key_id, seed = _decode_key(name, parts[3], parts[4], alg)
    private = Ed25519PrivateKey.from_private_bytes(seed)
    if compute_key_id(name, private.public_key().public_bytes_raw(), alg) != key_id:
        raise InvalidKeyError(f"private key for {name} has the wrong key ID")
    return name, key_id, private


def parse_verifier(vkey: str, alg: int = ALG_ED25519) -> tuple[str, int, bytes]:
    """(name, key ID, raw Ed25519 public key) of a verifier key string of the kind `alg`."""
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise InvalidKeyError("malformed verifier key")
    name, key_id_hex, key64 = parts
    key_id, public = _decode_key(name, key_id_hex, key64, alg)
    if compute_key_id(name, public, alg) != key_id:
        raise InvalidKeyError(f"verifier key for {name} has the wrong key ID")
    return name, key_id, public


def _generate(name: str, alg: int) -> str:
    if not valid_name(name):
        raise InvalidKeyError(f"invalid key name {name!r}")
    private = Ed25519PrivateKey.generate()
    key_id = compute_key_id(name, private.public_key().public_bytes_raw(), alg)
    return f"PRIVATE+KEY+{name}+{key_id:08x}+{b64(bytes([alg]) + private.private_bytes_raw())}"


def _public(private_key: str, alg: int) -> str:
    name, key_id, private = parse_private(private_key, alg)
    return f"{name}+{key_id:08x}+{b64(bytes([alg]) + private.public_key().public_bytes_raw())}"


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
