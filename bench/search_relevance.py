"""Search relevance on the demo catalogue: precision@5 and zero-result rate over a labelled query set.

    .venv/bin/python bench/search_relevance.py [--queries tests/search/relevance_queries.json] [--show]
        [--keep DIR] [--dump]

The demo catalogue (taybac.demo, deterministic) is loaded into a temporary SQLite database, indexed by the real
code (FTS5 and the tantivy index), and every query of the labelled set runs through `search_products` on both
engines. A query's label says which products are relevant: those meeting every criterion it gives, any value
within one: `category` (slugs), `name_has` (phrases the folded product name contains), `province` (the shop's
province code, 2025 map), `names` (exact product names). Figures:

- precision@5: relevant products among the first five, divided by min(5, number of relevant products in the
  catalogue), so a query with two relevant products scores 1.0 when both come first;
- zero-result rate: share of queries with no result at all (every labelled query has relevant products);
- a query fails when its precision@5 is below its `min_p5` (default 0.6) or it finds nothing.

`--show` prints each query's first five; `--dump` lists the catalogue (name, category) to help labelling.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
K = 5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", default=str(ROOT / "tests/search/relevance_queries.json"))
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the demo database in DIR")
    parser.add_argument("--show", action="store_true", help="print each query's first five results")
    parser.add_argument("--dump", action="store_true", help="print the catalogue and stop")
    return parser.parse_args(argv)


ARGS = parse_args()
TMP = Path(ARGS.keep).resolve() if ARGS.keep else Path(tempfile.mkdtemp(prefix="taybac-relevance-"))
TMP.mkdir(parents=True, exist_ok=True)
os.environ["TAYBAC_DATA_DIR"] = str(TMP)
os.environ["TAYBAC_DATABASE_URL"] = f"sqlite:///{TMP / 'demo.sqlite3'}"
os.environ.setdefault("TAYBAC_LOG_LEVEL", "WARNING")
os.environ["DJANGO_SETTINGS_MODULE"] = "taybac.settings"
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from taybac.catalog.models import Product  # noqa: E402
from taybac.core.jobs import HUEY  # noqa: E402
from taybac.core.text import fold  # noqa: E402
from taybac.search.backends import tantivy_index  # noqa: E402
from taybac.search.indexing import rebuild_index  # noqa: E402
from taybac.search.services import search_products  # noqa: E402

ENGINES = {"sqlite": "SQLite FTS5", "tantivy": "tantivy"}


def load() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    if not Product.objects.exists():
        from taybac.demo.loader import load_demo_data

        HUEY.immediate = True  # jobs (messages, index updates) run inline, as in tests
        load_demo_data()
    rebuild_index(queue=False)
    tantivy_index.write(None)


def relevant_ids(label: dict) -> set[int]:
    """Products meeting every criterion the label gives (any value within one criterion)."""
    phrases = [" " + " ".join(fold(p).split()) + " " for p in label.get("name_has", [])]
    found: set[int] = set()
    for pk, name, category, province in Product.objects.filter(is_active=True, shop__is_active=True).values_list(
        "pk", "name", "category__slug", "shop__province_id"
    ):
        folded = " " + " ".join(fold(name).split()) + " "
        if (
            ("category" not in label or category in label["category"])
            and (not phrases or any(p in folded for p in phrases))
            and ("province" not in label or province in label["province"])
            and ("names" not in label or name in label["names"])
        ):
            found.add(pk)
    return found


def evaluate(queries: list[dict], engine: str) -> dict:
    settings.TAYBAC_SEARCH_BACKEND = engine
    names = dict(Product.objects.values_list("pk", "name"))
    rows, zero, failed, total_p = [], 0, [], 0.0
    for item in queries:
        relevant = relevant_ids(item["relevant"])
        if not relevant:
            raise SystemExit(f"label of {item['q']!r} matches no product: fix the query set")
        page = search_products(query=item["q"], page_size=K, log=False)
        top = [p.pk for p in page.items]
        p5 = sum(pk in relevant for pk in top) / min(K, len(relevant))
        total_p += p5
        zero += page.count == 0
        if page.count == 0 or p5 < item.get("min_p5", 0.6):
            failed.append(item["q"])
        rows.append((item, p5, page.count, [names[pk] for pk in top]))
    return {
        "p5": total_p / len(queries),
        "zero": zero / len(queries),
        "failed": failed,
        "rows": rows,
    }


def main() -> None:
    load()
    if ARGS.dump:
        for name, category in Product.objects.order_by("category__slug", "name").values_list("name", "category__slug"):
            print(f"{category:20} {name}")
        return
    queries = json.loads(Path(ARGS.queries).read_text(encoding="utf-8"))["queries"]
    kinds: dict[str, int] = {}
    for item in queries:
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
    print(f"{len(queries)} labelled queries: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(f"{Product.objects.filter(is_active=True).count()} demo products\n")
    print("| engine | precision@5 | zero-result rate | queries below their bar |")
    print("|---|---:|---:|---:|")
    results = {engine: evaluate(queries, engine) for engine in ENGINES}
    for engine, r in results.items():
        print(f"| {ENGINES[engine]} | {r['p5']:.3f} | {r['zero']:.1%} | {len(r['failed'])} |")
    for kind in sorted(kinds):
        line = [f"{kind}"]
        for engine, r in results.items():
            ps = [p for item, p, _n, _top in r["rows"] if item["kind"] == kind]
            line.append(f"{ENGINES[engine]} {sum(ps) / len(ps):.3f}")
        print("  " + ", ".join(line))
    for engine, r in results.items():
        if r["failed"]:
            print(f"\n{ENGINES[engine]}: below the bar: " + "; ".join(r["failed"]))
        if ARGS.show:
            for item, p5, count, top in r["rows"]:
                print(f"[{ENGINES[engine]}] {item['q']!r} p@5={p5:.2f} ({count}): " + " | ".join(top))
    sys.exit(1 if any(r["failed"] for r in results.values()) else 0)


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if not ARGS.keep:
            shutil.rmtree(TMP, ignore_errors=True)
