"""Partner keys for EPCIS capture: created by an operator, shown once, stored as a hash, revocable.

A token is `tbk_<lookup>_<secret>`: `lookup` (10 characters, public, unique) finds the row; `secret` is 32 random
bytes (base64url). The row keeps the SHA-256 of the whole token, compared in constant time. A plain hash is the
right tool for a 256-bit random secret (there is nothing to guess), unlike a password that needs a slow hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import Producer, Role, User
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.traceability.models import CaptureKey

TOKEN = re.compile(r"tbk_([A-Za-z0-9]{10})_([A-Za-z0-9_-]{43})")
MAX_NAME = 120


class CaptureKeyError(DomainError):
    """A key that cannot be created or revoked as asked."""


@dataclass(frozen=True)
class NewKey:
    """A key just created: `token` is shown once and never stored."""

    key: CaptureKey
    token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _is_operator(user: User | None) -> bool:
    return user is not None and (user.is_staff or user.role == Role.OPERATOR)


@transaction.atomic
def create(
    *, name: str, producers: list[Producer], all_producers: bool = False, created_by: User | None = None
) -> NewKey:
    """A new key for a partner, for `producers` only, or (`all_producers`, explicitly) for everyone.

    `created_by` is the operator (None from the command line, where whoever runs it already holds the server).
    """
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise CaptureKeyError(f"A key needs a name of 1–{MAX_NAME} characters (the partner's name).", field="name")
    if created_by is not None and not _is_operator(created_by):
        raise CaptureKeyError("Only hub operators create capture keys.", code="forbidden")
    if all_producers and producers:
        raise CaptureKeyError("Choose producers or all producers, not both.", field="producers")
    lookup = secrets.token_hex(5)
    token = f"tbk_{lookup}_{secrets.token_urlsafe(32)}"
    key = CaptureKey.objects.create(
        name=name, lookup=lookup, key_hash=_hash(token), all_producers=all_producers, created_by=created_by
    )
    key.producers.set(producers)
    audit.record(
        actor=created_by,
        action="capture_key.created",
        target=key,
        detail={"name": name, "producers": sorted(p.pk for p in producers), "all_producers": all_producers},
    )
    return NewKey(key, token)


@transaction.atomic
def revoke(*, key: CaptureKey, revoked_by: User | None = None) -> CaptureKey:
    """Revoke a key for good (its events keep naming it); revoking twice changes nothing."""
    if revoked_by is not None and not _is_operator(revoked_by):
        raise CaptureKeyError("Only hub operators revoke capture keys.", code="forbidden")
    locked = CaptureKey.objects.select_for_update().get(pk=key.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(actor=revoked_by, action="capture_key.revoked", target=locked, detail={"name": locked.name})
    return locked


def authenticate(token: str) -> CaptureKey | None:
    """The live key this bearer token is, or None (unknown, malformed, wrong secret, or revoked)."""
    match = TOKEN.fullmatch(token.strip())
    if match is None:
        return None
    key = CaptureKey.objects.filter(lookup=match.group(1)).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash(match.group(0))) or key.revoked_at is not None:
        return None
    CaptureKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
