"""Traceability log benchmark: appends, RFC 9162 proofs and their verification on a log of N leaves.

    .venv/bin/python bench/trace_log.py [--leaves 1000000] [--quick] [--build-batch 20000] [--singles 2000]
                                        [--batch 500] [--batches 20] [--proofs 2000] [--seed 7]

Everything happens in a temporary directory (TAYBAC_DATA_DIR: SQLite file and the log's signing key) removed
at the end. If TAYBAC_DATABASE_URL names a PostgreSQL database, that database is used instead of SQLite; it
must be a throwaway one whose log is still empty (benchmark leaves can never be removed from a log).

Leaves are realistic: RFC 8785 canonical JSON of EPCIS 2.0 events shaped like the ones the hub records
(harvest, processing, packing, inspection, shipping; ~700 bytes, Vietnamese text), built with the hub's own
event builder and canonicaliser, deterministic per leaf index so any leaf can be rebuilt to check a proof.

1. The log is built to N leaves through the real `log.append` (inside `transaction.atomic()`, signed checkpoint
   per append), `--build-batch` leaves per transaction.
2. Proofs at tree size N through the real DB-backed `log.inclusion_proof` / `log.consistency_proof` (random
   leaves, random size pairs): p50/p95 and SQL queries per proof. Baseline in the same run: `tlog`'s proof
   functions over a dict holding the very nodes those proofs read (node reads cost nothing).
3. Verification: `tlog.verify_inclusion`, `tlog.verify_consistency` and `note.open_checkpoint` (Ed25519).
4. Appends on the N-leaf log: one leaf per transaction (one producer event = one transaction, one signed
   checkpoint), `--batch` leaves per transaction (an EPCIS capture document, at most 500 events), and the same
   two through `store.store_events` with full events (canonicalisation, TraceEvent and index rows). Baseline in
   the same run: `tlog.leaf_hash` (SHA-256) over the same leaves; the ratio says how many times slower.
   Cost components are timed alone: JCS canonicalisation, checkpoint signing, a one-row write transaction and
   os.fsync; on SQLite, one-leaf appends and that transaction also run with PRAGMA synchronous=NORMAL (no
   fsync at commit in WAL mode) beside the app's FULL (settings.py), to show what durability costs.

Memory stays bounded: leaves are made one transaction at a time, and the proof baseline keeps only the nodes
the sampled proofs read.

The output ends with a Markdown block for docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import platform
import random
import shlex
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUICK = {"leaves": 20_000, "singles": 200, "batches": 4, "proofs": 300}
FULL = {"leaves": 1_000_000, "singles": 2_000, "batches": 20, "proofs": 2_000}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Traceability log benchmark: appends, proofs, verification.")
    parser.add_argument("--leaves", type=int, help="log size the proofs are measured at (default 1 000 000)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 20 000 leaves, few samples")
    parser.add_argument("--build-batch", type=int, default=20_000, help="leaves per transaction while building")
    parser.add_argument("--singles", type=int, help="one-leaf appends to time (default 2000)")
    parser.add_argument("--batch", type=int, default=500, help="leaves per batched append (capture maximum: 500)")
    parser.add_argument("--batches", type=int, help="batched appends to time (default 20)")
    parser.add_argument("--proofs", type=int, help="inclusion and consistency proofs to time (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.leaves < 2:
        parser.error("--leaves must be at least 2")
    return args


ARGS = parse_args()
TMP = Path(tempfile.mkdtemp(prefix="taybac-tracelog-bench-"))
ON_POSTGRES = os.environ.get("TAYBAC_DATABASE_URL", "").startswith("postgres")
# Settings read the environment at import: set it before django.setup().
os.environ["TAYBAC_DATA_DIR"] = str(TMP)
if not ON_POSTGRES:
    os.environ["TAYBAC_DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ["TAYBAC_DEBUG"] = "0"
os.environ.setdefault("TAYBAC_LOG_LEVEL", "WARNING")
os.environ["DJANGO_SETTINGS_MODULE"] = "taybac.settings"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.factories: shops and products through the real services

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from taybac.catalog.gtin import check_digit  # noqa: E402
from taybac.traceability import keys, log, store  # noqa: E402
from taybac.traceability.epcis import build  # noqa: E402
from taybac.traceability.models import Checkpoint, LogNode, Lot, TraceEvent  # noqa: E402
from taybac_verify import note, tlog  # noqa: E402

TZ = datetime.timezone(datetime.timedelta(hours=7))  # producers record in Vietnam time
START = datetime.datetime(2026, 1, 5, 6, 0, tzinfo=TZ)
PRACTICES = [
    "Không phun thuốc trừ sâu, làm cỏ thủ công, bón phân chuồng hoai mục.",
    "Hái một tôm hai lá vào sáng sớm, sao chè bằng chảo gang trên bếp củi.",
    "Nuôi ong dưới tán rừng bạc hà, quay mật khi nắp vít trên 80 %.",
    "Trồng xen canh trên nương, tưới nước suối, thu hoạch theo mùa vụ.",
    "Phơi khô tự nhiên trên giàn tre, đóng gói hút chân không tại hợp tác xã.",
]
CERTIFICATES = [
    ["VietGAP số 12/2026/VG-SL"],
    ["OCOP 4 sao 2025", "VietGAP số 37/2025"],
    [],
    ["Hữu cơ TCVN 11041-2:2017 số HC-0921"],
    ["Chỉ dẫn địa lý Mộc Châu"],
]
INSPECTORS = [
    "Hợp tác xã Chè Shan tuyết Suối Giàng",
    "Chi cục Quản lý chất lượng Nông lâm sản tỉnh Sơn La",
    "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 1",
    "Tổ kiểm soát nội bộ hợp tác xã",
]
NOTES = ["Đạt, độ ẩm 4,8 %", "Đạt, không phát hiện dư lượng thuốc bảo vệ thực vật", "Lấy mẫu lưu 200 g", ""]


# --- Realistic leaves -----------------------------------------------------------------------------------------


class Lots:
    """A few shops, products and lots made through the real services, so store_events links real lots."""

    def __init__(self, seed: int) -> None:
        from tests.factories import make_product, make_shop

        rng = random.Random(seed)
        self.lots: list[dict[str, Any]] = []
        self.by_class: dict[str, Lot] = {}
        products = [
            ("Chè Shan tuyết Suối Giàng", "che", "kg"),
            ("Mật ong bạc hà Mèo Vạc", "mat-ong", "lít"),
            ("Tam thất bắc", "duoc-lieu", "kg"),
            ("Gạo nếp Tú Lệ", "gao-ngu-coc", "kg"),
            ("Thịt trâu gác bếp", "thit-kho", "gói"),
            ("Thảo quả khô", "gia-vi", "kg"),
        ]
        with transaction.atomic():
            for s, province in enumerate((4, 8, 14, 15, 25)):
                shop = make_shop(name=f"Hợp tác xã bench {s}", province_code=province)
                gln = keys.shop_location(shop).gln
                commune = {"code": shop.commune_id, "name": shop.commune.name, "province": shop.commune.province.name}
                for p in range(2):
                    name, category, unit = products[(s * 2 + p) % len(products)]
                    variant = make_product(
                        shop=shop, name=f"{name} {s}{p}", category_slug=category, unit=unit
                    ).variants.get()
                    for n in range(10):
                        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(300))
                        lot = Lot.objects.create(
                            variant=variant,
                            shop=shop,
                            code=f"{day:%y%m%d}-{n + 1}",
                            harvested_on=day,
                            quantity=rng.randrange(20, 2000),
                            unit=unit,
                            commune=shop.commune,
                            latitude=f"{21 + rng.random() * 2:.5f}",
                            longitude=f"{103 + rng.random() * 2:.5f}",
                            practices=rng.choice(PRACTICES),
                            certificates=rng.choice(CERTIFICATES),
                        )
                        lot_class = build.lot_class(variant.gtin, lot.code)
                        self.by_class[lot_class] = lot
                        self.lots.append(
                            {
                                "gtin": variant.gtin,
                                "code": lot.code,
                                "unit": unit,
                                "gln": gln,
                                "geo": f"geo:{lot.latitude},{lot.longitude}",
                                "commune": commune,
                                "day": day.isoformat(),
                                "practices": lot.practices,
                                "certificates": lot.certificates,
                                "class": lot_class,
                            }
                        )


class Events:
    """Event i is the same dict every time it is asked for (eventID and times derive from the seed and i)."""

    def __init__(self, lots: Lots, seed: int) -> None:
        self.lots, self.seed = lots, seed
        self.prefix = settings.TAYBAC_GS1_COMPANY_PREFIX

    def event(self, i: int) -> dict[str, Any]:
        h = hashlib.sha256(f"{self.seed}:{i}".encode()).digest()
        lots = self.lots.lots
        lot, other = lots[int.from_bytes(h[:4], "big") % len(lots)], lots[int.from_bytes(h[4:8], "big") % len(lots)]
        when = START + datetime.timedelta(seconds=i * 29 + h[8])
        amount = 1 + int.from_bytes(h[9:11], "big") % 1500
        q = build.quantity(lot["gtin"], lot["code"], amount, lot["unit"])
        kind = i % 10
        if kind < 4:  # harvest: services.record_harvest
            ilmd = {
                "cbvmda:harvestStartDate": lot["day"],
                "cbvmda:countryOfOrigin": "VN",
                "taybac:commune": lot["commune"],
                "taybac:practices": lot["practices"],
            }
            if lot["certificates"]:
                ilmd["taybac:certificates"] = lot["certificates"]
            e = build.event(
                "ObjectEvent",
                when=when,
                action="ADD",
                quantityList=[q],
                biz_step="commissioning",
                disposition="active",
                read_point=lot["geo"],
                biz_location=build.gln_uri(lot["gln"]),
                ilmd=ilmd,
            )
        elif kind < 5:  # processing: services.record_processing
            inputs = [build.quantity(other["gtin"], other["code"], amount * 3, other["unit"])]
            e = build.event(
                "TransformationEvent",
                when=when,
                inputQuantityList=inputs,
                outputQuantityList=[q],
                biz_step="commissioning",
                disposition="active",
                biz_location=build.gln_uri(lot["gln"]),
                ilmd={
                    "cbvmda:harvestStartDate": lot["day"],
                    "cbvmda:countryOfOrigin": "VN",
                    "taybac:commune": lot["commune"],
                    "taybac:practices": lot["practices"],
                },
            )
        elif kind < 7:  # packing: services.record_packing, one carton per event
            body = "0" + self.prefix + str(i).zfill(16 - len(self.prefix))
            e = build.event(
                "AggregationEvent",
                when=when,
                action="ADD",
                parentID=build.sscc_uri(body + str(check_digit(body))),
                childQuantityList=[q],
                biz_step="packing",
                disposition="in_progress",
                biz_location=build.gln_uri(lot["gln"]),
            )
        elif kind < 8:  # inspection: services.record_inspection
            extra = {"taybac:inspector": INSPECTORS[h[11] % len(INSPECTORS)]}
            if NOTES[h[12] % len(NOTES)]:
                extra["taybac:note"] = NOTES[h[12] % len(NOTES)]
            e = build.event(
                "ObjectEvent",
                when=when,
                action="OBSERVE",
                quantityList=[q],
                biz_step="inspecting",
                disposition="conformant" if h[13] % 20 else "non_conformant",
                biz_location=build.gln_uri(lot["gln"]),
                **extra,
            )
        else:  # shipping and delivery: services.record_order_step
            lines = [q] + (
                [build.quantity(other["gtin"], other["code"], 1 + h[14] % 5, other["unit"])] if h[15] % 3 == 0 else []
            )
            e = build.event(
                "ObjectEvent",
                when=when,
                action="OBSERVE",
                quantityList=lines,
                biz_step="shipping" if kind == 8 else "retail_selling",
                disposition="in_transit" if kind == 8 else "retail_sold",
                biz_location=build.gln_uri(lot["gln"]) if kind == 8 else None,
                bizTransactionList=[{"type": "po", "bizTransaction": f"urn:taybac:order:TB{i:08d}-1"}],
            )
        e["eventID"] = f"urn:uuid:{uuid.UUID(bytes=h[16:32], version=4)}"
        e["recordTime"] = build.timestamp(when + datetime.timedelta(seconds=1 + h[10] % 90, milliseconds=h[11]))
        return e

    def leaf(self, i: int) -> bytes:
        """The exact bytes store_events would append for event i."""
        return store.canonical(self.event(i)).encode("utf-8")

    def hub_lots(self, event: dict[str, Any]) -> dict[str, Lot]:
        """What services._store passes to store_events: the lots the event names, already loaded."""
        classes = [q["epcClass"] for field in store.CLASS_FIELDS for q in event.get(field) or []]
        return {c: self.lots.by_class[c] for c in classes}


# --- Measuring helpers ----------------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def each(fn: Callable[..., Any], calls: list[tuple]) -> list[float]:
    """Seconds taken by every call."""
    out = []
    for args in calls:
        started = time.perf_counter()
        fn(*args)
        out.append(time.perf_counter() - started)
    return out


def hash_rate(leaves: list[bytes]) -> float:
    """Leaves per second through tlog.leaf_hash: best of 3 passes of at least 20 000 hashes (short runs are noisy)."""
    reps = max(1, -(-20_000 // len(leaves)))
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(reps):
            for b in leaves:
                tlog.leaf_hash(b)
        best = min(best, time.perf_counter() - started)
    return rate(reps * len(leaves), best)


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else float("inf")


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ") + "/s" if value >= 100 else f"{value:.1f}/s"


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def fmt_int(n: float) -> str:
    return f"{n:,.0f}".replace(",", " ")


def db_bytes() -> int:
    """Database size: SQLite main file after a WAL checkpoint, or pg_database_size."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
            return cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def table_bytes(model) -> int | None:
    """Bytes of a table with its indexes (SQLite: only if built with the dbstat table)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            try:
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name = %s OR name IN "
                    "(SELECT name FROM sqlite_master WHERE tbl_name = %s)",
                    [table, table],
                )
            except Exception:
                return None
        else:
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        return cursor.fetchone()[0]


def set_synchronous(mode: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA synchronous={mode}")
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == {"NORMAL": 1, "FULL": 2}[mode]


def fsync_seconds(count: int = 200) -> list[float]:
    """A 4 KB write and fsync in the data directory: what one durable commit costs this disk at least."""
    path = TMP / "fsync.probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        out = []
        for k in range(count):
            os.pwrite(fd, os.urandom(4096), (k % 64) * 4096)
            started = time.perf_counter()
            os.fsync(fd)
            out.append(time.perf_counter() - started)
        return out
    finally:
        os.close(fd)
        path.unlink()


def machine() -> dict[str, str]:
    cpu, ram = "unknown", "?"
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(
            (line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")),
            platform.processor() or "unknown",
        )
        mem = Path("/proc/meminfo").read_text().split("\n")[0].split()
        ram = f"{int(mem[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            database = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL)"
        else:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW fsync")
            fsync = cursor.fetchone()[0]
            cursor.execute("SHOW synchronous_commit")
            database = f"PostgreSQL {version} (fsync={fsync}, synchronous_commit={cursor.fetchone()[0]})"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "python": platform.python_version(),
        "database": database,
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def cpu_stall_us() -> int | None:
    """Microseconds some task waited for a CPU since boot (Linux PSI), to tell a busy machine from a slow log."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return int(line.rsplit("total=", 1)[1])


