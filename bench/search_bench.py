"""Search benchmark: search_products over N generated products with the SQLite FTS5 engine and with the embedded
tantivy index (the default on SQLite), side by side in one run, plus a plain LIKE scan as the floor.

    .venv/bin/python bench/search_bench.py [--products 100000] [--repeat 15] [--seed 7]

Everything happens in a temporary directory (TAYBAC_DATA_DIR, SQLite file) removed at the end.
Products, variants and OCOP certificates are bulk-inserted (the catalogue services would take far
longer one by one), then the index is built by the real indexing code (taybac.search.indexing.rebuild_index).
Each query of a fixed, realistic set runs `--repeat` times through search_products on each engine (the same
plan, filters, first page of 20 cards and total count; the query log off) and through the baseline:
`icontains` (SQL LIKE) over name and description with the same filters, newest first, count plus first page of
cards. Hit counts must be identical on both engines (the run fails otherwise). Latency figures are p50/p95 over
all runs. The output ends with a Markdown block for docs/performance.md and docs/search.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Search benchmark: search_products vs a LIKE scan on SQLite.")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", help="keep the database in DIR (reused if it is already there)")
    parser.add_argument(
        "--no-relevance", action="store_true", help="skip the labelled query set (bench/search_relevance.py)"
    )
    return parser.parse_args(argv)


ARGS = parse_args()
TMP = Path(ARGS.keep).resolve() if ARGS.keep else Path(tempfile.mkdtemp(prefix="taybac-search-bench-"))
TMP.mkdir(parents=True, exist_ok=True)
REUSE = (TMP / "bench.sqlite3").exists()
# Settings read the environment at import: set it before django.setup().
os.environ["TAYBAC_DATA_DIR"] = str(TMP)
os.environ["TAYBAC_DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ["TAYBAC_SEARCH_BACKEND"] = "auto"
os.environ.setdefault("TAYBAC_LOG_LEVEL", "WARNING")
os.environ["DJANGO_SETTINGS_MODULE"] = "taybac.settings"
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Min, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from taybac.accounts.models import Producer, Role, User  # noqa: E402
from taybac.catalog.gtin import check_digit  # noqa: E402
from taybac.catalog.models import Category, OcopCertificate, Product, Shop, Variant  # noqa: E402
from taybac.catalog.selectors import product_cards  # noqa: E402
from taybac.core.text import slugify_vi  # noqa: E402
from taybac.regions.models import Commune  # noqa: E402
from taybac.search.backends import get_backend, tantivy_index  # noqa: E402
from taybac.search.backends.tantivy import plan_query as tantivy_match  # noqa: E402
from taybac.search.indexing import rebuild_index  # noqa: E402
from taybac.search.query import plan_query, query_words  # noqa: E402
from taybac.search.services import (  # noqa: E402
    SearchFilters,
    _filter_spec,
    search_products,
)
from taybac.search.synonyms import synonym_table  # noqa: E402

# (category slug, product kinds) — the region's specialties.
KINDS = [
    (
        "che",
        [
            "Chè Shan tuyết",
            "Chè Shan tuyết cổ thụ",
            "Chè búp khô",
            "Trà xanh Thái Nguyên",
            "Chè vằng",
            "Hồng trà Shan tuyết",
            "Chè móc câu",
        ],
    ),
    ("mat-ong", ["Mật ong bạc hà", "Mật ong rừng", "Mật ong hoa nhãn", "Mật ong bạc hà Mèo Vạc", "Sáp ong"]),
    (
        "trai-cay",
        [
            "Cam sành Hàm Yên",
            "Mận hậu Mộc Châu",
            "Xoài tròn Yên Châu",
            "Nhãn lồng Sơn La",
            "Táo mèo",
            "Mận tam hoa Bắc Hà",
            "Bưởi Đoan Hùng",
            "Lê Hoàng Mai",
            "Mít sấy giòn",
        ],
    ),
    ("duoc-lieu", ["Tam thất bắc", "Sâm Lai Châu", "Giảo cổ lam", "Cao tam thất", "Đương quy", "Hà thủ ô đỏ"]),
    ("gia-vi", ["Thảo quả khô", "Hạt dổi rừng", "Mắc khén", "Quế Văn Yên", "Hồi Lạng Sơn", "Đường phèn"]),
    ("gao-ngu-coc", ["Gạo nếp Tú Lệ", "Gạo Séng Cù", "Nếp cái hoa vàng", "Ngô nếp nương", "Gạo tẻ Điện Biên"]),
    ("thit-kho", ["Thịt trâu gác bếp", "Lạp xưởng gác bếp", "Măng khô", "Nấm hương rừng", "Cá suối nướng"]),
    ("thu-cong-tho-cam", ["Khăn thổ cẩm", "Túi thổ cẩm Mông", "Váy lanh Mông", "Giỏ mây tre đan"]),
    ("du-lich-cong-dong", ["Homestay bản Lác", "Tour bản Cát Cát", "Trải nghiệm hái chè Suối Giàng"]),
]
QUALIFIERS = [
    "",
    "",
    "loại 1",
    "đặc biệt",
    "hữu cơ",
    "nguyên chất",
    "túi 500g",
    "hộp quà",
    "hũ 1 lít",
    "vụ mới",
    "gói 200g",
    "cao cấp",
    "truyền thống",
]
PLACES = [
    "Suối Giàng",
    "Mộc Châu",
    "Hà Giang",
    "Bắc Hà",
    "Sa Pa",
    "Mù Cang Chải",
    "Tủa Chùa",
    "Đồng Văn",
    "Tây Côn Lĩnh",
    "Trùng Khánh",
    "Mường Lò",
    "Bảo Lạc",
    "Quản Bạ",
    "Than Uyên",
    "Phong Thổ",
]
PHRASES = [
    "Sản phẩm của bà con dân tộc vùng cao, thu hái thủ công.",
    "Đóng gói cẩn thận, giao hàng toàn quốc.",
    "Đạt chứng nhận an toàn thực phẩm.",
    "Trồng trên đất đồi, không dùng thuốc trừ sâu.",
    "Hương vị đậm đà, thích hợp làm quà biếu.",
    "Bảo quản nơi khô ráo, thoáng mát.",
    "Hợp tác xã cam kết nguồn gốc rõ ràng, truy xuất bằng mã QR.",
    "Thu hoạch theo mùa vụ.",
    "Được chế biến theo phương pháp truyền thống của người Dao đỏ.",
    "Giàu dinh dưỡng, tốt cho sức khỏe.",
]
SHOP_WORDS = ["Hợp tác xã", "Hộ", "HTX Nông sản", "Công ty TNHH", "Tổ hợp tác"]
PEOPLE = [
    "Giàng A Páo",
    "Vàng Seo Chứ",
    "Lò Văn Pọm",
    "Sùng A Chư",
    "Lý Seo Dìn",
    "Hà Thị Mai",
    "Thào A Lử",
    "Lường Văn Ẻn",
    "Mùa A Sình",
    "Nông Thị Hoa",
]
REGION = [4, 8, 11, 12, 14, 15, 19, 20, 25]

# (label, query, filters) — typed the way buyers type: with and without marks, typos, half-typed words.
QUERIES: list[tuple[str, str, SearchFilters | None]] = [
    ("folded", "mat ong", None),
    ("folded", "che shan tuyet", None),
    ("folded", "duong phen", None),
    ("folded", "cam sanh ham yen", None),
    ("folded", "thit trau gac bep", None),
    ("diacritics", "Mật ong bạc hà", None),
    ("diacritics", "Chè Shan tuyết", None),
    ("diacritics", "Mận hậu Mộc Châu", None),
    ("diacritics", "thổ cẩm", None),
    ("typo", "che shan tuyyet", None),
    ("typo", "nam huongg rung", None),
    ("typo", "lap xuogn gac bep", None),
    ("typo", "tra xanh thai nguyn", None),
    ("prefix", "mat o", None),
    ("prefix", "che sh", None),
    ("prefix", "gao nep t", None),
    ("prefix", "tam th", None),
    ("filters", "mat ong", SearchFilters(province_code=8)),
    ("filters", "che", SearchFilters(ocop_min_stars=4)),
    ("filters", "gao", SearchFilters(price_min=50_000, price_max=150_000)),
    ("filters", "", SearchFilters(category_slug="trai-cay", in_season=True)),
    ("filters", "", SearchFilters(province_code=14, price_max=200_000)),
    ("no hits", "sau rieng", None),
    ("old name", "ha giang", None),
]


def machine() -> dict[str, str]:
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next((line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name")), "")
    except OSError:
        pass
    return {
        "cpus": str(os.cpu_count()),
        "cpu": model or platform.processor() or "unknown",
        "python": platform.python_version(),
        "sqlite": connection.Database.sqlite_version,
        "date": datetime.date.today().isoformat(),
    }


def gtin(n: int) -> str:
    body = f"8939999{n:06d}"
    return body + str(check_digit(body))


@transaction.atomic
def generate(n_products: int, rng: random.Random) -> None:
    communes: dict[int, list[int]] = {}
    for code, province in Commune.objects.filter(province_id__in=REGION).values_list("code", "province_id"):
        communes.setdefault(province, []).append(code)
    n_shops = max(10, n_products // 250)
    users = User.objects.bulk_create(
        [
            User(username=f"+8498{i:07d}", phone=f"+8498{i:07d}", role=Role.PRODUCER, full_name=rng.choice(PEOPLE))
            for i in range(n_shops)
        ]
    )
    producers, shops = [], []
    for i, user in enumerate(users):
        province = REGION[i % len(REGION)]
        name = f"{rng.choice(SHOP_WORDS)} {rng.choice(PEOPLE)} {i}"
        producers.append(
            Producer(
                owner=user,
                kind=Producer.Kind.HOUSEHOLD,
                name=name,
                province_id=province,
                commune_id=rng.choice(communes[province]),
            )
        )
    Producer.objects.bulk_create(producers)
    for p in producers:
        shops.append(
            Shop(producer=p, name=p.name, slug=slugify_vi(p.name), province_id=p.province_id, commune_id=p.commune_id)
        )
    Shop.objects.bulk_create(shops)
    categories = {c.slug: c.pk for c in Category.objects.all()}
    start = timezone.now() - datetime.timedelta(days=720)
    for batch_start in range(0, n_products, 5000):
        products = []
        for i in range(batch_start, min(n_products, batch_start + 5000)):
            slug, kinds = rng.choice(KINDS)
            name = " ".join(
                filter(
                    None, [rng.choice(kinds), rng.choice(QUALIFIERS), rng.choice(PLACES) if rng.random() < 0.4 else ""]
                )
            )
            description = "<p>" + " ".join(rng.sample(PHRASES, 3)) + f" {name} từ {rng.choice(PLACES)}.</p>"
            months = rng.sample(range(1, 13), rng.randint(0, 4))
            products.append(
                Product(
                    shop=shops[i % n_shops],
                    category_id=categories[slug],
                    name=name,
                    slug=slugify_vi(name),
                    description_html=description,
                    season_mask=sum(1 << m for m in months),
                )
            )
        Product.objects.bulk_create(products, batch_size=1000)
        # created_at is auto_now_add: spread it over two years afterwards so "newest first" means something.
        for p in products:
            p.created_at = start + datetime.timedelta(minutes=rng.randint(0, 720 * 24 * 60))
        Product.objects.bulk_update(products, ["created_at"], batch_size=1000)
        variants, certificates = [], []
        for p in products:
            price = rng.randrange(20_000, 2_000_000, 1000)
            variants.append(
                Variant(
                    product=p,
                    shop_id=p.shop_id,
                    sku=f"SP{p.pk}",
                    name="Gói",
                    unit="gói",
                    weight_grams=500,
                    price=price,
                    quantity=rng.randint(0, 200),
                    gtin=gtin(p.pk),
                )
            )
            if rng.random() < 0.3:
                variants.append(
                    Variant(
                        product=p,
                        shop_id=p.shop_id,
                        sku=f"SP{p.pk}-L",
                        name="Hộp lớn",
                        unit="hộp",
                        weight_grams=1000,
                        price=price * 2,
                        quantity=10,
                        gtin=gtin(p.pk + 500_000),
                    )
                )
            if rng.random() < 0.1:
                issued = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 600))
                certificates.append(
                    OcopCertificate(
                        product=p,
                        stars=rng.choice([3, 3, 4, 4, 5]),
                        issuer="UBND tỉnh",
                        number=f"OCOP-{p.pk}",
                        issued_on=issued,
                        expires_on=issued + datetime.timedelta(days=3 * 365),
                    )
                )
        Variant.objects.bulk_create(variants, batch_size=1000)
        OcopCertificate.objects.bulk_create(certificates, batch_size=1000)


def like_scan(query: str, filters: SearchFilters | None, page_size: int = 20) -> int:
    """The baseline: what a site without a search engine does (LIKE over name and description)."""
    f = filters or SearchFilters()
    qs = product_cards()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(description_html__icontains=query))
    if f.province_code is not None:
        qs = qs.filter(shop__province_id=f.province_code)
    if f.category_slug:
        qs = qs.filter(category__slug=f.category_slug)
    if f.ocop_min_stars is not None:
        qs = qs.filter(ocop__stars__gte=f.ocop_min_stars, ocop__expires_on__gte=timezone.localdate())
    if f.price_min is not None or f.price_max is not None:
        qs = qs.annotate(cheapest=Min("variants__price", filter=Q(variants__is_active=True)))
        if f.price_min is not None:
            qs = qs.filter(cheapest__gte=f.price_min)
        if f.price_max is not None:
            qs = qs.filter(cheapest__lte=f.price_max)
    if f.in_season:
        qs = qs.extra(where=["(catalog_product.season_mask & %s) <> 0"], params=[1 << timezone.localdate().month])
    qs = qs.order_by("-created_at", "-id")
    count = qs.count()
    list(qs[:page_size])
    return count


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    args = ARGS
    rng = random.Random(args.seed)
    info = machine()
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    t_migrate = time.perf_counter() - t0
    if REUSE:
        gen_ms, (index_ms, indexed) = 0.0, timed(lambda: Product.objects.filter(search_entry__isnull=False).count())
    else:
        gen_ms, _ = timed(generate, args.products, rng)
        index_ms, indexed = timed(rebuild_index, queue=False)
    settings.TAYBAC_SEARCH_BACKEND = "tantivy"
    tantivy_ms, _ = timed(tantivy_index.write, None)
    db_mb = sum(f.stat().st_size for f in TMP.glob("bench.sqlite3*")) / 1e6
    idx_mb = sum(f.stat().st_size for f in tantivy_index.index_dir().glob("*")) / 1e6
    print(
        f"migrate {t_migrate:.1f} s, generate {gen_ms / 1000:.1f} s, rebuild_index {index_ms / 1000:.1f} s "
        f"({indexed} products), tantivy index {tantivy_ms / 1000:.1f} s ({idx_mb:.0f} MB), database {db_mb:.0f} MB",
        flush=True,
    )

    engines = {"sqlite": "SQLite FTS5", "tantivy": "tantivy"}

    def search(engine: str, query: str, filters: SearchFilters | None, *, log: bool = False):
        settings.TAYBAC_SEARCH_BACKEND = engine
        return search_products(query=query, filters=filters, log=log)

    def engine_only(engine: str, query: str, filters: SearchFilters | None) -> int:
        """The engine's part of a search: plan, then one page of ids (20) and the total; no cards, no log."""
        settings.TAYBAC_SEARCH_BACKEND = engine
        spec, words = _filter_spec(filters or SearchFilters()), query_words(query)
        backend = get_backend()
        if not words:
            return backend.listing(spec, limit=20, offset=0)[1]
        plan = plan_query(words, synonyms=synonym_table())
        return 0 if plan.impossible else backend.ranked(plan, spec, limit=20, offset=0)[1]

    def reference(query: str, filters: SearchFilters | None) -> int:
        """The issue's reference: tantivy alone on the same folded documents and plan (AND, prefix, typo
        alternatives), top 20 by BM25 and the count; no tiers, no filters, no SQL after the plan."""
        words = query_words(query)
        plan = plan_query(words, synonyms=synonym_table())
        if not words or plan.impossible:
            return 0
        searcher = tantivy_index.get_index().searcher()
        result = searcher.search(tantivy_match(plan, ("all",)), limit=20, count=True)
        [searcher.doc(address)["pid"][0] for _score, address in result.hits]
        return int(result.count or 0)

    for _label, query, filters in QUERIES:  # warm-up: page cache, statement plans, index readers
        for engine in engines:
            search(engine, query, filters)
        like_scan(query, filters)
    samples: dict[str, list[float]] = {e: [] for e in engines}
    parts: dict[str, list[float]] = {"sqlite": [], "tantivy": [], "reference": []}
    like_ms: list[float] = []
    rows = []
    for label, query, filters in QUERIES:
        per: dict[str, list[float]] = {e: [] for e in engines}
        hits: dict[str, int] = {}
        l_samples = []
        for _ in range(args.repeat):
            for engine in engines:
                ms, page = timed(search, engine, query, filters)
                per[engine].append(ms)
                hits[engine] = page.count
            ms, like_count = timed(like_scan, query, filters)
            l_samples.append(ms)
            for engine in engines:
                parts[engine].append(timed(engine_only, engine, query, filters)[0])
            if filters is None:
                parts["reference"].append(timed(reference, query, None)[0])
        if len(set(hits.values())) != 1:
            raise SystemExit(f"hit counts differ for {query!r} {filters}: {hits}")
        for engine in engines:
            samples[engine] += per[engine]
        like_ms += l_samples
        medians = {e: statistics.median(per[e]) for e in engines}
        rows.append((label, query, filters, hits["sqlite"], like_count, medians, statistics.median(l_samples)))
    logged = [timed(search, "tantivy", q, f, log=True)[0] for _, q, f in QUERIES]
    total = time.perf_counter() - t0

    def describe(query: str, filters: SearchFilters | None) -> str:
        shown = f"`{query}`" if query else "(no words)"
        return shown + (f" + {filters.active()}" if filters else "")

    def pct(values: list[float], q: float) -> str:
        return f"{percentile(values, q):.1f} ms"

    f50, f95 = percentile(samples["sqlite"], 0.50), percentile(samples["sqlite"], 0.95)
    t50, t95 = percentile(samples["tantivy"], 0.50), percentile(samples["tantivy"], 0.95)
    l50, l95 = percentile(like_ms, 0.50), percentile(like_ms, 0.95)
    lines = [
        f"Machine: {info['cpus']} CPU ({info['cpu']}), Python {info['python']}, SQLite {info['sqlite']}, "
        f"tantivy-py {getattr(tantivy_index.tantivy, '__version__', '?')}; run on {info['date']} with "
        f"`.venv/bin/python bench/search_bench.py --products {args.products} --repeat {args.repeat} "
        f"--seed {args.seed}` (total {total:.0f} s).",
        "",
        f"Data: {indexed:,} active products in {max(10, args.products // 250)} shops".replace(",", ".")
        + f", ~1.3 variants each, 10 % with OCOP; database {db_mb:.0f} MB, tantivy index {idx_mb:.0f} MB. "
        + (
            f"Generation (bulk insert) {gen_ms / 1000:.1f} s; `rebuild_index()` {index_ms / 1000:.1f} s; "
            f"tantivy full write {tantivy_ms / 1000:.1f} s."
            if not REUSE
            else f"Database reused from an earlier run (--keep); tantivy full write {tantivy_ms / 1000:.1f} s."
        ),
        "",
        f"| `search_products`, {len(QUERIES)} queries × {args.repeat} runs, query log off | p50 | p95 |",
        "|---|---:|---:|",
        f"| SQLite FTS5 engine | {f50:.1f} ms | {f95:.1f} ms |",
        f"| tantivy engine (default on SQLite) | {t50:.1f} ms | {t95:.1f} ms |",
        f"| ratio FTS5 / tantivy | {f50 / t50:.1f}× | {f95 / t95:.1f}× |",
        f"| LIKE scan (`icontains` name/description, the floor) | {l50:.1f} ms | {l95:.1f} ms |",
        f"| engine alone (plan, 20 ids, count): SQLite FTS5 | {pct(parts['sqlite'], 0.5)} | "
        f"{pct(parts['sqlite'], 0.95)} |",
        f"| engine alone: tantivy backend (tiers, OCOP, filters) | {pct(parts['tantivy'], 0.5)} | "
        f"{pct(parts['tantivy'], 0.95)} |",
        f"| reference: bare tantivy match, BM25 top 20 + count ({len(parts['reference']) // args.repeat} "
        f"queries without filters) | {pct(parts['reference'], 0.5)} | {pct(parts['reference'], 0.95)} |",
        f"| ratio tantivy backend / reference (engine alone) | "
        f"{percentile(parts['tantivy'], 0.5) / percentile(parts['reference'], 0.5):.1f}× | "
        f"{percentile(parts['tantivy'], 0.95) / percentile(parts['reference'], 0.95):.1f}× |",
        f"| ratio FTS5 / reference (engine alone) | "
        f"{percentile(parts['sqlite'], 0.5) / percentile(parts['reference'], 0.5):.1f}× | "
        f"{percentile(parts['sqlite'], 0.95) / percentile(parts['reference'], 0.95):.1f}× |",
        f"| tantivy with the query log on (1 run each) | {percentile(logged, 0.5):.1f} ms | "
        f"{percentile(logged, 0.95):.1f} ms |",
        "",
        "| kind | query | hits (both engines) | hits (LIKE) | p50 FTS5 | p50 tantivy | p50 LIKE |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, query, filters, hits, like_hits, med, l_med in rows:
        lines.append(
            f"| {label} | {describe(query, filters)} | {hits} | {like_hits} | {med['sqlite']:.1f} ms | "
            f"{med['tantivy']:.1f} ms | {l_med:.1f} ms |"
        )
    print("\n" + "\n".join(lines))
    if not args.no_relevance:
        relevance()


def relevance() -> None:
    """The labelled query set's precision@5 and zero-result rate, printed beside the latencies: run by
    bench/search_relevance.py in its own process (its own temporary database with the demo catalogue)."""
    print("\nRelevance on the labelled query set (bench/search_relevance.py):", flush=True)
    script = Path(__file__).resolve().parent / "search_relevance.py"
    env = {k: v for k, v in os.environ.items() if k != "TAYBAC_DATA_DIR"}
    done = subprocess.run([sys.executable, str(script)], env=env, check=False)
    if done.returncode:
        print(f"(relevance run exited with {done.returncode}: a query fell below its bar)")


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if not ARGS.keep:
            shutil.rmtree(TMP, ignore_errors=True)
