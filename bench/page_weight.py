"""First-visit transfer size of the five storefront pages against the 50 KB budget.

Runnable from a fresh checkout: `.venv/bin/python bench/page_weight.py`. It prepares a throwaway data
directory, migrates, loads the demo data, then fetches each page the way a phone's first visit does
(Accept-Encoding: gzip, no cache) and adds up the HTML and every stylesheet and script it links, as
served. Photos are excluded from the budget (they are lazy-loaded WebP); their count is shown.
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
import warnings
from pathlib import Path

BUDGET = 50 * 1024
ROOT = Path(__file__).resolve().parents[1]


def _setup() -> None:
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic in a throwaway dir
    os.environ["TAYBAC_DATA_DIR"] = tempfile.mkdtemp(prefix="taybac-pageweight-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taybac.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from taybac.demo.loader import load_demo_data

    load_demo_data()


def _gzip_size(response) -> int:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(body if response.get("Content-Encoding") == "gzip" else gzip.compress(body))


def measure(client, url: str) -> dict[str, int]:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    raw = response.content
    html = (gzip.decompress(raw) if response.get("Content-Encoding") == "gzip" else raw).decode()
    sizes = {"html": _gzip_size(response), "css": 0, "js": 0}
    for asset in sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+\.(css|js))"', html))):
        sizes[asset[1]] += _gzip_size(client.get(asset[0], HTTP_ACCEPT_ENCODING="gzip"))
    sizes["inline_js"] = sum(len(s) for s in re.findall(r"<script>(.*?)</script>", html, re.S))
    sizes["photos"] = len(re.findall(r"<img ", html))
    sizes["total"] = sizes["html"] + sizes["css"] + sizes["js"]
    return sizes


def main() -> None:
    _setup()
    from django.test import Client

    from taybac.catalog.models import Product, Shop

    product = Product.objects.filter(is_active=True, ocop__isnull=False, photos__isnull=False).first()
    shop = Shop.objects.filter(is_active=True).order_by("-id").first()
    pages = {
        "home": "/",
        "search": "/tim-kiem/?q=mat+ong",
        "product": product.get_absolute_url(),
        "shop": f"/gian-hang/{shop.slug}/",
        "province": "/tinh/son-la/",
    }
    client = Client()
    print(f"{'page':<9} {'url':<42} {'html':>7} {'css':>6} {'js':>5} {'total':>7} {'budget':>7} {'imgs':>5}")
    worst = 0.0
    for name, url in pages.items():
        s = measure(client, url)
        ratio = s["total"] / BUDGET
        worst = max(worst, ratio)
        print(
            f"{name:<9} {url[:42]:<42} {s['html']:>7} {s['css']:>6} {s['js']:>5} {s['total']:>7} "
            f"{ratio:>6.0%} {s['photos']:>5}"
        )
    print(f"bytes transferred (gzip) for a first visit, photos excluded; budget {BUDGET} bytes; worst page {worst:.0%}")
    if worst > 1:
        raise SystemExit("over budget")


if __name__ == "__main__":
    main()
