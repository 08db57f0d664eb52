"""Encryption at rest for sellers' identity numbers: AES-256-GCM for the number, HMAC-SHA256 for finding duplicates.

A leaked database copy must not reveal citizen-ID or tax numbers (Law 91/2025/QH15 on personal data: identity numbers
are personal data the controller must protect). The key comes from TAYBAC_IDENTITY_KEY (base64 of 32 bytes); without
it (development, tests, the demo) keys are derived from SECRET_KEY with HKDF, and `check --deploy` warns. Two keys
are derived from the one secret, so the duplicate digest never reuses the encryption key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks

NONCE_BYTES = 12


class IdentityKeyError(RuntimeError):
    """TAYBAC_IDENTITY_KEY is set but is not base64 of 32 bytes: refusing to run beats encrypting with a bad key."""


@cache
def _keys(secret: str, identity_key: str) -> tuple[bytes, bytes]:
    if identity_key:
        try:
            master = base64.b64decode(identity_key, validate=True)
        except binascii.Error as exc:
            raise IdentityKeyError("TAYBAC_IDENTITY_KEY is not valid base64") from exc
        if len(master) != 32:
            raise IdentityKeyError("TAYBAC_IDENTITY_KEY must decode to 32 bytes")
    else:
        master = secret.encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=b"taybac seller identity v1").derive(master)
    return derived[:32], derived[32:]


def _current_keys() -> tuple[bytes, bytes]:
    return _keys(settings.SECRET_KEY, settings.IDENTITY_KEY)


def _aad(producer_id: int) -> bytes:
    # Binding the ciphertext to its producer: a number copied onto another row does not decrypt.
    return f"seller-identity:{producer_id}".encode()


def encrypt(number: str, *, producer_id: int) -> bytes:
    """nonce + ciphertext of `number` for the producer's row."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(_current_keys()[0]).encrypt(nonce, number.encode(), _aad(producer_id))


def decrypt(blob: bytes, *, producer_id: int) -> str:
    """The number back; InvalidTag if the row was tampered with, moved or encrypted with another key."""
    data = bytes(blob)
    return AESGCM(_current_keys()[0]).decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], _aad(producer_id)).decode()


def digest(number: str) -> str:
    """Keyed digest of the normalised number: equal numbers give equal digests, without storing the number."""
    return hmac.new(_current_keys()[1], number.encode(), hashlib.sha256).hexdigest()


__all__ = ["IdentityKeyError", "InvalidTag", "decrypt", "digest", "encrypt"]


@checks.register(checks.Tags.security, deploy=True)
def check_identity_key(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """In production the identity key must be its own secret, not derived from SECRET_KEY."""
    if not settings.IDENTITY_KEY:
        return [
            checks.Warning(
                "TAYBAC_IDENTITY_KEY is not set: sellers' identity numbers are encrypted with a key derived from "
                "SECRET_KEY (acceptable for development and the demo only).",
                hint='Set TAYBAC_IDENTITY_KEY to base64 of 32 random bytes: python -c "import os,base64;'
                'print(base64.b64encode(os.urandom(32)).decode())"; keep it out of database backups.',
                id="taybac.W001",
            )
        ]
    try:
        _keys(settings.SECRET_KEY, settings.IDENTITY_KEY)
    except IdentityKeyError as exc:
        return [checks.Error(str(exc), id="taybac.E001")]
    return []
