"""Indicator dashboard on a realistic volume: page time and query count (docs/insights.md, docs/performance.md).

    .venv/bin/python bench/dashboard_bench.py [--orders 200000] [--producers 2000] [--repeat 5] [--seed 11]
                                              [--keep DIR]

Generates, with bulk_create in a temporary SQLite database (TAYBAC_DATA_DIR; `--keep DIR` keeps and reuses it):
`--producers` producers in the nine region provinces (households 80 %, cooperatives 15 %, enterprises 5 %; 90 %
with a shop), 10 products per shop (12 % with a valid OCOP certificate), 60 pickup points, and `--orders` orders
of one shop order each over the last 24 months (growing 4 % a month), paid by VietQR (55 %) or cash on delivery,
delivered to a home address (75 %, a new address each) or a pickup point in any of the 34 provinces (Hà Nội 25 %,
Hồ Chí Minh City 15 %, the region 30 %); 7 % cancelled, 2 % returned, the rest delivered (with their
"shop_order.delivered" audit entry 1–9 days after placing) unless placed in the last week. Order lines, payments
and shipments are not generated: no indicator reads them.

Then times, `--repeat` times each: every indicator query alone; the province dashboard's content for the whole hub
(operator) and for Lào Cai (officer); the public summary uncached; and the full pages through Django's test
client (rendering included), uncached and cached, with their SQL query counts and their size.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Indicator dashboard benchmark on SQLite.")
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--producers", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", metavar="DIR", help="keep the database in DIR (reused if it is already there)")
    return parser.parse_args(argv)


ARGS = parse_args()
TMP = Path(ARGS.keep).resolve() if ARGS.keep else Path(tempfile.mkdtemp(prefix="taybac-dashboard-bench-"))
TMP.mkdir(parents=True, exist_ok=True)
REUSE = (TMP / "bench.sqlite3").exists()
# Settings read the environment at import: set it before django.setup().
os.environ["TAYBAC_DATA_DIR"] = str(TMP)
os.environ["TAYBAC_DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ.setdefault("TAYBAC_LOG_LEVEL", "WARNING")
os.environ["DJANGO_SETTINGS_MODULE"] = "taybac.settings"
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from taybac.accounts.models import Producer, Role, User  # noqa: E402
from taybac.catalog.models import Category, OcopCertificate, Product, Shop  # noqa: E402
from taybac.core.models import AuditEntry  # noqa: E402
from taybac.insights import dashboard, indicators  # noqa: E402
from taybac.orders.models import Order, ShopOrder  # noqa: E402
from taybac.regions.data import REGION_PROVINCES  # noqa: E402
from taybac.regions.models import Address, Commune, PickupPoint  # noqa: E402

REGION = sorted(REGION_PROVINCES)
LAO_CAI, HA_NOI, HO_CHI_MINH = 15, 1, 79
BATCH = 5_000
DAY = datetime.timedelta(days=1)


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next((line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name")), "")
    return (
        f"{os.cpu_count()} CPUs ({model or platform.processor()}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {datetime.date.today().isoformat()}"
    )


@contextlib.contextmanager
def explicit_created_at(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the past `created_at` we give (auto_now_add would overwrite it with now)."""
    fields = [m._meta.get_field("created_at") for m in model_classes]
    saved = [f.auto_now_add for f in fields]  # type: ignore[union-attr]
    for f in fields:
        f.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for f, value in zip(fields, saved, strict=True):
            f.auto_now_add = value  # type: ignore[union-attr]


def _catalogue(rng: random.Random, communes: dict[int, list[int]]) -> list[Shop]:
    users = User.objects.bulk_create(
        [User(username=f"+8497{i:07d}", phone=f"+8497{i:07d}", role=Role.PRODUCER) for i in range(ARGS.producers)]
    )
    kinds = [Producer.Kind.HOUSEHOLD] * 16 + [Producer.Kind.COOPERATIVE] * 3 + [Producer.Kind.ENTERPRISE]
    producers = []
    for i, user in enumerate(users):
        province = REGION[i % len(REGION)]
        producers.append(Producer(owner=user, kind=rng.choice(kinds), name=f"Nhà sản xuất {i}",
                                  province_id=province, commune_id=rng.choice(communes[province])))  # fmt: skip
    Producer.objects.bulk_create(producers, batch_size=1000)
    shops = Shop.objects.bulk_create(
        [Shop(producer=p, name=p.name, slug=f"gian-hang-{p.pk}", province_id=p.province_id, commune_id=p.commune_id)
         for p in producers if rng.random() < 0.9],
        batch_size=1000,
    )  # fmt: skip
    categories = list(Category.objects.values_list("pk", flat=True))
    products = Product.objects.bulk_create(
        [Product(shop=s, category_id=rng.choice(categories), name=f"Sản phẩm {s.pk}-{k}", slug=f"san-pham-{s.pk}-{k}")
         for s in shops for k in range(10)],
        batch_size=1000,
    )  # fmt: skip
    today = datetime.date.today()
    OcopCertificate.objects.bulk_create(
        [OcopCertificate(product=p, stars=rng.choice((3, 3, 4, 4, 5)), issuer="UBND tỉnh", number=f"OCOP-{p.pk}",
                         issued_on=today - 400 * DAY, expires_on=today + 700 * DAY)
         for p in products if rng.random() < 0.12],
        batch_size=1000,
    )  # fmt: skip
    return shops


