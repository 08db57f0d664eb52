"""The transparency log stored in the database: appends, signed checkpoints and RFC 9162 proofs.

Appends run inside the caller's transaction (the same one that stores the events), lock the single
`LogHead` row so appends are serial on PostgreSQL as on SQLite, store each completed perfect subtree once,
and sign a checkpoint for the new size. Proofs read at most O(log n) stored nodes.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from taybac.traceability import note, tlog
from taybac.traceability.models import Checkpoint, LogHead, LogNode

KEY_FILE = "log-signer.key"


class LogError(ValueError):
    """A proof or entry range that does not exist for this log (maps to 400 / 404 at the edges)."""


def _configured_origin() -> str:
    return settings.TAYBAC_LOG_ORIGIN or f"{urlsplit(settings.PUBLIC_URL).netloc}/log"


def key_path() -> Path:
    return Path(settings.DATA_DIR) / "keys" / KEY_FILE


@lru_cache(maxsize=4)
def _signer(path: Path, explicit_origin: str, default_origin: str) -> str:
    if path.exists():  # the key names the log for good; a later change of PUBLIC_URL must not rename it
        parts = path.read_text(encoding="utf-8").strip().split("+", 3)
        name = parts[2] if len(parts) > 3 else default_origin  # malformed: load_or_create_signer says so
        if explicit_origin and explicit_origin != name:
            raise ImproperlyConfigured(f"TAYBAC_LOG_ORIGIN is {explicit_origin!r} but the key {path} signs for "
                                       f"{name!r}; a log cannot be renamed (docs/traceability.md)")
        return note.load_or_create_signer(path, name)
    return note.load_or_create_signer(path, explicit_origin or default_origin)


def signer() -> str:
    """The private key, created on first use in $TAYBAC_DATA_DIR/keys/ (never in the database)."""
    return _signer(key_path(), settings.TAYBAC_LOG_ORIGIN, _configured_origin())


def origin() -> str:
    """The log's name, as its key file fixes it: TAYBAC_LOG_ORIGIN, else "<public host>/log" when created."""
    return signer().split("+", 3)[2]


def public_key() -> str:
    """The C2SP verifier key published at /log/key."""
    return note.verifier_key(signer())


def _read_node(level: int, index: int) -> bytes:
    value = LogNode.objects.filter(level=level, index=index).values_list("hash", flat=True).first()
    if value is None:
        raise LogError(f"the log has no node at level {level} index {index}")
    return bytes(value)


def size() -> int:
    head = LogHead.objects.filter(pk=1).values_list("size", flat=True).first()
    return head or 0


def lock() -> LogHead:
    """Take the log's write lock for the rest of the transaction.

    Recording functions call it first, so everything they allocate on the way (GLNs, SSCCs, lot codes)
    is decided under the same lock as the append, in leaf order; appends themselves take it anyway.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the log lock is held by a transaction; call this inside transaction.atomic()")
    head, _ = LogHead.objects.select_for_update().get_or_create(pk=1)
    return head


def append(leaves: list[bytes]) -> tuple[int, Checkpoint]:
    """Append `leaves` (exact bytes) and sign a checkpoint; returns the first new index and the checkpoint.

    Must run inside the transaction that stores what the leaves stand for, so both commit or neither.
    """
    if not leaves:
        raise ValueError("nothing to append")
    head = lock()
    first = head.size
    pending: dict[tuple[int, int], bytes] = {}

    def reader(level: int, index: int) -> bytes:
        return pending.get((level, index)) or _read_node(level, index)

    for offset, data in enumerate(leaves):
        for level, index, value in tlog.new_nodes(first + offset, tlog.leaf_hash(data), reader):
            pending[(level, index)] = value
    LogNode.objects.bulk_create([LogNode(level=lv, index=ix, hash=h) for (lv, ix), h in pending.items()])
    head.size = first + len(leaves)
    head.save(update_fields=["size"])
    root_hash = tlog.root(reader, head.size)
    checkpoint = Checkpoint.objects.create(
        size=head.size, root_hash=root_hash, note=note.sign_checkpoint(origin(), head.size, root_hash, signer()))
    return first, checkpoint


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def _check_tree_size(tree_size: int) -> None:
    if not 0 < tree_size <= size():
        raise LogError(f"tree_size must be between 1 and the log size {size()}, got {tree_size}")


def inclusion_proof(index: int, tree_size: int) -> list[bytes]:
    _check_tree_size(tree_size)
    if not 0 <= index < tree_size:
        raise LogError(f"index must be in [0, {tree_size}), got {index}")
    return tlog.inclusion_proof(_read_node, index, tree_size)


def consistency_proof(first: int, second: int) -> list[bytes]:
    _check_tree_size(second)
    if not 0 < first <= second:
        raise LogError(f"need 0 < first <= second, got first={first} second={second}")
    return tlog.consistency_proof(_read_node, first, second)


def root_at(tree_size: int) -> bytes:
    return tlog.EMPTY_ROOT if tree_size == 0 else tlog.root(_read_node, tree_size)
