"""The transparency log stored in the database: appends, signed checkpoints and RFC 9162 proofs.

Appends run inside the caller's transaction (the same one that stores the events), lock the single
`LogHead` row so appends are serial on PostgreSQL as on SQLite, store each completed perfect subtree once,
and sign a checkpoint for the new size. Proofs and appends read their O(log n) stored nodes in one batched query.

Beside the signing key, outside the database, a small record keeps the newest checkpoint the hub knows it has
committed (`signed_head`). A database rolled back below it (rows deleted and the head set back, or an old backup
restored) makes appends and /log/checkpoint refuse, so the hub never signs or serves a checkpoint older than one
it has published. Crash ordering: the checkpoint is signed inside the append's transaction, but the record is
raised only after that transaction commits (`transaction.on_commit`), fsync'd and atomically replaced, and only
ever upwards. So the record is never ahead of committed data: a transaction that rolls back, or a crash before
commit, leaves it untouched; a crash between commit and the file write leaves it one append behind, which is
harmless (the database is ahead, which is allowed) and mended by the next append. The price is that window: a
rollback of exactly the last append, done before its record was written, goes unnoticed by the hub itself (not
by any verifier or witness that saw that checkpoint).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q

from taybac.traceability.models import Checkpoint, LogHead, LogNode
from taybac_verify import note, state, tlog

try:
    import fcntl
except ImportError:  # not POSIX: appends are serial under the database lock anyway; only on_commit writers race
    fcntl = None  # type: ignore[assignment]

KEY_FILE = "log-signer.key"
RECORD_FILE = "log-signer.latest"  # JSON {"origin", "size", "root_hash"}: the newest committed signed checkpoint
NODE_BATCH = 400  # (level, index) pairs per query; keeps each query's parameter list small
T = TypeVar("T")


class LogError(ValueError):
    """A proof or entry range that does not exist for this log (maps to 400 / 404 at the edges)."""


class LogRollbackError(RuntimeError):
    """The database's log is behind, or differs from, the newest checkpoint this hub has signed and committed."""


@dataclass(frozen=True)
class SignedHead:
    """The newest checkpoint the hub committed, as recorded beside its key."""

    size: int
    root_hash: bytes
    path: Path


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
            raise ImproperlyConfigured(
                f"TAYBAC_LOG_ORIGIN is {explicit_origin!r} but the key {path} signs for "
                f"{name!r}; a log cannot be renamed (docs/traceability.md)"
            )
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


def record_path() -> Path:
    return key_path().with_name(RECORD_FILE)


def signed_head() -> SignedHead | None:
    """The record beside the key (None before the first append of a hub that keeps one).

    Read it BEFORE reading the log from the database: it is written only after a commit, so what the database
    shows afterwards is at least as new, and a concurrent append cannot pass for a rollback.
    """
    path = record_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SignedHead(int(data["size"]), tlog.decode_hash(data["root_hash"]), path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:  # ProofError and JSONDecodeError are ValueErrors
        raise LogRollbackError(
            f"the record of the newest signed checkpoint {path} cannot be read ({exc}); restore "
            f"it from the backup of {path.parent}"
        ) from exc


def check_not_behind(size: int, root_hash: bytes | None, recorded: SignedHead | None) -> None:
    """Refuse a log of `size` leaves (with that root, if known) older than, or forked from, the record."""
    if recorded is None:
        return
    if size < recorded.size:
        raise LogRollbackError(
            f"the log is behind its last signed checkpoint: the database holds {size} leaves but this hub signed "
            f"and committed a checkpoint of size {recorded.size} (recorded in {recorded.path}). The database was "
            f"rolled back or restored from an old backup; restore it to at least that size. Nothing is appended "
            f"or served until then; `taybac trace verify` names what is missing"
        )
    if size == recorded.size and root_hash is not None and root_hash != recorded.root_hash:
        raise LogRollbackError(
            f"the log forked: the database's tree of size {size} has root {tlog.encode_hash(root_hash)} but this "
            f"hub signed {tlog.encode_hash(recorded.root_hash)} for that size (recorded in {recorded.path})"
        )


def _write_record(size: int, root_hash: bytes) -> None:
    """Raise the record to (size, root) after the append committed; never lower it (fsync + atomic replace)."""
    path = record_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(RECORD_FILE + ".lock"), "a") as guard:
        if fcntl is not None:
            fcntl.flock(guard, fcntl.LOCK_EX)  # two processes' on_commit writes must not lower it
        current = signed_head()
        if current is not None and current.size >= size:
            return
        text = json.dumps({"origin": origin(), "size": size, "root_hash": tlog.encode_hash(root_hash)})
        state.write_atomic(path, text + "\n")


