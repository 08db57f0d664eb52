"""/favicon.ico, /robots.txt and /sitemap.xml: what browsers and search engines ask every site for."""

from __future__ import annotations

import io
import re

from PIL import Image

from taybac.web import views_site
from tests.factories import make_product, make_shop


def test_favicon_is_a_small_real_icon_cached_for_a_month(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "public, max-age=2592000"
    assert len(response.content) < 8 * 1024
    with Image.open(io.BytesIO(response.content)) as icon:
        assert icon.format == "ICO" and {(16, 16), (32, 32)} <= set(icon.info["sizes"])
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_robots_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client, settings):
    settings.PUBLIC_URL = "https://cho.example.vn"
    text = client.get("/robots.txt").content.decode()
    for prefix in ("/ban-hang/", "/quan-tri/", "/gio-hang/", "/don-hang/", "/tra-cuu/", "/api/"):
        assert f"Disallow: {prefix}\n" in text
    assert "Disallow: /san-pham/" not in text and "Disallow: /\n" not in text
    assert text.startswith("User-agent: *\n") and "Sitemap: https://cho.example.vn/sitemap.xml\n" in text


def _locations(xml: bytes) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", xml.decode())


def test_sitemap_lists_public_pages_under_the_public_url_in_bounded_pages(
    client, settings, monkeypatch, db, django_assert_max_num_queries
):
    settings.PUBLIC_URL = "https://cho.example.vn"
    monkeypatch.setattr(views_site.ProductSitemap, "limit", 2)
    shop = make_shop(name="Hợp tác xã Chè Shan tuyết", province_code=8)
    products = [make_product(shop=shop, name=f"Chè Shan tuyết {i}") for i in range(5)]
    hidden = make_product(shop=shop, name="Chè cũ")
    hidden.is_active = False
    hidden.save()
    with django_assert_max_num_queries(4):  # one count per section
        index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"] == "application/xml"
    assert _locations(index.content) == [
        "https://cho.example.vn/sitemap-trang-chu.xml",
        "https://cho.example.vn/sitemap-tinh.xml",
        "https://cho.example.vn/sitemap-gian-hang.xml",
        "https://cho.example.vn/sitemap-san-pham.xml",
        "https://cho.example.vn/sitemap-san-pham.xml?p=2",
        "https://cho.example.vn/sitemap-san-pham.xml?p=3",
    ]
    listed = []
    for page in (1, 2, 3):
        with django_assert_max_num_queries(2):
            listed += _locations(client.get("/sitemap-san-pham.xml", {"p": page}).content)
    assert listed == [f"https://cho.example.vn{p.get_absolute_url()}" for p in products]
    assert client.get("/sitemap-san-pham.xml", {"p": 4}).status_code == 404
    assert client.get("/sitemap-khong-co.xml").status_code == 404
    assert _locations(client.get("/sitemap-gian-hang.xml").content) == [
        f"https://cho.example.vn/gian-hang/{shop.slug}/"
    ]
    provinces = _locations(client.get("/sitemap-tinh.xml").content)
    assert len(provinces) == 9 and "https://cho.example.vn/tinh/tuyen-quang/" in provinces
    assert _locations(client.get("/sitemap-trang-chu.xml").content) == ["https://cho.example.vn/"]
