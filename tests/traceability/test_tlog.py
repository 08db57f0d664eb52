"""RFC 9162 Merkle tree of the transparency log: published vectors, properties, and read counts.

No database: the module is pure and must stay importable without Django.
"""

from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taybac_verify import tlog
from taybac_verify.tlog import ProofError

# --- Published test data -----------------------------------------------------------------------
# Leaf inputs, node hashes and roots: transparency-dev/merkle testonly/constants.go (the classic
# certificate-transparency test tree). Proofs: transparency-dev/merkle testonly/reference_test.go
# and proof/verify_test.go (its 1-based `leaf` numbers are converted to 0-based indices here).


def h(hexes: str) -> bytes:
    return bytes.fromhex(hexes)


LEAVES = [
    h(x) for x in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
]

NODE_HASHES = [
    [
        h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
        h("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
        h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        h("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
    ],
    [
        h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
    ],
    [
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ],
    [h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
]

ROOTS = [
    h(x)
    for x in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]

INCLUSION = [  # (index, size, PATH)
    (0, 1, []),
    (0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
    (1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

CONSISTENCY = [  # (first, second, PROOF)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


# --- Helpers -----------------------------------------------------------------------------------


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def ref_mth(hashes: list[bytes]) -> bytes:
    """MTH over leaf hashes, written from the RFC independently of the module."""
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return _sha(b"\x01" + ref_mth(hashes[:k]) + ref_mth(hashes[k:]))


def ref_path(m: int, hashes: list[bytes]) -> list[bytes]:
    n = len(hashes)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return ref_path(m, hashes[:k]) + [ref_mth(hashes[k:])]
    return ref_path(m - k, hashes[k:]) + [ref_mth(hashes[:k])]


def ref_proof(m: int, hashes: list[bytes], whole: bool = True) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if whole else [ref_mth(hashes)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return ref_proof(m, hashes[:k], whole) + [ref_mth(hashes[k:])]
    return ref_proof(m - k, hashes[k:], False) + [ref_mth(hashes[:k])]


class Store:
    """Dict-backed log storage filled only through tlog.new_nodes, as the real log does."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.size = 0
        self.reads = 0

    def _read(self, level: int, index: int) -> bytes:
        self.reads += 1
        return self.nodes[(level, index)]

    def append(self, data: bytes) -> list[tuple[int, int, bytes]]:
        self.reads = 0
        added = tlog.new_nodes(self.size, tlog.leaf_hash(data), self._read)
        assert self.reads == len(added) - 1 <= self.size.bit_length()
        for level, index, value in added:
            assert (level, index) not in self.nodes
            self.nodes[(level, index)] = value
        self.size += 1
        return added

    def reader(self, size: int) -> tlog.NodeReader:
        """A reader for the tree of `size` leaves: it refuses nodes that tree does not have."""

        def read(level: int, index: int) -> bytes:
            assert (index + 1) << level <= size, f"read ({level}, {index}) outside tree of size {size}"
            return self.nodes[(level, index)]

        return read


def ct_store() -> Store:
    store = Store()
    for data in LEAVES:
        store.append(data)
    return store


def flipped(proof: list[bytes], i: int, bit: int = 3) -> list[bytes]:
    out = list(proof)
    out[i] = bytes([out[i][0] ^ (1 << bit)]) + out[i][1:]
    return out


# --- Published vectors -------------------------------------------------------------------------


def test_hash_primitives():
    assert tlog.EMPTY_ROOT == ROOTS[0]
    assert tlog.leaf_hash(b"") == NODE_HASHES[0][0]
    assert tlog.node_hash(NODE_HASHES[0][0], NODE_HASHES[0][1]) == NODE_HASHES[1][0]


@pytest.mark.parametrize("size", range(9))
def test_published_roots(size):
    assert tlog.mth(LEAVES[:size]) == ROOTS[size]
    assert tlog.root(ct_store().reader(size), size) == ROOTS[size]


def test_new_nodes_store_exactly_the_published_node_hashes():
    store = ct_store()
    expected = {(lvl, i): v for lvl, row in enumerate(NODE_HASHES) for i, v in enumerate(row)}
    assert store.nodes == expected


@pytest.mark.parametrize("index,size,path", INCLUSION)
def test_published_inclusion_proofs(index, size, path):
    path = [h(p) for p in path]
    store = ct_store()
    assert tlog.inclusion_proof(store.reader(size), index, size) == path
    leaf = tlog.leaf_hash(LEAVES[index])
    assert tlog.root_from_inclusion(leaf, index, size, path) == ROOTS[size]
    tlog.verify_inclusion(leaf, index, size, path, ROOTS[size])


@pytest.mark.parametrize("first,second,proof", CONSISTENCY)
def test_published_consistency_proofs(first, second, proof):
    proof = [h(p) for p in proof]
    assert tlog.consistency_proof(ct_store().reader(second), first, second) == proof
    tlog.verify_consistency(first, second, ROOTS[first], ROOTS[second], proof)


@pytest.mark.parametrize("index,size,path", [v for v in INCLUSION if v[2]])
def test_corrupted_inclusion_proofs_fail(index, size, path):
    """The probes transparency-dev/merkle runs against the same vectors."""
    proof, r, leaf = [h(p) for p in path], ROOTS[size], tlog.leaf_hash(LEAVES[index])
    probes = [
        (index - 1, size, r, leaf, proof),
        (index + 1, size, r, leaf, proof),
        (index ^ 2, size, r, leaf, proof),
        (index, size * 2, r, leaf, proof),
        (index, size // 2, r, leaf, proof),
        (index, size, r, SOME_HASH, proof),
        (index, size, ROOTS[0], leaf, proof),
        (index, size, SOME_HASH, leaf, proof),
        (index, size, r, leaf, proof + [b""]),
        (index, size, r, leaf, proof + [r]),
        (index, size, r, leaf, [b""] + proof),
        (index, size, r, leaf, [r] + proof),
        (index, size, r, leaf, proof[:-1]),
    ]
    probes += [(index, size, r, leaf, flipped(proof, i)) for i in range(len(proof))]
    if len(proof) > 1:
        probes.append((index, size, r, leaf, [proof[0], SOME_HASH] + proof[1:]))
    for probe in probes:
        with pytest.raises(ProofError):
            tlog.verify_inclusion(probe[3], probe[0], probe[1], probe[4], probe[2])


@pytest.mark.parametrize("m,n,path", [v for v in CONSISTENCY if v[2]])
def test_corrupted_consistency_proofs_fail(m, n, path):
    proof, r1, r2 = [h(p) for p in path], ROOTS[m], ROOTS[n]
    probes = [
        (m - 1, n, r1, r2, proof),
        (m + 1, n, r1, r2, proof),
        (m ^ 2, n, r1, r2, proof),
        (m, n * 2, r1, r2, proof),
        (m, n // 2, r1, r2, proof),
        (m, n, SOME_HASH, r2, proof),
        (m, n, r1, SOME_HASH, proof),
        (m, n, r2, r1, proof),
        (m, n, r1, r2, []),
        (m, n, r1, r2, proof + [b""]),
        (m, n, r1, r2, proof + [r1]),
        (m, n, r1, r2, proof + [r2]),
        (m, n, r1, r2, [b""] + proof),
        (m, n, r1, r2, [r1] + proof),
        (m, n, r1, r2, [r2] + proof),
        (m, n, r1, r2, [proof[0]] + proof),
        (m, n, r1, r2, proof[:-1]),
    ]
    probes += [(m, n, r1, r2, flipped(proof, i, 4)) for i in range(len(proof))]
    for probe in probes:
        with pytest.raises(ProofError):
            tlog.verify_consistency(*probe)


# --- Edge cases and errors ---------------------------------------------------------------------


def test_single_leaf_inclusion():
    leaf = tlog.leaf_hash(b"data")
    tlog.verify_inclusion(leaf, 0, 1, [], leaf)
    for bad_leaf, bad_root in [(leaf, SOME_HASH), (SOME_HASH, leaf), (b"", leaf), (leaf, b"")]:
        with pytest.raises(ProofError):
            tlog.verify_inclusion(bad_leaf, 0, 1, [], bad_root)


@pytest.mark.parametrize("index,size", [(0, 0), (1, 0), (1, 1), (2, 1), (-1, 3)])
def test_inclusion_out_of_range(index, size):
    with pytest.raises(ProofError, match="out of range"):
        tlog.verify_inclusion(SOME_HASH, index, size, [], ROOTS[0])
    with pytest.raises(ValueError, match=f"leaf index {index} is out of range for a tree of size {size}"):
        tlog.inclusion_proof(ct_store().reader(8), index, size)


def test_consistency_trivial_cases():
    r1 = ROOTS[1]
    tlog.verify_consistency(0, 0, ROOTS[0], ROOTS[0], [])
    tlog.verify_consistency(0, 5, ROOTS[0], ROOTS[5], [])
    tlog.verify_consistency(1, 1, r1, r1, [])
    bad = [
        (0, 0, ROOTS[0], r1, []),  # equal sizes, different roots
        (1, 1, r1, ROOTS[2], []),
        (0, 1, ROOTS[0], r1, [ROOTS[0]]),  # proofs must be empty here
        (1, 1, r1, r1, [ROOTS[0]]),
        (0, 1, SOME_HASH, r1, []),  # size 0 has only one root
        (1, 0, r1, ROOTS[0], []),
        (2, 1, ROOTS[2], r1, []),  # time travel
        (1, 2, r1, ROOTS[2], []),  # missing proof
        (1, 2, b"short", ROOTS[2], [NODE_HASHES[0][1]]),
    ]
    for probe in bad:
        with pytest.raises(ProofError):
            tlog.verify_consistency(*probe)


def test_consistency_proof_arguments():
    reader = ct_store().reader(8)
    assert tlog.consistency_proof(reader, 5, 5) == []
    for first, second in [(0, 5), (-1, 5), (6, 5)]:
        with pytest.raises(ValueError, match=f"0 < first <= second, got first={first} second={second}"):
            tlog.consistency_proof(reader, first, second)


def test_subtree_root_refuses_ranges_no_proof_uses():
    reader = ct_store().reader(8)
    assert tlog.subtree_root(reader, 4, 7) == ref_mth(NODE_HASHES[0][4:7])
    assert tlog.root(reader, 0) == tlog.EMPTY_ROOT
    for start, end in [(1, 3), (2, 5), (3, 3), (4, 2), (-1, 1)]:
        with pytest.raises(ValueError, match=rf"\[{start}, {end}\)"):
            tlog.subtree_root(reader, start, end)


def test_base64_transport():
    assert tlog.decode_hash(tlog.encode_hash(ROOTS[8])) == ROOTS[8]
    for text in ["not base64!", tlog.encode_hash(b"short"), "é"]:
        with pytest.raises(ProofError):
            tlog.decode_hash(text)


# --- Properties on random trees ----------------------------------------------------------------


@st.composite
def trees(draw):
    """Random leaves; the index suffix keeps them distinct so a wrong index can never verify."""
    n = draw(st.integers(1, 300))
    data = draw(st.lists(st.binary(max_size=12), min_size=n, max_size=n))
    return [d + b"|%d" % i for i, d in enumerate(data)]


@settings(max_examples=40, deadline=None)
@given(leaves=trees(), data=st.data())
def test_random_trees(leaves, data):
    n = len(leaves)
    store = Store()
    for x in leaves:
        store.append(x)
    hashes = [tlog.leaf_hash(x) for x in leaves]
    for size in range(1, n + 1):
        assert tlog.root(store.reader(size), size) == tlog.mth(leaves[:size])
    full = store.reader(n)
    root_n = tlog.root(full, n)
    assert root_n == ref_mth(hashes)

    # Every leaf of the full tree, with every tamper.
    for index in range(n):
        proof = tlog.inclusion_proof(full, index, n)
        assert len(proof) <= n.bit_length()
        tlog.verify_inclusion(hashes[index], index, n, proof, root_n)
        for i in range(len(proof)):
            with pytest.raises(ProofError):
                tlog.verify_inclusion(hashes[index], index, n, flipped(proof, i), root_n)
        for wrong in {index - 1, index + 1, index ^ 2} - {index}:
            if 0 <= wrong < n:
                with pytest.raises(ProofError):
                    tlog.verify_inclusion(hashes[index], wrong, n, proof, root_n)
        for wrong in {n * 2, n // 2}:  # always changes the path length (the Go probes)
            with pytest.raises(ProofError):
                tlog.verify_inclusion(hashes[index], index, wrong, proof, root_n)
    assert tlog.inclusion_proof(full, n - 1, n) == ref_path(n - 1, hashes)

    # Random prefixes against the RFC definitions.
    for _ in range(5):
        size = data.draw(st.integers(1, n), label="size")
        index = data.draw(st.integers(0, size - 1), label="index")
        proof = tlog.inclusion_proof(store.reader(size), index, size)
        assert proof == ref_path(index, hashes[:size])
        tlog.verify_inclusion(hashes[index], index, size, proof, tlog.mth(leaves[:size]))

        second = data.draw(st.integers(1, n), label="second")
        first = data.draw(st.integers(1, second), label="first")
        proof = tlog.consistency_proof(store.reader(second), first, second)
        assert proof == ref_proof(first, hashes[:second])
        r1, r2 = ref_mth(hashes[:first]), ref_mth(hashes[:second])
        tlog.verify_consistency(first, second, r1, r2, proof)
        if first == second:
            continue
        for i in range(len(proof)):
            with pytest.raises(ProofError):
                tlog.verify_consistency(first, second, r1, r2, flipped(proof, i, 4))
        # A proof has exactly the RFC length for its sizes, so other sizes with another length fail.
        for m, s in {
            (first - 1, second),
            (first + 1, second),
            (first ^ 2, second),
            (first, second + 1),
            (first, second - 1),
            (first, second * 2),
            (first, second // 2),
        }:
            if 0 < m < s and len(ref_proof(m, [b""] * s)) != len(proof):
                with pytest.raises(ProofError):
                    tlog.verify_consistency(m, s, r1, r2, proof)


# --- Cost: reads stay logarithmic on big trees -------------------------------------------------


class CountingReader:
    """Deterministic fake hashes for a tree of `size`; counts reads and refuses absent nodes."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.reads = 0

    def __call__(self, level: int, index: int) -> bytes:
        assert level >= 0 and index >= 0 and (index + 1) << level <= self.size
        self.reads += 1
        return _sha(b"%d/%d" % (level, index))


class PeriodicReader:
    """Real, consistent hashes of a huge tree whose leaves repeat every 16, computed on demand."""

    PERIOD_LEVEL = 4

    def __init__(self) -> None:
        self.memo: dict[tuple[int, int], bytes] = {}

    def leaf(self, index: int) -> bytes:
        return b"leaf %d" % (index % (1 << self.PERIOD_LEVEL))

    def __call__(self, level: int, index: int) -> bytes:
        key = (level, index % (1 << max(0, self.PERIOD_LEVEL - level)))
        if key not in self.memo:
            lvl, i = key
            self.memo[key] = (
                tlog.leaf_hash(self.leaf(i))
                if lvl == 0
                else tlog.node_hash(self(lvl - 1, 2 * i), self(lvl - 1, 2 * i + 1))
            )
        return self.memo[key]


@pytest.mark.parametrize("n", [2**20, 2**20 - 1, 1_000_000, 999_999])
def test_proofs_read_logarithmically_many_nodes(n):
    """At most 2*log2(n) reads: well inside the O(log^2 n) budget a proof may cost."""
    log_n = n.bit_length()
    rng = random.Random(n)
    for index in [0, 1, n // 2, n - 2, n - 1] + [rng.randrange(n) for _ in range(20)]:
        reader = CountingReader(n)
        proof = tlog.inclusion_proof(reader, index, n)
        assert len(proof) <= log_n
        assert reader.reads <= 2 * log_n, (index, reader.reads)
    for first in [1, 2, 3, n // 2, n - 1, n] + [rng.randrange(1, n) for _ in range(20)]:
        reader = CountingReader(n)
        proof = tlog.consistency_proof(reader, first, n)
        assert len(proof) <= log_n + 1
        assert reader.reads <= 2 * log_n, (first, reader.reads)
    reader = CountingReader(n)
    tlog.root(reader, n)
    assert reader.reads == bin(n).count("1")
    reader = CountingReader(n)
    added = tlog.new_nodes(n - 1, SOME_HASH, reader)
    assert reader.reads == len(added) - 1 < log_n


def test_proofs_on_a_million_leaf_tree_verify():
    reader = PeriodicReader()
    block = tlog.mth([reader.leaf(i) for i in range(16)])
    expected = block
    for _ in range(20 - PeriodicReader.PERIOD_LEVEL):
        expected = tlog.node_hash(expected, expected)
    assert tlog.root(reader, 2**20) == expected

    rng = random.Random(9162)
    for n in [2**20, 1_000_000, 999_983]:
        root_n = tlog.root(reader, n)
        for index in [0, n - 1] + [rng.randrange(n) for _ in range(10)]:
            proof = tlog.inclusion_proof(reader, index, n)
            tlog.verify_inclusion(tlog.leaf_hash(reader.leaf(index)), index, n, proof, root_n)
        for first in [1, 16, 17, n - 1] + [rng.randrange(1, n) for _ in range(10)]:
            proof = tlog.consistency_proof(reader, first, n)
            tlog.verify_consistency(first, n, tlog.root(reader, first), root_n, proof)
