"""RFC 9162 (Certificate Transparency v2, section 2.1) Merkle tree for the transparency log.

Standalone on purpose: it imports only the standard library (it is part of the `taybac-verify` package), so
a third party can check our proofs without Django or the rest of Tây Bắc Hub.

The log never holds the whole tree in memory. It stores the hash of every perfect, aligned
subtree once it becomes complete (see `new_nodes`), and proofs are built from those through a
`NodeReader`: ``reader(level, index)`` returns the hash of the perfect subtree covering leaves
``[index * 2**level, (index + 1) * 2**level)``; level 0 holds the leaf hashes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "CompactRange",
    "NodeReader",
    "ProofError",
    "consistency_proof",
    "decode_hash",
    "encode_hash",
    "inclusion_proof",
    "leaf_hash",
    "mth",
    "new_nodes",
    "node_hash",
    "root",
    "root_from_inclusion",
    "subtree_root",
    "verify_consistency",
    "verify_inclusion",
]

NodeReader = Callable[[int, int], bytes]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof did not verify; the message says which check failed."""


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data): the prefix keeps a leaf from ever passing for an inner node."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """RFC 9162's k: the largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def mth(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over raw leaf data, straight from the RFC; a reference for tests and tiny trees."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(leaves[0])
    k = _split(n)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


# --- Proof generation from stored perfect subtrees ------------------------------------------


def subtree_root(reader: NodeReader, start: int, end: int) -> bytes:
    """MTH of leaves [start, end) from at most log2(n) + 1 stored perfect subtrees.

    Every subtree that RFC 9162 proofs refer to starts at a multiple of the smallest power of
    two >= its size, so it splits, largest power of two first (the RFC's k), into perfect
    aligned pieces the log has stored; other ranges are refused rather than read slowly.
    """
    n = end - start
    if start < 0 or n <= 0:
        raise ValueError(f"leaf range [{start}, {end}) is empty or negative")
    if start % (1 << (n - 1).bit_length()):
        raise ValueError(f"leaf range [{start}, {end}) is not a subtree of any RFC 9162 tree")
    pieces = []
    pos = start
    for level in range(n.bit_length() - 1, -1, -1):
        if n >> level & 1:
            pieces.append(reader(level, pos >> level))
            pos += 1 << level
    acc = pieces.pop()
    while pieces:  # MTH nests to the right: H(p0, H(p1, ... H(p_{j-1}, p_j)))
        acc = node_hash(pieces.pop(), acc)
    return acc


def root(reader: NodeReader, size: int) -> bytes:
    """Root hash of the tree of the first `size` leaves (EMPTY_ROOT for an empty log)."""
    if size < 0:
        raise ValueError(f"tree size {size} is negative")
    return EMPTY_ROOT if size == 0 else subtree_root(reader, 0, size)


def inclusion_proof(reader: NodeReader, index: int, size: int) -> list[bytes]:
    """PATH(index, D[size]) of RFC 9162 section 2.1.3.1, ordered from the leaf up."""
    if size <= 0 or not 0 <= index < size:
        raise ValueError(f"leaf index {index} is out of range for a tree of size {size}")
    top_down: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            top_down.append(subtree_root(reader, start + k, end))
            end = start + k
        else:
            top_down.append(subtree_root(reader, start, start + k))
            start += k
    return top_down[::-1]


