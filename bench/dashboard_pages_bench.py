"""Dashboard pages on the demo's two-year history: cold and warm time, SQL queries, and the created_at index.

    .venv/bin/python bench/dashboard_pages_bench.py [--weeks 106] [--repeat 5] [--keep DIR]

Builds the demo (`load_demo_data`, as `taybac demo` does, with `TAYBAC_DEMO_HISTORY_WEEKS` = `--weeks` of
history) in a temporary SQLite data directory (`--keep DIR` keeps it and reuses it when it is already there),
then requests `/so-lieu/` and `/so-lieu/tinh/` through Django's test client as the demo operator (whole hub) and
a demo officer (one province): cold (the cache cleared before each request, so the indicators are computed) and
warm (served from the cache), `--repeat` times each, with the SQL queries of one request. Then the same cold
requests with the index `shoporder_created` (orders_shoporder.created_at, migration orders/0010) dropped, as the
in-run baseline of what the index buys, and the index put back; and how many of a cold request's queries on
shop orders SQLite plans with the index (EXPLAIN QUERY PLAN). One untimed request per page and user comes first
(template compilation and imports).
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Dashboard pages on the demo history.")
    parser.add_argument("--weeks", type=int, default=106, help="weeks of demo history (the demo's default: 106)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="keep the data directory in DIR (reused if already built)")
    return parser.parse_args()


ARGS = parse_args()
TMP = Path(ARGS.keep).resolve() if ARGS.keep else Path(tempfile.mkdtemp(prefix="taybac-pages-bench-"))
TMP.mkdir(parents=True, exist_ok=True)
DATABASE = TMP / "bench.sqlite3"
REUSE = DATABASE.exists()
# Settings read the environment at import: set it before django.setup().
os.environ["TAYBAC_DATA_DIR"] = str(TMP)
os.environ["TAYBAC_DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("TAYBAC_LOG_LEVEL", "WARNING")
os.environ["DJANGO_SETTINGS_MODULE"] = "taybac.settings"
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from taybac.accounts.models import Role, User  # noqa: E402
from taybac.core.jobs import prepare_storage  # noqa: E402
from taybac.demo.loader import OPERATOR_USERNAME, load_demo_data  # noqa: E402
from taybac.orders.models import ShopOrder  # noqa: E402

PAGES = ("/so-lieu/", "/so-lieu/tinh/")
INDEX = next(index for index in ShopOrder._meta.indexes if index.name == "shoporder_created")


def timed(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Median wall time in ms over `repeat` runs and the SQL queries of the last one; fails on a non-200 page."""
    samples, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            status = fn()
            samples.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
        queries = len(ctx)
    return statistics.median(samples), queries


def measure(clients: dict[str, Client], *, warm: bool) -> dict[tuple[str, str], tuple[float, int]]:
    out = {}
    for who, client in clients.items():
        for page in PAGES:

            def request(client: Client = client, page: str = page) -> int:
                if not warm:
                    cache.clear()
                return client.get(page).status_code

            if warm:
                request()  # fill the cache
            out[(who, page)] = timed(request, ARGS.repeat)
    return out


def index_uses(client: Client, page: str) -> tuple[int, int]:
    """(queries whose SQLite plan uses shoporder_created, queries that read orders_shoporder) on a cold request."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get(page)
    using = reading = 0
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            if "orders_shoporder" not in query["sql"] or not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            reading += 1
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            using += any(INDEX.name in str(row) for row in cursor.fetchall())
    return using, reading


def main() -> None:
    started = time.perf_counter()
    settings.TAYBAC_DEMO_HISTORY_WEEKS = ARGS.weeks
    call_command("migrate", interactive=False, verbosity=0)
    prepare_storage()  # the job store's tables, as `taybac demo` creates them: the demo queues jobs
    if not REUSE:
        load_demo_data()
    built = time.perf_counter() - started
    print(
        f"# {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), load {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(
        f"demo in {TMP} ({'reused' if REUSE else 'built'} in {built:.0f} s): {ShopOrder.objects.count():,} shop "
        f"orders, {ARGS.weeks} weeks of history; database {DATABASE.stat().st_size / 1e6:.0f} MB"
    )
    officer = User.objects.filter(role=Role.OFFICER).select_related("officer_province").order_by("pk").first()
    assert officer is not None and officer.officer_province is not None
    clients = {"operator": Client(), f"officer ({officer.officer_province.name})": Client()}
    clients["operator"].force_login(User.objects.get(username=OPERATOR_USERNAME))
    clients[f"officer ({officer.officer_province.name})"].force_login(officer)
    for client in clients.values():  # the first requests compile templates and import views: not timed
        for page in PAGES:
            client.get(page)
    cold = measure(clients, warm=False)
    warm = measure(clients, warm=True)
    uses = {(who, page): index_uses(client, page) for who, client in clients.items() for page in PAGES}
    with connection.schema_editor() as editor:
        editor.remove_index(ShopOrder, INDEX)
    try:
        unindexed = measure(clients, warm=False)
    finally:
        with connection.schema_editor() as editor:
            editor.add_index(ShopOrder, INDEX)
    print(
        f"\n| page, who ({ARGS.repeat} runs, median) | cold ms | queries | warm ms | queries | cold / warm "
        "| cold without the index ms | without / with index | queries on shop orders using the index "
        "|\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for key, (cold_ms, cold_queries) in cold.items():
        warm_ms, warm_queries = warm[key]
        plain_ms, _ = unindexed[key]
        print(
            f"| {key[1]} {key[0]} | {cold_ms:,.0f} | {cold_queries} | {warm_ms:,.1f} | {warm_queries} "
            f"| {cold_ms / warm_ms:,.0f} | {plain_ms:,.0f} | {plain_ms / cold_ms:.2f} "
            f"| {uses[key][0]} of {uses[key][1]} |"
        )


if __name__ == "__main__":
    main()
