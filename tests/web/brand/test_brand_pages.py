"""The public pages: the brand section of /gian-hang/<slug>/, the OCOP e-certificate and the GI page."""

from __future__ import annotations

import base64
import datetime
import json
import re
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.test import Client

from taybac.catalog.models import OcopCertificate


def _meta(html: str, prop: str) -> str:
    found = re.search(rf'<meta property="{prop}" content="([^"]*)">', html)
    assert found, prop
    return found.group(1)


def test_brand_page_shows_story_place_photos_certificates_lots_and_share_links(bw, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        response = Client().get(f"/gian-hang/{bw.shop.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<p>Ba đời hái chè cổ thụ.</p>" in html
    assert "https://www.openstreetmap.org/?mlat=21.60000&amp;mlon=104.51000" in html
    assert 'loading="lazy"' not in html.split("bgal")[1].split("</div>")[0].split(">", 2)[1]  # first photo eager
    assert bw.cert.get_absolute_url() in html and "cán bộ đã ghi nhận" in html
    assert "Chỉ dẫn địa lý</b> Chè Shan tuyết Suối Giàng" in html and "VietGAP" in html
    assert bw.lot.get_absolute_url() in html and "thu hoạch 02/04/2025" in html
    url = f"{settings.PUBLIC_URL}/gian-hang/{bw.shop.slug}/"
    assert _meta(html, "og:url") == url
    assert _meta(html, "og:title").startswith("HTX Chè Suối Giàng – ")
    assert _meta(html, "og:description").startswith("Ba đời hái chè")
    assert re.fullmatch(
        rf"{re.escape(settings.PUBLIC_URL)}/media/shops/{bw.shop.pk}/\w+-640\.webp", _meta(html, "og:image")
    )
    links = dict(re.findall(r'class="sh (fb|zl)" href="([^"]+)"', html))
    assert parse_qs(urlparse(links["fb"].replace("&amp;", "&")).query)["u"] == [url]
    zalo = urlparse(links["zl"].replace("&amp;", "&"))
    assert zalo.netloc == "button-share.zalo.me"
    assert json.loads(base64.b64decode(parse_qs(zalo.query)["d"][0])) == {"url": url}
    assert not re.search(r"<script[^>]+(facebook|zalo)", html)  # no social SDK on our pages


def test_brand_page_without_coordinates_links_a_search_for_the_commune(bw):
    bw.shop.latitude = bw.shop.longitude = None
    bw.shop.save()
    html = Client().get(f"/gian-hang/{bw.shop.slug}/").content.decode()
    assert "https://www.openstreetmap.org/search?query=" in html


def test_certificate_page_shows_decision_validity_and_a_qr_of_itself(bw):
    response = Client().get(bw.cert.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quyết định số 1234/QĐ-UBND ngày 18/03/2025 của UBND tỉnh Lào Cai" in html
    assert "Còn hiệu lực đến" in html and "cán bộ Sở Công Thương" in html
    assert "<svg" in html and f"{settings.PUBLIC_URL}{bw.cert.get_absolute_url()}" in html
    assert "Chè Shan tuyết Suối Giàng" in html  # its GI


def test_expired_or_declared_certificates_say_so(bw):
    OcopCertificate.objects.filter(pk=bw.cert.pk).update(
        expires_on=datetime.date.today() - datetime.timedelta(days=1), recorded_by=None
    )
    html = Client().get(bw.cert.get_absolute_url()).content.decode()
    assert "Đã hết hiệu lực từ" in html and "người bán tự khai" in html
    assert Client().get("/chung-nhan/ocop/999999/").status_code == 404


def test_gi_and_product_pages_link_each_other(bw):
    gi = bw.product.gi
    html = Client().get(gi.get_absolute_url()).content.decode()
    assert "Chè Shan tuyết Suối Giàng" in html and "chưa đối chiếu" in html and bw.product.get_absolute_url() in html
    product_html = Client().get(bw.product.get_absolute_url()).content.decode()
    assert gi.get_absolute_url() in product_html and bw.cert.get_absolute_url() in product_html
