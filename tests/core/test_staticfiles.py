"""Static files: sources served under plain names until collected, then hashed, gzip-compressed and cached for good."""

from __future__ import annotations

import gzip
import re
import warnings

from django.template import Context, Template
from django.test import Client

from taybac.core.staticfiles import StaticFilesMiddleware, collect, is_collected

LINK = re.compile(r'href="(/static/web/site[^"]*\.css)"')


def _site_css_link() -> str:
    return Template('{% load static %}<link href="{% static "web/site.css" %}">').render(Context())


def test_before_collecting_the_sources_are_served_without_a_warning(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "never-collected"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # WhiteNoise's "No directory at" would fail here
        middleware = StaticFilesMiddleware(lambda request: None)
    assert middleware.use_finders and not is_collected()
    assert _site_css_link() == '<link href="/static/web/site.css">'
    response = Client().get("/static/web/site.css")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"/*")


def test_collected_files_are_hashed_compressed_and_cached_for_a_year(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    collect()
    assert is_collected()
    assert not StaticFilesMiddleware(lambda request: None).use_finders  # production never serves the sources
    [url] = LINK.findall(_site_css_link())
    assert re.fullmatch(r"/static/web/site\.[0-9a-f]{12}\.css", url)
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip" and response["Vary"] == "Accept-Encoding"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    body = b"".join(response.streaming_content)
    source = (settings.STATIC_ROOT / "web" / "site.css").read_bytes()
    assert gzip.decompress(body) == source and len(body) < len(source) / 2
    # the unhashed name still answers (old pages in caches), briefly cached
    assert "immutable" not in Client().get("/static/web/site.css")["Cache-Control"]


def test_the_page_links_the_hashed_names_once_collected(settings, tmp_path, db):
    settings.STATIC_ROOT = tmp_path / "static"
    collect()
    page = Client().get("/").content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
    assert assets and all(re.search(r"\.[0-9a-f]{12}\.(css|js)$", a) for a in assets)
