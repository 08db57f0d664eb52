"""Self-check of the hub's own log (`taybac trace verify`): are the stored events still what was signed?

Everything is streamed in leaf order with chunked iterators, so memory stays O(log n) plus one chunk, whatever
the log's size (a million events is fine). The checks:

1. every event's `canonical` text, hashed, equals the leaf hash the log stored (LogNode level 0) when it was
   appended: an edited event is named by leaf index and eventID;
2. no leaf index lacks its event row (a deleted event is named by leaf index);
3. the tree root recomputed from the events alone (a compact range: a stack of perfect subtree roots) equals
   the signed root of every stored checkpoint at its size. This holds even if someone rewrote an event AND its
   stored hashes, since nobody can re-sign without the key, which lives outside the database. The first
   checkpoint that differs names the leaves added since the last matching one (usually one append);
4. every checkpoint's signature verifies with the hub's key file, and its columns agree with its signed note;
   as all signed roots come from one recomputed sequence of leaves, successive checkpoints are consistent;
5. every stored inner subtree hash equals the hash of its two halves, so the proofs the hub serves are right;
6. no event row sits beyond the log's size, and the latest checkpoint covers the whole log;
7. anchors, checkpoints known from outside the database, give the same tree as the leaves: the newest checkpoint
   the hub signed and committed (log.signed_head, the record beside the key), the one this command verified last
   time (its state file) and one given with --previous-checkpoint. A log smaller than an anchor is a ROLLBACK (rows
   deleted and the head set back, or an old backup restored), a different root at its size a FORK;
8. every event's query columns, identifiers and lot links are those its logged text gives (audit_derived).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from taybac.traceability import log
from taybac.traceability.audit_derived import check_derived
from taybac.traceability.models import Checkpoint, LogHead, LogNode, TraceEvent
from taybac_verify import note, tlog
from taybac_verify.bundle import Report

CHUNK = 2000  # rows fetched per round trip
MAX_NAMED = 20  # leaves named in one checkpoint-mismatch problem
MAX_TRACKED = 100_000  # bad subtree indexes remembered per level, to avoid reporting their parents twice


@dataclass(frozen=True)
class Anchor:
    """A checkpoint known from outside the database: the leaves must give its root at its size."""

    size: int
    root_hash: bytes
    label: str


def _name(index: int, event_id: str | None) -> str:
    return f"event #{index} ({event_id})" if event_id else f"leaf #{index}"


def _hub_key(report: Report, size: int) -> str | None:
    """The verifier key, read from the key file now (never created here); None if it is missing or broken."""
    path = log.key_path()
    if not path.exists() and size == 0 and not Checkpoint.objects.exists():
        report.warn(f"the log is empty and its signing key {path} is not created yet (the first event creates it)")
        return None
    if not path.exists():
        report.fail(
            f"the signing key file {path} is missing: checkpoint signatures cannot be checked "
            f"(restore it from the backup; a new key would orphan every published checkpoint)"
        )
        return None
    try:
        key = note.verifier_key(path.read_text(encoding="utf-8").strip())
    except (OSError, note.NoteError) as exc:
        report.fail(f"the signing key file {path} cannot be used: {exc}")
        return None
    report.passed(f"the signing key file {path} holds the key {key}")
    return key


def _dense(rows: Iterator[tuple[int, Any]], count: int) -> Iterator[bytes | None]:
    """Hashes for indexes 0..count-1 from a stream of (index, hash) sorted by index; None where one is missing."""
    pending = next(rows, None)
    for index in range(count):
        while pending is not None and pending[0] < index:
            pending = next(rows, None)
        if pending is not None and pending[0] == index:
            yield bytes(pending[1])
            pending = next(rows, None)
        else:
            yield None


class _LeafPass:
    """One pass over events, level-0 nodes and checkpoints together, all in leaf order."""

    def __init__(self, report: Report, size: int, key: str | None, chunk: int, anchors: Sequence[Anchor]) -> None:
        self.report, self.size, self.key = report, size, key
        self.anchors = deque(sorted(anchors, key=lambda a: a.size))
        self.origin = key.split("+", 1)[0] if key else None  # the key's name is the log's name
        self.tree = tlog.CompactRange()
        self.broken_at: int | None = None  # first leaf whose hash is unknown: roots stop there
        self.bad_leaves: set[int] = set()  # level-0 nodes that are missing or differ from their event
        self.since_good: list[str] = []  # names of leaves added since the last matching checkpoint (a few)
        self.since_good_extra = 0
        self.last_name = ""
        self.last_good = 0
        self.bad_first: int | None = None  # the mismatching checkpoint reported; later ones are only counted
        self.bad_last = self.bad_count = 0
        self.stats = {
            "events": 0,
            "checkpoints": 0,
            "signed": 0,
            "matched": 0,
            "missing": 0,
            "edited": 0,
            "unhashed": 0,
        }
        self.nodes = _dense(
            LogNode.objects.filter(level=0, index__lt=size)
            .order_by("index")
            .values_list("index", "hash")
            .iterator(chunk_size=chunk),
            size,
        )
        self.checkpoints = (
            Checkpoint.objects.filter(size__lte=size)
            .order_by("size")
            .values_list("size", "root_hash", "note")
            .iterator(chunk_size=min(chunk, 500))
        )
        self.next_checkpoint = next(self.checkpoints, None)

    def run(self, chunk: int) -> None:
        self._checkpoints_at(0)
        self._anchors_at(0)
        expected = 0
        events = (
            TraceEvent.objects.filter(leaf_index__lt=self.size)
            .order_by("leaf_index")
            .values_list("leaf_index", "event_id", "canonical")
            .iterator(chunk_size=chunk)
        )
        for index, event_id, text in events:
            while expected < index:
                self._missing(expected)
                expected += 1
            self._leaf(index, event_id, text)
            expected = index + 1
        while expected < self.size:
            self._missing(expected)
            expected += 1
        self._close_bad_run()
        for anchor in self.anchors:
            if anchor.size > self.size:
                self.report.fail(
                    f"ROLLBACK: the log holds {self.size} leaves but {anchor.label} was of size "
                    f"{anchor.size}: leaves #{self.size}..#{anchor.size - 1} were removed from the "
                    f"database (rows deleted and the head set back, or an old backup restored)"
                )
            else:
                self.report.fail(
                    f"{anchor.label} (size {anchor.size}) cannot be checked: the tree cannot be "
                    f"recomputed past leaf #{self.broken_at}"
                )

    def _anchors_at(self, tree_size: int) -> None:
        while self.anchors and self.anchors[0].size <= tree_size:
            anchor = self.anchors.popleft()
            if anchor.size == 0 or self.tree.root() == anchor.root_hash:
                self.report.passed(f"the leaves give the same tree of size {anchor.size} as {anchor.label}")
            else:
                self.report.fail(
                    f"FORK: the leaves give a different tree of size {anchor.size} than {anchor.label} "
                    f"(root {tlog.encode_hash(self.tree.root())}, not "
                    f"{tlog.encode_hash(anchor.root_hash)}): the history after it was rewritten"
                )

    def _leaf(self, index: int, event_id: str, text: str) -> None:
        self.stats["events"] += 1
        computed = tlog.leaf_hash(text.encode("utf-8"))
        stored = next(self.nodes)
        name = _name(index, event_id)
        if stored is None:
            self._bad_leaf(index)
            self.stats["unhashed"] += 1
            self.report.fail(
                f"{name}: the log has no stored hash for this leaf (LogNode level 0 index {index} "
                f"is missing), so its proofs cannot be served"
            )
        elif stored != computed:
            self._bad_leaf(index)
            self.stats["edited"] += 1
            self.report.fail(
                f"{name}: its stored text was changed after it was logged (it hashes to "
                f"{tlog.encode_hash(computed)}, the log recorded {tlog.encode_hash(stored)})"
            )
        self._feed(computed, name)

    def _missing(self, index: int) -> None:
        self.stats["missing"] += 1
        stored = next(self.nodes)
        if stored is None:
            self.report.fail(
                f"leaf #{index}: its event row is missing (deleted from the database) and so is its stored hash"
            )
        else:
            self.report.fail(
                f"leaf #{index}: its event row is missing (deleted from the database); the log still "
                f"holds its hash {tlog.encode_hash(stored)}, so the signed history is intact but the "
                f"event's content is lost"
            )
        self._feed(stored, f"leaf #{index}")

    def _bad_leaf(self, index: int) -> None:
        if len(self.bad_leaves) < MAX_TRACKED:
            self.bad_leaves.add(index)

    def _feed(self, leaf_hash: bytes | None, name: str) -> None:
        if leaf_hash is None and self.broken_at is None:
            self.broken_at = self.tree.size
            self.report.fail(
                f"{name} has neither an event nor a stored hash: the tree cannot be recomputed from "
                f"leaf #{self.broken_at} on, so checkpoints of size {self.broken_at + 1} and more "
                f"cannot be checked against the leaves"
            )
        if self.broken_at is None and leaf_hash is not None:  # a missing hash has just set broken_at
            self.tree.append(leaf_hash)
            if len(self.since_good) < MAX_NAMED:
                self.since_good.append(name)
            else:
                self.since_good_extra += 1
            self.last_name = name
        self._checkpoints_at(self.tree.size if self.broken_at is None else None)
        if self.broken_at is None:
            self._anchors_at(self.tree.size)

    def _checkpoints_at(self, tree_size: int | None) -> None:
        """Check the stored checkpoints up to `tree_size`; None: all the rest, without a recomputed root."""
        while self.next_checkpoint is not None and (tree_size is None or self.next_checkpoint[0] <= tree_size):
            size, root_column, text = self.next_checkpoint
            self.next_checkpoint = next(self.checkpoints, None)
            self._checkpoint(size, bytes(root_column), text, self.tree.root() if size == tree_size else None)

    def _checkpoint(self, size: int, root_column: bytes, text: str, recomputed: bytes | None) -> None:
        self.stats["checkpoints"] += 1
        if self.key is not None:
            try:
                signed = note.open_checkpoint(text, self.key, self.origin)
            except (note.NoteError, note.CheckpointError) as exc:
                self.report.fail(
                    f"checkpoint of size {size}: its signed note does not verify with the hub's key: {exc}"
                )
                return  # a forged or damaged checkpoint says nothing about the leaves
            self.stats["signed"] += 1
            claimed = signed.root_hash
            if signed.size != size or signed.root_hash != root_column:
                self.report.fail(
                    f"checkpoint of size {size}: its size/root_hash columns were changed and no "
                    f"longer agree with its signed note (size {signed.size})"
                )
        else:  # no key to check it with: still compare what it claims, to locate edited leaves
            split = text.rfind("\n\n")
            try:
                claimed = note.parse_checkpoint(text[: split + 1]).root_hash if split > 0 else root_column
            except note.CheckpointError:
                claimed = root_column
        if recomputed is None:
            return
        if recomputed == claimed:
            self.stats["matched"] += 1
            self._close_bad_run()
            self.last_good, self.since_good, self.since_good_extra = size, [], 0
        elif self.bad_first is not None:
            self.bad_last, self.bad_count = size, self.bad_count + 1
        else:
            self.bad_first = size
            names = (
                ", ".join(self.since_good)
                if not self.since_good_extra
                else f"{self.since_good[0]} to {self.last_name}, {len(self.since_good) + self.since_good_extra} leaves"
            )
            where = (
                f"the last matching checkpoint is of size {self.last_good}"
                if self.last_good
                else "no earlier checkpoint matches"
            )
            self.report.fail(
                f"checkpoint of size {size}: the leaves in the database no longer give the root it "
                f"signed ({where}): leaves #{self.last_good}..#{size - 1} were changed or rewritten "
                f"since they were signed: {names}"
            )

    def _close_bad_run(self) -> None:
        if self.bad_count:
            sizes = f"size {self.bad_last}" if self.bad_count == 1 else f"sizes up to {self.bad_last}"
            self.report.fail(
                f"{self.bad_count} later checkpoint(s) ({sizes}) do not match either, since they "
                f"include the leaves named above"
            )
        self.bad_first, self.bad_last, self.bad_count = None, 0, 0


def _track(bad: set[int], index: int) -> None:
    if len(bad) < MAX_TRACKED:
        bad.add(index)


def _check_inner_nodes(report: Report, size: int, bad_below: set[int], chunk: int) -> tuple[int, int]:
    """Each stored subtree hash must be the hash of its two stored halves: (nodes checked, problems found)."""
    checked = problems = 0
    level = 1
    while size >> level:
        count = size >> level
        children = _dense(
            LogNode.objects.filter(level=level - 1, index__lt=2 * count)
            .order_by("index")
            .values_list("index", "hash")
            .iterator(chunk_size=chunk),
            2 * count,
        )
        parents = _dense(
            LogNode.objects.filter(level=level, index__lt=count)
            .order_by("index")
            .values_list("index", "hash")
            .iterator(chunk_size=chunk),
            count,
        )
        bad_here: set[int] = set()
        for index, parent in enumerate(parents):
            left, right = next(children), next(children)
            checked += 1
            where = (
                f"the stored hash of the subtree over leaves #{index << level}..#{((index + 1) << level) - 1} "
                f"(level {level}, index {index})"
            )
            below = 2 * index in bad_below or 2 * index + 1 in bad_below
            if parent is None:
                _track(bad_here, index)
                problems += 1
                report.fail(f"{where} is missing: proofs for these leaves cannot be served")
            elif left is None or right is None:
                _track(bad_here, index)  # the missing half was reported at its own level
            elif tlog.node_hash(left, right) != parent:
                if not below:  # with an altered half, the mismatch is that half's doing, already reported
                    _track(bad_here, index)
                    problems += 1
                    report.fail(
                        f"{where} does not match its two halves: it, or a half below it together with "
                        f"the leaves it covers, was altered; proofs through it would fail"
                    )
            elif below:
                _track(bad_here, index)  # rewritten to agree with an altered half: just as wrong
        bad_below = bad_here
        level += 1
    return checked, problems


def _check_strays(report: Report, size: int) -> None:
    """Rows the log does not account for: events or checkpoints beyond its size, leaves no checkpoint covers.

    Each check is one statement comparing with the LogHead row, so a concurrent append cannot fake a problem.
    """
    head = Coalesce(Subquery(LogHead.objects.filter(pk=1).values("size")[:1]), Value(0))
    strays = list(
        TraceEvent.objects.filter(leaf_index__gte=head)
        .order_by("leaf_index")
        .values_list("leaf_index", "event_id")[: MAX_NAMED + 1]
    )
    if strays:
        names = ", ".join(_name(i, e) for i, e in strays[:MAX_NAMED]) + (" and more" if len(strays) > MAX_NAMED else "")
        report.fail(f"event rows beyond the log's size were inserted without being logged: {names}")
    beyond = list(Checkpoint.objects.filter(size__gt=head).order_by("size").values_list("size", flat=True)[:MAX_NAMED])
    if beyond:
        report.fail(f"checkpoints of sizes {', '.join(map(str, beyond))} claim more leaves than the log holds")
    latest = Checkpoint.objects.filter(size__lte=size).order_by("-size").values_list("size", flat=True).first() or 0
    if latest < size:
        report.fail(
            f"leaves #{latest}..#{size - 1} are not covered by any signed checkpoint (the latest is of "
            f"size {latest}, the log holds {size} leaves)"
        )


def _signed_anchor(report: Report) -> Anchor | None:
    """The record beside the key of the newest checkpoint the hub committed (read before the database)."""
    try:
        head = log.signed_head()
    except log.LogRollbackError as exc:
        report.fail(str(exc))
        return None
    if head is None:
        return None
    return Anchor(
        head.size, head.root_hash, f"the newest checkpoint this hub signed and committed (recorded in {head.path})"
    )


def verify_hub(*, chunk_size: int = CHUNK, anchors: Sequence[Anchor] = ()) -> Report:
    """Check the whole log as stored in this hub's database against its signed checkpoints and `anchors`."""
    report = Report(subject="the transparency log in this hub's database")
    signed = _signed_anchor(report)
    size = log.size()
    if signed is None and size and not report.problems:
        report.warn(
            f"there is no record of the newest signed checkpoint beside the key ({log.record_path()}); the "
            f"next append writes it, and from then on a rollback of the database is refused"
        )
    key = _hub_key(report, size)
    leaves = _LeafPass(report, size, key, chunk_size, [*anchors, *([signed] if signed else [])])
    leaves.run(chunk_size)
    stats = leaves.stats
    inner, inner_problems = _check_inner_nodes(report, size, leaves.bad_leaves, chunk_size)
    _check_strays(report, size)
    check_derived(report, size, chunk_size)
    if stats["events"] == size and not stats["edited"] and not stats["unhashed"]:
        report.passed(f"all {size} leaves have their event, and every event's text hashes to its logged leaf hash")
    if key is not None and stats["signed"] == stats["checkpoints"]:
        report.passed(f"all {stats['checkpoints']} checkpoints are signed by the hub's key")
    if stats["matched"] == stats["checkpoints"]:
        report.passed(
            f"the root recomputed from the leaves matches all {stats['checkpoints']} checkpoints, so "
            f"successive checkpoints are consistent: one append-only history"
        )
    if not inner_problems:
        report.passed(f"all {inner} stored inner subtree hashes match their halves")
    report.tree_size = size
    return report