def consistency_proof(reader: NodeReader, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[second]) of RFC 9162 section 2.1.4.1 (SUBPROOF unrolled into a loop).

    Equal sizes give the empty proof; first == 0 is refused because the RFC defines a proof
    only for 0 < first, and any tree is trivially consistent with the empty one.
    """
    if first <= 0 or first > second:
        raise ValueError(f"consistency proof needs 0 < first <= second, got first={first} second={second}")
    top_down: list[bytes] = []
    start, end, m, whole = 0, second, first, True  # `whole`: the RFC's flag b
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            top_down.append(subtree_root(reader, start + k, end))
            end = start + k
        else:
            top_down.append(subtree_root(reader, start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        top_down.append(subtree_root(reader, start, end))
    return top_down[::-1]


def new_nodes(leaf_index: int, leaf_hash: bytes, reader: NodeReader) -> list[tuple[int, int, bytes]]:
    """(level, index, hash) of every perfect subtree completed by appending leaf `leaf_index`.

    The leaf itself comes first, then one parent per trailing 1 bit of the index; each parent
    needs only its left sibling, stored earlier, so at most log2(n) reads.
    """
    if leaf_index < 0:
        raise ValueError(f"leaf index {leaf_index} is negative")
    _check_size(leaf_hash, "leaf hash")
    nodes = [(0, leaf_index, leaf_hash)]
    level, index, acc = 0, leaf_index, leaf_hash
    while index & 1:
        acc = node_hash(reader(level, index - 1), acc)
        level, index = level + 1, index >> 1
        nodes.append((level, index, acc))
    return nodes


class CompactRange:
    """Roots of the perfect subtrees covering leaves [0, size), largest first: O(log n) hashes.

    Fed leaf hashes in order, it gives the root of every prefix without storing the tree: how the hub's
    self-check and a verifier scanning /log/entries recompute a signed root from the leaves alone.
    """

    def __init__(self) -> None:
        self.size = 0
        self.stack: list[bytes] = []

    def append(self, leaf_hash: bytes) -> None:
        self.stack.append(leaf_hash)
        self.size += 1
        n = self.size
        while not n & 1:  # each trailing zero of the new size completes one more perfect subtree
            right = self.stack.pop()
            self.stack.append(node_hash(self.stack.pop(), right))
            n >>= 1

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        acc = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            acc = node_hash(left, acc)
        return acc


# --- Verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) -------------------------------------


def _check_size(value: bytes, what: str) -> None:
    if not isinstance(value, (bytes, bytearray)) or len(value) != HASH_SIZE:
        raise ProofError(f"{what} is not a {HASH_SIZE}-byte SHA-256 hash")


def root_from_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root that `proof` implies for `leaf_hash` at `index` (steps 1-4 of 2.1.3.2)."""
    _check_size(leaf_hash, "leaf hash")
    if size <= 0 or not 0 <= index < size:
        raise ProofError(f"leaf index {index} is out of range for a tree of size {size}")
    fn, sn, r = index, size - 1, bytes(leaf_hash)
    for i, p in enumerate(proof):
        _check_size(p, f"inclusion proof entry {i}")
        if sn == 0:
            raise ProofError(f"inclusion proof is too long: {len(proof)} hashes, only {i} used")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:  # skip levels where the node has no right sibling
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"inclusion proof is too short: {len(proof)} hashes for index {index} of {size}")
    return r


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> None:
    """Raise ProofError unless `proof` shows `leaf_hash` at `index` in the tree `root` of `size`."""
    _check_size(root, "root hash")
    if root_from_inclusion(leaf_hash, index, size, proof) != root:
        raise ProofError(f"inclusion proof for leaf {index} does not lead to the root of tree size {size}")


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> None:
    """Raise ProofError unless `proof` shows the tree of size `first` is a prefix of `second`."""
    _check_size(first_root, "first root hash")
    _check_size(second_root, "second root hash")
    if first < 0 or first > second:
        raise ProofError(f"first size {first} must be between 0 and second size {second}")
    if first == second or first == 0:
        if proof:
            raise ProofError(f"consistency proof from {first} to {second} must be empty")
        if first == second and first_root != second_root:
            raise ProofError(f"roots differ although both trees have size {first}")
        if first == 0 and first_root != EMPTY_ROOT:
            raise ProofError("first root is not the empty-tree root although first size is 0")
        return
    if not proof:
        raise ProofError(f"consistency proof from {first} to {second} is empty")
    for i, c in enumerate(proof):
        _check_size(c, f"consistency proof entry {i}")
    path = list(proof)
    if first & (first - 1) == 0:  # step 2: an exact power of two is itself a node of `second`
        path.insert(0, bytes(first_root))
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof from {first} to {second} is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:  # skip levels where the node has no right sibling
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"consistency proof from {first} to {second} is too short")
    if fr != first_root:
        raise ProofError(f"consistency proof does not lead to the root of tree size {first}")
    if sr != second_root:
        raise ProofError(f"consistency proof does not lead to the root of tree size {second}")


# --- Transport ------------------------------------------------------------------------------


def encode_hash(value: bytes) -> str:
    """Standard base64, the form RFC 9162 clients exchange hashes in JSON."""
    return base64.b64encode(value).decode("ascii")


def decode_hash(text: str) -> bytes:
    """Strict inverse of `encode_hash`; a malformed or wrong-length hash is a ProofError."""
    try:
        value = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, AttributeError) as exc:  # binascii.Error and UnicodeError are ValueErrors
        raise ProofError(f"{text!r} is not valid base64") from exc
    _check_size(value, "decoded hash")
    return value
