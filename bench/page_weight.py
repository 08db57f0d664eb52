"""First-visit transfer size of the five storefront pages against the 50 KB budget, as the server sends them.

Runnable from a fresh checkout: `.venv/bin/python bench/page_weight.py`. It prepares a throwaway data
directory, migrates, loads the demo data and collects the static files (as `taybac demo` and `taybac serve` do
when they start), serves the hub with waitress on a free local port, then fetches each page over HTTP the way a
phone's first visit does (Accept-Encoding: gzip, deflate, br; no cache) and adds up the bytes received for the
HTML and every stylesheet and script it links: status line, headers and body exactly as sent. Nothing is
compressed on the server's behalf: a file the server sends uncompressed counts uncompressed. Photos are excluded
from the budget (lazy-loaded WebP renditions); their count is shown.
"""

from __future__ import annotations

import http.client
import os
import re
import sys
import tempfile
import threading
from pathlib import Path

BUDGET = 50 * 1024
ROOT = Path(__file__).resolve().parents[1]
ACCEPT = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html,*/*", "User-Agent": "page-weight"}


def _setup() -> None:
    os.environ["TAYBAC_DATA_DIR"] = tempfile.mkdtemp(prefix="taybac-pageweight-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taybac.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from taybac.core.jobs import prepare_storage
    from taybac.core.staticfiles import collect
    from taybac.demo.loader import load_demo_data

    call_command("migrate", interactive=False, verbosity=0)
    prepare_storage()  # the demo's orders queue their text messages
    load_demo_data()
    collect()


def _serve() -> tuple[str, int]:
    """The WSGI app under waitress, the server `taybac serve` uses, on a free port (a daemon thread)."""
    from waitress.server import create_server

    from taybac.wsgi import application

    server = create_server(application, host="127.0.0.1", port=0, threads=4, ident="taybac")
    threading.Thread(target=server.run, daemon=True).start()
    return "127.0.0.1", int(server.effective_port)  # type: ignore[union-attr]


def fetch(address: tuple[str, int], url: str) -> tuple[int, bytes, dict[str, str]]:
    """(bytes received: status line + headers + body as sent, the body as sent, the headers; "_head" holds the
    size of the status line and headers)."""
    connection = http.client.HTTPConnection(*address, timeout=30)
    connection.request("GET", url, headers=ACCEPT)
    response = connection.getresponse()
    body = response.read()  # http.client never decompresses: these are the bytes on the wire
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{url}: HTTP {response.status}")
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in response.getheaders()
    )
    headers = {k.lower(): v for k, v in response.getheaders()}
    headers["_head"] = str(len(head.encode()) + 2)
    return len(head.encode()) + 2 + len(body), body, headers


def _text(body: bytes, headers: dict[str, str]) -> str:
    if headers.get("content-encoding") == "gzip":
        import gzip

        body = gzip.decompress(body)
    return body.decode()


def measure(address: tuple[str, int], url: str) -> dict[str, object]:
    size, body, headers = fetch(address, url)
    html = _text(body, headers)
    sizes: dict[str, object] = {"html": size, "css": 0, "js": 0, "plain": [], "short_cache": []}
    sizes["headers"] = int(headers["_head"])
    for asset, kind in sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+\.(css|js))"', html))):
        asset_size, _, asset_headers = fetch(address, asset)
        sizes[kind] = int(sizes[kind]) + asset_size  # type: ignore[call-overload]
        sizes["headers"] = int(sizes["headers"]) + int(asset_headers["_head"])  # type: ignore[call-overload]
        if asset_headers.get("content-encoding") not in {"gzip", "br"}:
            sizes["plain"].append(asset)  # type: ignore[attr-defined]
        if "immutable" not in asset_headers.get("cache-control", ""):
            sizes["short_cache"].append(asset)  # type: ignore[attr-defined]
    sizes["compressed_html"] = headers.get("content-encoding", "none")
    sizes["photos"] = len(re.findall(r"<img ", html))
    sizes["total"] = int(sizes["html"]) + int(sizes["css"]) + int(sizes["js"])  # type: ignore[call-overload]
    return sizes


def main() -> None:
    _setup()
    from taybac.catalog.models import Product, Shop

    product = Product.objects.filter(is_active=True, ocop__isnull=False, photos__isnull=False).first()
    shop = Shop.objects.filter(is_active=True).order_by("-id").first()
    assert product is not None and shop is not None, "the demo data has products with photos and shops"
    pages = {
        "home": "/",
        "search": "/tim-kiem/?q=mat+ong",
        "product": product.get_absolute_url(),
        "shop": f"/gian-hang/{shop.slug}/",
        "province": "/tinh/son-la/",
    }
    address = _serve()
    print(
        f"{'page':<9} {'url':<42} {'html':>7} {'css':>6} {'js':>5} {'total':>7} {'of which headers':>16} "
        f"{'budget':>7} {'imgs':>5}"
    )
    worst, problems = 0.0, []
    for name, url in pages.items():
        s = measure(address, url)
        ratio = int(s["total"]) / BUDGET  # type: ignore[call-overload]
        worst = max(worst, ratio)
        print(
            f"{name:<9} {url[:42]:<42} {s['html']:>7} {s['css']:>6} {s['js']:>5} {s['total']:>7} "
            f"{s['headers']:>16} {ratio:>6.0%} {s['photos']:>5}"
        )
        if s["compressed_html"] == "none":
            problems.append(f"{url}: HTML sent uncompressed")
        problems += [f"{a}: sent uncompressed" for a in s["plain"]]  # type: ignore[attr-defined]
        problems += [f"{a}: no long cache" for a in s["short_cache"]]  # type: ignore[attr-defined]
    print(
        f"bytes received (status line, headers and body as sent) for a first visit, photos excluded; "
        f"budget {BUDGET} bytes; worst page {worst:.0%}"
    )
    for problem in sorted(set(problems)):
        print("warning:", problem)
    if worst > 1:
        raise SystemExit("over budget")


if __name__ == "__main__":
    main()