def _destinations(rng: random.Random) -> tuple[list[int], list[float], dict[int, list[int]], list[PickupPoint]]:
    all_communes: dict[int, list[int]] = {}
    for code, province in Commune.objects.values_list("code", "province_id"):
        all_communes.setdefault(province, []).append(code)
    provinces = sorted(all_communes)
    others = [p for p in provinces if p not in REGION and p not in (HA_NOI, HO_CHI_MINH)]
    weights = {HA_NOI: 25.0, HO_CHI_MINH: 15.0, **{p: 30.0 / len(REGION) for p in REGION},
               **{p: 30.0 / len(others) for p in others}}  # fmt: skip
    addresses = Address.objects.bulk_create(
        [Address(province_id=p, commune_id=rng.choice(all_communes[p]), street="Bưu điện xã")
         for p in rng.choices(provinces, weights=[weights[p] for p in provinces], k=60)]
    )  # fmt: skip
    points = PickupPoint.objects.bulk_create(
        [PickupPoint(code=f"BD-BENCH-{i}", name=f"Bưu điện {i}", address=a) for i, a in enumerate(addresses)]
    )
    return provinces, [weights[p] for p in provinces], all_communes, points


def _orders(rng: random.Random, shops: list[Shop]) -> None:
    provinces, weights, communes, points = _destinations(rng)
    now = timezone.now()
    # Month m (0 = 24 months ago) weighs 1.04^m: the hub grows.
    days = list(range(730))
    day_weights = [1.04 ** ((730 - d) / 30.4) for d in days]
    ages = rng.choices(days, weights=day_weights, k=ARGS.orders)
    n = 0
    for start in range(0, ARGS.orders, BATCH):
        orders, shop_orders, audits = [], [], []
        addresses: list[Address | None] = []
        for age in ages[start : start + BATCH]:
            n += 1
            placed = now - datetime.timedelta(days=age, minutes=rng.randint(0, 1439))
            method = "vietqr" if rng.random() < 0.55 else "cod"
            if rng.random() < 0.75:
                province = rng.choices(provinces, weights=weights)[0]
                addresses.append(Address(province_id=province, commune_id=rng.choice(communes[province]), street="12"))
                point = None
            else:
                addresses.append(None)
                point = rng.choice(points)
            orders.append(Order(code=f"B{n:09d}", contact_name="Khách", contact_phone="+84919000000",
                                payment_method=method, pickup_point=point, created_at=placed))  # fmt: skip
            roll = rng.random()
            status = "cancelled" if roll < 0.07 else "returned" if roll < 0.09 else "delivered"
            if status == "delivered" and age < 7:
                status = "shipped"
            items = rng.randrange(80_000, 1_500_000, 1000)
            fee = rng.choice((18_000, 25_000, 35_000)) + (rng.randrange(0, 20_000, 1000) if method == "cod" else 0)
            shop_orders.append(ShopOrder(shop=rng.choice(shops), code=f"S{n:09d}", status=status, items_total=items,
                                         shipping_fee=fee, total=items + fee, created_at=placed))  # fmt: skip
        made = Address.objects.bulk_create([a for a in addresses if a is not None])
        it = iter(made)
        for order, address in zip(orders, addresses, strict=True):
            if address is not None:
                order.delivery_address = next(it)
        Order.objects.bulk_create(orders)
        for order, so in zip(orders, shop_orders, strict=True):
            so.order = order
        ShopOrder.objects.bulk_create(shop_orders)
        for so in shop_orders:
            if so.status in ("delivered", "returned"):
                took = datetime.timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 23))
                audits.append(AuditEntry(action="shop_order.delivered", target_type="orders.shoporder",
                                         target_id=str(so.pk), created_at=so.created_at + took))  # fmt: skip
        AuditEntry.objects.bulk_create(audits)


