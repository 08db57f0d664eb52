"""Routes of one part of the site, kept in their own module and included by web/urls.py: the icon, robots.txt and
the sitemap (web/views_site.py)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from taybac.web import views_site

_sitemap_cache = cache_control(public=True, max_age=3600)

urlpatterns = [
    path("favicon.ico", views_site.favicon, name="site-favicon"),
    path("robots.txt", views_site.robots_txt, name="site-robots"),
    path("sitemap.xml", views_site.sitemap_index, name="site-sitemap"),
    path(
        "sitemap-<section>.xml",
        require_safe(_sitemap_cache(sitemap_views.sitemap)),
        {"sitemaps": views_site.SITEMAPS},
        name="site-sitemap-section",
    ),
]