def say(text: str) -> None:
    print(text, flush=True)


# --- Phases ---------------------------------------------------------------------------------------------------


def build_log(events: Events, n: int, batch: int) -> dict[str, Any]:
    gen_s = append_s = hash_s = 0.0
    per_txn: list[float] = []
    next_report = time.perf_counter() + 15
    for start in range(0, n, batch):
        t0 = time.perf_counter()
        leaves = [events.leaf(i) for i in range(start, min(n, start + batch))]
        t1 = time.perf_counter()
        for b in leaves:  # the baseline, on the same leaves, at the same moment
            tlog.leaf_hash(b)
        hash_s += time.perf_counter() - t1
        t1 = time.perf_counter()
        with transaction.atomic():
            first, _ = log.append(leaves)
        per_txn.append(time.perf_counter() - t1)
        append_s += per_txn[-1]
        gen_s += t1 - t0
        assert first == start
        if time.perf_counter() > next_report:
            say(f"  … {start + len(leaves):,} leaves, appending at {rate(start + len(leaves), append_s):,.0f}/s")
            next_report = time.perf_counter() + 15
    return {"gen_s": gen_s, "append_s": append_s, "hash_s": hash_s, "per_txn": per_txn}


def node_reader() -> tuple[dict[tuple[int, int], bytes], Callable[[int, int], bytes]]:
    """A reader that fetches from LogNode once and keeps what it read, for the in-memory baseline."""
    nodes: dict[tuple[int, int], bytes] = {}

    def read(level: int, index: int) -> bytes:
        value = nodes.get((level, index))
        if value is None:
            value = bytes(LogNode.objects.values_list("hash", flat=True).get(level=level, index=index))
            nodes[(level, index)] = value
        return value

    return nodes, read