def generate() -> None:
    rng = random.Random(ARGS.seed)
    communes: dict[int, list[int]] = {}
    for code, province in Commune.objects.filter(province_id__in=REGION).values_list("code", "province_id"):
        communes.setdefault(province, []).append(code)
    with transaction.atomic(), explicit_created_at(Order, ShopOrder, AuditEntry):
        shops = _catalogue(rng, communes)
        _orders(rng, shops)


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, int]:
    """Median and worst wall time in ms over `repeat` runs, and the SQL queries of one run."""
    samples = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
        queries = len(ctx)
    return statistics.median(samples), max(samples), queries


def uncached(client: Client, url: str) -> object:
    cache.clear()
    return client.get(url)


def main() -> None:
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if not REUSE:
        generate()
    print(f"# {machine()}")
    print(f"data: {TMP} ({'reused' if REUSE else 'generated'}) in {time.perf_counter() - t0:.0f} s; "
          f"{ShopOrder.objects.count():,} shop orders, {Producer.objects.count():,} producers, "
          f"{Product.objects.count():,} products, {AuditEntry.objects.count():,} audit entries; "
          f"database {(TMP / 'bench.sqlite3').stat().st_size / 1e6:.0f} MB")  # fmt: skip
    today = timezone.localdate()
    since = indicators.window_start(today=today, months=12)
    operator, _ = User.objects.get_or_create(username="bench-operator", defaults={"role": Role.OPERATOR})
    officer, _ = User.objects.get_or_create(
        username="bench-officer", defaults={"role": Role.OFFICER, "officer_province_id": LAO_CAI}
    )
    op_client, officer_client, public_client = Client(), Client(), Client()
    op_client.force_login(operator)
    officer_client.force_login(officer)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("producers_by_kind (hub)", lambda: indicators.producers_by_kind(province=None, since=since)),
        ("products_by_category (hub)", lambda: indicators.products_by_category(province=None, today=today)),
        ("monthly_orders, 24 months (hub)", lambda: indicators.monthly_orders(province=None, today=today, months=24)),
        ("monthly_orders, 24 months (Lào Cai)",
         lambda: indicators.monthly_orders(province=LAO_CAI, today=today, months=24)),
        ("buyer_provinces (hub)", lambda: indicators.buyer_provinces(province=None, since=since)),
        ("delivery_times (hub)", lambda: indicators.delivery_times(province=None, since=since)),
        ("region_comparison", lambda: indicators.region_comparison(since=since, today=today)),
        ("buyer_communes (hub)", lambda: indicators.buyer_communes(province=None, since=since)),
        ("content: operator, whole hub",
         lambda: dashboard.province_dashboard(province=None, place="Toàn sàn", today=today)),
        ("content: officer, Lào Cai",
         lambda: dashboard.province_dashboard(province=LAO_CAI, place="Lào Cai", today=today)),
        ("content: public summary, uncached", lambda: dashboard._public(today)),
        ("page /so-lieu/tinh/ operator (hub), uncached", lambda: uncached(op_client, "/so-lieu/tinh/")),
        ("page /so-lieu/tinh/ officer (Lào Cai), uncached",
         lambda: uncached(officer_client, "/so-lieu/tinh/")),
        ("page /so-lieu/ public, uncached", lambda: uncached(public_client, "/so-lieu/")),
        ("page /so-lieu/tinh/ operator (hub), cached", lambda: op_client.get("/so-lieu/tinh/")),
        ("page /so-lieu/ public, cached", lambda: public_client.get("/so-lieu/")),
    ]  # fmt: skip
    print(f"\n| what ({ARGS.repeat} runs) | median ms | worst ms | SQL queries |\n|---|---:|---:|---:|")
    for label, fn in cases:
        median, worst, queries = timed(fn, ARGS.repeat)
        print(f"| {label} | {median:,.0f} | {worst:,.0f} | {queries} |")
    for label, client in (("operator (hub)", op_client), ("officer (Lào Cai)", officer_client)):
        plain = len(client.get("/so-lieu/tinh/").content)
        gzipped = len(client.get("/so-lieu/tinh/", HTTP_ACCEPT_ENCODING="gzip").content)
        print(f"page {label}: {plain / 1000:.0f} kB of HTML, {gzipped / 1000:.0f} kB gzipped")
    public = len(public_client.get("/so-lieu/", HTTP_ACCEPT_ENCODING="gzip").content)
    print(f"public page: {len(public_client.get('/so-lieu/').content) / 1000:.0f} kB, {public / 1000:.0f} kB gzipped")


if __name__ == "__main__":
    main()