def load_nodes(coordinates: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Stored subtree hashes for many (level, index) pairs, NODE_BATCH pairs per query."""
    found: dict[tuple[int, int], bytes] = {}
    pending = sorted(set(coordinates))
    for start in range(0, len(pending), NODE_BATCH):
        by_level: dict[int, list[int]] = {}
        for level, index in pending[start : start + NODE_BATCH]:
            by_level.setdefault(level, []).append(index)
        condition = Q()
        for level, indexes in by_level.items():
            condition |= Q(level=level, index__in=indexes)
        for level, index, value in LogNode.objects.filter(condition).values_list("level", "index", "hash"):
            found[(level, index)] = bytes(value)
    return found


def batched(compute: Callable[[tlog.NodeReader], T]) -> T:
    """Run a tree computation with its stored nodes read in one query instead of one query per node.

    Which nodes an RFC 9162 computation reads depends only on sizes and indexes, never on hash values, so a
    dry run with placeholder hashes lists them; one batched read loads them; the real run uses them.
    """
    wanted: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        wanted.add((level, index))
        return bytes(tlog.HASH_SIZE)

    compute(record)
    nodes = load_nodes(wanted)

    def read(level: int, index: int) -> bytes:
        try:
            return nodes[(level, index)]
        except KeyError:
            raise LogError(f"the log has no node at level {level} index {index}") from None

    return compute(read)


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


def _grow(first: int, hashes: list[bytes], stored: tlog.NodeReader) -> tuple[dict[tuple[int, int], bytes], bytes]:
    """The nodes completed by appending leaf hashes `hashes` at `first`, and the new root."""
    pending: dict[tuple[int, int], bytes] = {}

    def reader(level: int, index: int) -> bytes:
        return pending[(level, index)] if (level, index) in pending else stored(level, index)

    for offset, value in enumerate(hashes):
        for level, index, node in tlog.new_nodes(first + offset, value, reader):
            pending[(level, index)] = node
    return pending, tlog.root(reader, first + len(hashes))


def append(leaves: list[bytes]) -> tuple[int, Checkpoint]:
    """Append `leaves` (exact bytes) and sign a checkpoint; returns the first new index and the checkpoint.

    Must run inside the transaction that stores what the leaves stand for, so both commit or neither.
    """
    if not leaves:
        raise ValueError("nothing to append")
    head = lock()
    recorded = signed_head()
    first = head.size
    hashes = [tlog.leaf_hash(data) for data in leaves]
    pending, root_hash, old_root = batched(lambda stored: (*_grow(first, hashes, stored), tlog.root(stored, first)))
    check_not_behind(first, old_root, recorded)
    LogNode.objects.bulk_create([LogNode(level=lv, index=ix, hash=h) for (lv, ix), h in pending.items()])
    head.size = first + len(leaves)
    head.save(update_fields=["size"])
    checkpoint = Checkpoint.objects.create(
        size=head.size, root_hash=root_hash, note=note.sign_checkpoint(origin(), head.size, root_hash, signer())
    )
    new_size = head.size
    transaction.on_commit(lambda: _write_record(new_size, root_hash), robust=True)
    return first, checkpoint


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def servable_checkpoint() -> Checkpoint | None:
    """The latest checkpoint, refused (LogRollbackError) if it is older than one the hub has committed."""
    recorded = signed_head()  # first: see signed_head
    latest = latest_checkpoint()
    if latest is not None or recorded is not None:
        check_not_behind(latest.size if latest else 0, bytes(latest.root_hash) if latest else None, recorded)
    return latest


def _check_tree_size(tree_size: int) -> None:
    current = size()
    if not 0 < tree_size <= current:
        raise LogError(f"tree_size must be between 1 and the log size {current}, got {tree_size}")


def inclusion_proof(index: int, tree_size: int) -> list[bytes]:
    return inclusion_proofs([index], tree_size)[index]


def inclusion_proofs(indexes: list[int], tree_size: int) -> dict[int, list[bytes]]:
    """Proofs for many leaves of one tree (a lot's events), their nodes read in one batched query."""
    _check_tree_size(tree_size)
    for index in indexes:
        if not 0 <= index < tree_size:
            raise LogError(f"index must be in [0, {tree_size}), got {index}")
    return batched(lambda reader: {index: tlog.inclusion_proof(reader, index, tree_size) for index in indexes})


def consistency_proof(first: int, second: int) -> list[bytes]:
    _check_tree_size(second)
    if not 0 < first <= second:
        raise LogError(f"need 0 < first <= second, got first={first} second={second}")
    return batched(lambda reader: tlog.consistency_proof(reader, first, second))


def root_at(tree_size: int) -> bytes:
    return tlog.EMPTY_ROOT if tree_size == 0 else batched(lambda reader: tlog.root(reader, tree_size))
