"""What browsers and search engines ask every site for: /favicon.ico, /robots.txt and /sitemap.xml.

The sitemap is an index of sections (products, shops, provinces, the home page), each paginated by Django's
sitemaps framework at SITEMAP_LIMIT addresses a page, so no answer grows with the catalogue. Addresses are absolute
under TAYBAC_PUBLIC_URL (what QR codes and SMS links use), not under whatever Host a request came with.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem  # type: ignore[attr-defined]  # not in django-stubs
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from taybac.catalog.models import Product, Shop
from taybac.regions.models import Province

FAVICON = Path(__file__).resolve().parent / "static" / "web" / "favicon.ico"
SITEMAP_LIMIT = 5000  # addresses per sitemap page (the protocol allows 50,000; smaller pages answer faster)
# Pages with nothing for a search engine: the seller centre, the operators' admin, a buyer's cart, orders,
# addresses and reviews, signing in, the post office's counter, the API.
PRIVATE_PREFIXES = (
    "/ban-hang/",
    "/quan-tri/",
    "/gio-hang/",
    "/don-hang/",
    "/don-mua/",
    "/tra-cuu/",
    "/dia-chi/",
    "/danh-gia/",
    "/dang-nhap/",
    "/dang-xuat/",
    "/buu-dien/",
    "/api/",
)


@lru_cache(maxsize=1)
def _favicon() -> bytes:
    return FAVICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=30 * 24 * 3600)
def favicon(request: HttpRequest) -> HttpResponse:
    """The hub's icon (16, 32 and 48 px in one 4 KB file) at the address every browser asks for, cached 30 days."""
    return HttpResponse(_favicon(), content_type="image/x-icon")


@require_safe
@cache_control(public=True, max_age=24 * 3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES)]
    lines.append(f"Sitemap: {settings.PUBLIC_URL}{reverse('site-sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class PublicSitemap(Sitemap):
    """Absolute addresses under PUBLIC_URL, SITEMAP_LIMIT a page."""

    limit = SITEMAP_LIMIT

    @property
    def protocol(self) -> str:  # type: ignore[override]
        return urlsplit(settings.PUBLIC_URL).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.PUBLIC_URL).netloc


class ProductSitemap(PublicSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Product]:
        return (
            Product.objects.filter(is_active=True, shop__is_active=True).only("id", "slug", "updated_at").order_by("id")
        )

    def lastmod(self, item: Product) -> datetime:
        return item.updated_at


class ShopSitemap(PublicSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Shop]:
        return Shop.objects.filter(is_active=True).only("id", "slug").order_by("id")

    def location(self, item: Shop) -> str:
        return reverse("store-shop", args=[item.slug])


class ProvinceSitemap(PublicSitemap):
    changefreq = "daily"

    def items(self) -> QuerySet[Province]:
        return Province.objects.filter(in_region=True).only("code", "codename").order_by("code")

    def location(self, item: Province) -> str:
        return reverse("store-province", args=[item.slug])


class HomeSitemap(PublicSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["store-home"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
    "trang-chu": HomeSitemap,
    "tinh": ProvinceSitemap,
    "gian-hang": ShopSitemap,
    "san-pham": ProductSitemap,
}


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The index of every section's pages, under PUBLIC_URL (Django's own index names the request's host)."""
    entries = []
    for section, cls in SITEMAPS.items():
        pages = cls().paginator.num_pages  # one COUNT per section
        url = f"{settings.PUBLIC_URL}{reverse('site-sitemap-section', args=[section])}"
        entries += [SitemapIndexItem(url if page == 1 else f"{url}?p={page}", None) for page in range(1, pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")
