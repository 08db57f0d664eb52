"""Checkout throughput on PostgreSQL: 20 concurrent clients placing orders, against pgbench in the same run.

Runnable from a fresh checkout (`.venv/bin/python bench/checkout_bench.py`) on a machine with Debian's
postgresql package: it starts a throwaway cluster (as the `postgres` user when run as root), or uses
TAYBAC_DATABASE_URL if that names a PostgreSQL database. It reports orders/s, p50/p95 checkout latency,
the oversell count (units ordered beyond stock — must be 0), and pgbench's TPS (TPC-B-like, 20 clients)
on the same server, with the ratio.
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL server from Debian's binaries."""

    def __init__(self) -> None:
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = tempfile.mkdtemp(prefix="taybac-bench-pg-")
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.dir, self.user)

    def _run(self, *args: str) -> str:
        cmd = (["runuser", "-u", self.user, "--"] if self.user else []) + list(args)
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

    def start(self) -> str:
        self._run(f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._run(
            f"{self.bin}/pg_ctl",
            "-D",
            f"{self.dir}/data",
            "-l",
            f"{self.dir}/log",
            "-w",
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
            "-c max_connections=60 -c fsync=off -c synchronous_commit=off",
            "start",
        )
        self._run(f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "taybac")
        return f"postgres://postgres@127.0.0.1:{self.port}/taybac"

    def stop(self) -> None:
        subprocess.run(
            (["runuser", "-u", self.user, "--"] if self.user else [])
            + [f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def pgbench_tps(url: str, clients: int, seconds: int) -> float:
    m = re.match(r"postgres://(\w+)@([\d.]+):(\d+)/(\w+)", url)
    user, host, port, db = m.groups()
    pgbench = shutil.which("pgbench") or sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))[-1]
    base = [pgbench, "-h", host, "-p", port, "-U", user]
    subprocess.run([*base, "-i", "-q", "-s", "5", db], check=True, capture_output=True)
    out = subprocess.run(
        [*base, "-c", str(clients), "-j", "2", "-T", str(seconds), db], check=True, capture_output=True, text=True
    ).stdout
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def run(url: str, clients: int, seconds: int) -> None:
    os.environ["TAYBAC_DATABASE_URL"] = url
    os.environ["TAYBAC_DATA_DIR"] = tempfile.mkdtemp(prefix="taybac-bench-data-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taybac.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.getLogger("taybac").setLevel(logging.ERROR)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from taybac.catalog.models import Variant
    from taybac.orders.checkout import Contact, LineRequest, place_order
    from taybac.orders.stock import OutOfStock
    from taybac.regions.services import create_address
    from tests.factories import make_product, make_shop

    shops = [make_shop(name=f"Hộ bench {i}", province_code=p) for i, p in enumerate((4, 8, 14, 15, 25))]
    variants = [
        make_product(shop=shops[i % 5], name=f"Sản phẩm {i}", quantity=50 if i < 5 else 100_000).variants.get().pk
        for i in range(40)
    ]
    hot, cold = variants[:5], variants[5:]
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    latencies: list[float] = []
    counts = {"orders": 0, "out": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        while time.perf_counter() < deadline:
            picks = {
                rnd.choice(hot if rnd.random() < 0.3 else cold): rnd.randint(1, 2) for _ in range(rnd.randint(1, 3))
            }
            started = time.perf_counter()
            try:
                place_order(
                    buyer=None,
                    lines=[LineRequest(v, q) for v, q in picks.items()],
                    contact=Contact("Bench", "0912345678"),
                    payment_method=rnd.choice(["vietqr", "cod"]),
                    delivery_address=address,
                )
                outcome = "orders"
            except OutOfStock:
                outcome = "out"
            with lock:
                latencies.append(time.perf_counter() - started)
                counts[outcome] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    from django.db.models import F, Sum

    from taybac.orders.models import OrderLine

    oversold = 0
    for v in Variant.objects.all():
        ordered = OrderLine.objects.filter(variant=v).aggregate(n=Sum("quantity"))["n"] or 0
        oversold += max(0, ordered - v.quantity)
    assert Variant.objects.filter(allocated__gt=F("quantity")).count() == 0
    connection.close()
    tps = pgbench_tps(url, clients, seconds)
    orders_per_s = counts["orders"] / elapsed
    latencies.sort()
    print(f"clients {clients}, {seconds}s: {counts['orders']} orders, {counts['out']} refused out of stock")
    print(
        f"checkout: {orders_per_s:.1f} orders/s, p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms, oversold units {oversold}"
    )
    print(f"pgbench (TPC-B-like, {clients} clients, scale 5): {tps:.1f} TPS")
    print(f"ratio orders/s ÷ pgbench TPS: {orders_per_s / tps:.3f}")
    if oversold:
        raise SystemExit("OVERSOLD")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("TAYBAC_DATABASE_URL", "")
    if url.startswith("postgres"):
        run(url, args.clients, args.seconds)
        return
    cluster = Cluster()
    try:
        run(cluster.start(), args.clients, args.seconds)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