def queries_per_call(fn: Callable[..., Any], calls: list[tuple]) -> list[int]:
    counts = []
    for args in calls:
        connection.queries_log.clear()  # the log keeps 9000 queries; counts are wrong once it is full
        with CaptureQueriesContext(connection) as ctx:
            fn(*args)
        counts.append(len(ctx.captured_queries))
    return counts


def main() -> None:
    args = ARGS
    n = args.leaves
    rng = random.Random(args.seed)
    t_start, stall_start = time.perf_counter(), cpu_stall_us()
    call_command("migrate", interactive=False, verbosity=0)
    info = machine()
    if log.size():
        raise SystemExit("the log in this database is not empty: point TAYBAC_DATABASE_URL at a throwaway database")
    say(
        f"{info['cpu']}, {info['cores']} cores, {info['ram']} RAM; Python {info['python']}; {info['database']}; "
        f"load {info['load']}; {info['date']}"
    )
    events = Events(Lots(args.seed), args.seed)
    empty_bytes = db_bytes()
    results: dict[str, Any] = {}

    # Baselines and cost components that need no log.
    sample_n = 5_000 if args.quick else 20_000
    sample_events = [events.event(i) for i in range(sample_n)]
    started = time.perf_counter()
    sample = [store.canonical(e).encode("utf-8") for e in sample_events]
    results["jcs"] = (time.perf_counter() - started) / sample_n
    results["leaf_bytes"] = statistics.mean(len(b) for b in sample)
    results["leaf_bytes_range"] = (min(len(b) for b in sample), max(len(b) for b in sample))
    assert all(events.leaf(i) == sample[i] for i in range(0, sample_n, 997)), "events must be reproducible"
    del sample_events
    results["hash_rate"] = hash_rate(sample)
    best = float("inf")
    for _ in range(3):
        memo: dict[tuple[int, int], bytes] = {}
        started = time.perf_counter()
        for i, b in enumerate(sample):
            for level, index, value in tlog.new_nodes(i, tlog.leaf_hash(b), lambda lv, ix, m=memo: m[(lv, ix)]):
                memo[(level, index)] = value
        best = min(best, time.perf_counter() - started)
    results["memory_rate"] = rate(sample_n, best)
    del memo
    signer, origin = log.signer(), log.origin()
    sign_s = each(
        note.sign_checkpoint, [(origin, n + k, hashlib.sha256(b"%d" % k).digest(), signer) for k in range(1000)]
    )
    results["sign"] = statistics.median(sign_s)
    say(
        f"leaves: {results['leaf_bytes']:.0f} bytes on average ({results['leaf_bytes_range'][0]}–"
        f"{results['leaf_bytes_range'][1]}); JCS {fmt_time(results['jcs'])}/event; "
        f"leaf_hash {fmt_rate(results['hash_rate'])}; in-memory tree {fmt_rate(results['memory_rate'])}; "
        f"sign_checkpoint {fmt_time(results['sign'])}"
    )

    # 1. Build the log to n leaves through log.append, build_batch leaves per transaction.
    say(f"building the log: {n:,} leaves, {args.build_batch:,} per transaction …")
    built = build_log(events, n, args.build_batch)
    results["build"] = built
    log_bytes = db_bytes()
    results["db_bytes"], results["empty_bytes"] = log_bytes, empty_bytes
    results["node_bytes"] = table_bytes(LogNode)
    results["nodes"] = LogNode.objects.count()
    say(
        f"built in {built['append_s']:.1f} s of log.append ({rate(n, built['append_s']):,.0f} leaves/s) + "
        f"{built['gen_s']:.1f} s making events; {results['nodes']:,} LogNode rows; database "
        f"{log_bytes / 1e6:.1f} MB ({(log_bytes - empty_bytes) / n:.0f} bytes per leaf over the empty schema)"
    )

    # 2. Proofs at tree size n.
    checkpoint = Checkpoint.objects.get(size=n)
    root_n = log.root_at(n)
    assert root_n == bytes(checkpoint.root_hash)
    p = args.proofs
    indexes = [rng.randrange(n) for _ in range(p)]
    pairs = []
    for _ in range(p):
        first = rng.randrange(1, n)
        pairs.append((first, rng.randrange(first + 1, n + 1)))
    for k in range(min(50, p)):  # warm-up: statement cache, pages
        log.inclusion_proof(indexes[k], n)
        log.consistency_proof(*pairs[k])
    inc_db = each(log.inclusion_proof, [(i, n) for i in indexes])
    con_db = each(log.consistency_proof, pairs)
    q = min(p, 200)
    inc_queries = queries_per_call(log.inclusion_proof, [(i, n) for i in indexes[:q]])
    con_queries = queries_per_call(log.consistency_proof, pairs[:q])
    inc_proofs = [log.inclusion_proof(i, n) for i in indexes]
    con_proofs = [log.consistency_proof(a, b) for a, b in pairs]
    nodes, read = node_reader()  # the nodes these proofs read, fetched once: the baseline's "free" reads
    for i, proof in zip(indexes, inc_proofs):
        assert tlog.inclusion_proof(read, i, n) == proof
    for (a, b), proof in zip(pairs, con_proofs):
        assert tlog.consistency_proof(read, a, b) == proof
    roots = {s: tlog.root(read, s) for pair in pairs for s in pair}

    def dict_read(level: int, index: int, nodes: dict[tuple[int, int], bytes] = nodes) -> bytes:
        return nodes[(level, index)]

    each(tlog.inclusion_proof, [(dict_read, i, n) for i in indexes[:100]])  # warm-up
    inc_mem = each(tlog.inclusion_proof, [(dict_read, i, n) for i in indexes])
    con_mem = each(tlog.consistency_proof, [(dict_read, a, b) for a, b in pairs])
    results["proofs"] = {
        "inclusion": (inc_db, inc_queries, inc_mem, statistics.mean(len(x) for x in inc_proofs)),
        "consistency": (con_db, con_queries, con_mem, statistics.mean(len(x) for x in con_proofs)),
    }
    say(
        f"proofs at {n:,} leaves: inclusion p50 {fmt_time(statistics.median(inc_db))}, consistency p50 "
        f"{fmt_time(statistics.median(con_db))}; dict baseline {fmt_time(statistics.median(inc_mem))} / "
        f"{fmt_time(statistics.median(con_mem))}"
    )

    # 3. Verification of those proofs (each must pass) and of the checkpoint signature.
    leaf_hashes = [tlog.leaf_hash(events.leaf(i)) for i in indexes]
    assert leaf_hashes[0] == bytes(LogNode.objects.get(level=0, index=indexes[0]).hash)
    results["verify_inclusion"] = each(
        tlog.verify_inclusion, [(lh, i, n, proof, root_n) for lh, i, proof in zip(leaf_hashes, indexes, inc_proofs)]
    )
    results["verify_consistency"] = each(
        tlog.verify_consistency, [(a, b, roots[a], roots[b], proof) for (a, b), proof in zip(pairs, con_proofs)]
    )
    vkey = log.public_key()
    assert note.open_checkpoint(checkpoint.note, vkey, origin).root_hash == root_n
    results["open_checkpoint"] = each(note.open_checkpoint, [(checkpoint.note, vkey, origin)] * 1000)
    del nodes, roots, inc_proofs, con_proofs, leaf_hashes

    # 4. Appends on the n-leaf log. A one-row write transaction first: what a commit costs without the log.
    # (A scratch table in this throwaway database: SQLite skips writing an UPDATE that changes nothing.)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_commit_probe (n integer NOT NULL)")
        cursor.execute("INSERT INTO bench_commit_probe (n) VALUES (0)")

    def small_txn() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE bench_commit_probe SET n = n + 1")

    results["fsync"] = fsync_seconds()
    results["txn"] = {"app": each(small_txn, [()] * 500)}
    if connection.vendor == "sqlite":
        set_synchronous("NORMAL")
        results["txn"]["normal"] = each(small_txn, [()] * 300)
        set_synchronous("FULL")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_commit_probe")
    pos = log.size()
    appends: dict[str, dict[str, Any]] = {}

    def run(key: str, per_txn: int, count: int, fn: Callable[[list], Any], make: Callable[[int], Any]) -> None:
        nonlocal pos
        batches = [[make(pos + b * per_txn + k) for k in range(per_txn)] for b in range(count)]
        raw = [
            b
            for batch in batches
            for b in (batch if isinstance(batch[0], bytes) else [store.canonical(e).encode("utf-8") for e in batch])
        ]
        baseline = hash_rate(raw)
        before = db_bytes()
        seconds = each(fn, [(batch,) for batch in batches])
        after = db_bytes()
        pos += per_txn * count
        assert log.size() == pos
        leaves = per_txn * count
        appends[key] = {
            "per_txn": per_txn,
            "seconds": seconds,
            "rate": rate(leaves, sum(seconds)),
            "baseline": baseline,
            "bytes": (after - before) / leaves,
        }
        say(f"{key}: {fmt_rate(appends[key]['rate'])}, p50 {fmt_time(statistics.median(seconds))} per transaction")

    def count_queries(fn: Callable[[list], Any], make: Callable[[int], Any], per_txn: int) -> float:
        nonlocal pos
        counts = queries_per_call(fn, [([make(pos + b * per_txn + k) for k in range(per_txn)],) for b in range(10)])
        pos += 10 * per_txn
        return statistics.mean(counts)

    def hub_store(batch: list[dict]) -> None:  # services._store: lots already loaded
        store.store_events(batch, source=TraceEvent.Source.HUB, lots=events.hub_lots(batch[0]))

    def capture_store(batch: list[dict]) -> None:  # store.capture after validation: lots looked up
        store.store_events(batch, source=TraceEvent.Source.CAPTURE)

    split: list[tuple[float, float]] = []  # (inside log.append, commit) of every append_one call

    def append_one(batch: list[bytes]) -> None:
        with transaction.atomic():
            started = time.perf_counter()
            log.append(batch)
            appended = time.perf_counter()
        split.append((appended - started, time.perf_counter() - appended))

    run("append 1", 1, args.singles, append_one, events.leaf)
    appends["append 1"]["split"] = split[:]
    appends["append 1"]["queries"] = count_queries(append_one, events.leaf, 1)
    if connection.vendor == "sqlite":
        set_synchronous("NORMAL")
        split.clear()
        run("append 1 NORMAL", 1, max(50, args.singles // 2), append_one, events.leaf)
        appends["append 1 NORMAL"]["split"] = split[:]
        set_synchronous("FULL")
    run(f"append {args.batch}", args.batch, args.batches, append_one, events.leaf)
    appends[f"append {args.batch}"]["queries"] = count_queries(append_one, events.leaf, args.batch)
    run("store 1", 1, max(50, args.singles // 2), hub_store, events.event)
    appends["store 1"]["queries"] = count_queries(hub_store, events.event, 1)
    run(f"store {args.batch}", args.batch, max(2, args.batches // 2), capture_store, events.event)
    appends[f"store {args.batch}"]["queries"] = count_queries(capture_store, events.event, args.batch)
    built_rate = rate(n, built["append_s"])
    appends[f"build {args.build_batch}"] = {
        "per_txn": args.build_batch,
        "rate": built_rate,
        "seconds": built["per_txn"],
        "baseline": rate(n, built["hash_s"]),
        "bytes": (log_bytes - empty_bytes) / n,
    }
    assert note.open_checkpoint(log.latest_checkpoint().note, vkey, origin).root_hash == log.root_at(log.size())
    total = time.perf_counter() - t_start
    stall_end = cpu_stall_us()
    info["busy"] = f"load average at the end {os.getloadavg()[0]:.2f}" + (
        f", CPU pressure (PSI some) {(stall_end - stall_start) / 1e4 / total:.0f} % over the run"
        if stall_start is not None and stall_end is not None
        else ""
    )
    report(args, info, results, appends, total)


def report(
    args: argparse.Namespace, info: dict[str, str], r: dict[str, Any], appends: dict[str, dict[str, Any]], total: float
) -> None:
    n = args.leaves
    command = ("TAYBAC_DATABASE_URL=postgres://… " if ON_POSTGRES else "") + shlex.join(
        [".venv/bin/python", "bench/trace_log.py", *sys.argv[1:]]
    )
    b, bb = args.batch, args.build_batch
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; Python {info['python']}; "
        f"{info['database']}. Run on {info['date']} with `{command}` (total {total:.0f} s; load average at the "
        f"start {info['load']}, {info['busy']}).",
        "",
        f"Leaves: canonical EPCIS events, {r['leaf_bytes']:.0f} bytes on average ({r['leaf_bytes_range'][0]}–"
        f"{r['leaf_bytes_range'][1]}). Log built to {fmt_int(n)} leaves by `log.append`, {fmt_int(bb)} per "
        f"transaction: {r['build']['append_s']:.1f} s in `log.append` + {r['build']['gen_s']:.1f} s making "
        f"the events; {fmt_int(r['nodes'])} `LogNode` rows; database {r['db_bytes'] / 1e6:.1f} MB, of which "
        f"{(r['db_bytes'] - r['empty_bytes']) / 1e6:.1f} MB for the log ("
        f"{(r['db_bytes'] - r['empty_bytes']) / n:.0f} bytes per leaf"
        + (f"; `LogNode` table and index {r['node_bytes'] / 1e6:.1f} MB" if r["node_bytes"] else "")
        + ").",
        "",
        f"**Appends** on the {fmt_int(n)}-leaf log (baseline: `tlog.leaf_hash` of the same leaves, "
        f"{fmt_rate(r['hash_rate'])}):",
        "",
        "| path | leaves per transaction | leaves/s | p50 per transaction | SQL per transaction "
        "| DB growth per leaf | slower than hashing |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    labels = {
        "append 1": "`log.append` (one event, one signed checkpoint)",
        "append 1 NORMAL": "`log.append`, SQLite `synchronous=NORMAL` (no fsync at commit)",
        f"append {b}": "`log.append`, a capture document's worth",
        f"build {bb}": "`log.append` while building the log",
        "store 1": "`store_events`, hub path (one producer event)",
        f"store {b}": "`store_events`, capture path (lots looked up)",
    }
    for key, label in labels.items():
        if key not in appends:
            continue
        a = appends[key]
        queries = f"{a['queries']:.1f}" if "queries" in a else "—"
        lines.append(
            f"| {label} | {fmt_int(a['per_txn'])} | {fmt_rate(a['rate'])} | "
            f"{fmt_time(statistics.median(a['seconds']))} | {queries} | {a['bytes']:.0f} B | "
            f"{fmt_int(a['baseline'] / a['rate'])}× |"
        )
    lines += [
        f"| in-memory tree (`tlog.new_nodes` into a dict, no DB) | — | {fmt_rate(r['memory_rate'])} | — | 0 "
        f"| — | {r['hash_rate'] / r['memory_rate']:.1f}× |",
        "",
        f"Cost components, alone: RFC 8785 canonicalisation {fmt_time(r['jcs'])} per event; "
        f"`note.sign_checkpoint` (Ed25519) {fmt_time(r['sign'])}; a one-row write transaction (one UPDATE, "
        f"commit) {fmt_time(statistics.median(r['txn']['app']))} p50"
        + (
            f", {fmt_time(statistics.median(r['txn']['normal']))} with `synchronous=NORMAL`"
            if "normal" in r["txn"]
            else ""
        )
        + "; `os.fsync` after a 4 KB write in the data directory "
        f"{fmt_time(statistics.median(r['fsync']))} p50.",
    ]
    for key, what in (
        ("append 1", "" if ON_POSTGRES else " with the app's `synchronous=FULL`"),
        ("append 1 NORMAL", " with `synchronous=NORMAL`"),
    ):
        if "split" in appends.get(key, {}):
            inside, commit = zip(*appends[key]["split"])
            lines.append(
                f"One-leaf append{what}: {fmt_time(statistics.median(inside))} inside "
                f"`log.append`, {fmt_time(statistics.median(commit))} to commit (p50)."
            )
    lines += [
        "",
        f"**Proofs** at tree size {fmt_int(n)}, {fmt_int(args.proofs)} random leaves / random size pairs "
        "(first < second ≤ tree size), served by the DB-backed `log` functions; baseline: the same `tlog` "
        "functions reading the same nodes from a dict:",
        "",
        "| proof | hashes | p50 | p95 | SQL per proof (mean / max) | dict baseline p50 | p95 | DB ÷ dict (p50) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (db, queries, mem, hashes) in r["proofs"].items():
        lines.append(
            f"| {name} | {hashes:.1f} | {fmt_time(statistics.median(db))} | {fmt_time(percentile(db, 0.95))} | "
            f"{statistics.mean(queries):.1f} / {max(queries)} | {fmt_time(statistics.median(mem))} | "
            f"{fmt_time(percentile(mem, 0.95))} | {statistics.median(db) / statistics.median(mem):.0f}× |"
        )
    lines += [
        "",
        "**Verification** (client side, p50): "
        f"`tlog.verify_inclusion` {fmt_time(statistics.median(r['verify_inclusion']))}, "
        f"`tlog.verify_consistency` {fmt_time(statistics.median(r['verify_consistency']))}, "
        f"`note.open_checkpoint` (Ed25519 verify + parse) {fmt_time(statistics.median(r['open_checkpoint']))}.",
    ]
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        shutil.rmtree(TMP, ignore_errors=True)
