import gzip
import re

import pytest

from taybac.search.models import SearchQueryLog
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def names(response) -> list[str]:
    """Product names on the cards of a page, in order."""
    return re.findall(r'<span class="nm">([^<]+)</span>', html(response))


def test_home_shows_region_provinces_season_and_ocop(client, storefront, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/")
    page = html(response)
    assert response.status_code == 200
    assert "Tuyên Quang" in page and "Lào Cai" in page and "Hà Nội" not in page
    assert "Mật ong bạc hà Mèo Vạc" in page and "OCOP ★★★★" in page
    assert 'loading="lazy"' in page and "srcset=" in page
    assert "/tinh/tuyen-quang/" in page


def test_home_query_count_does_not_grow_with_products(client, storefront, django_assert_max_num_queries):
    for i in range(6):
        make_product(
            shop=storefront["tea_shop"],
            name=f"Chè búp {i}",
            category_slug="che",
            season_months=[__import__("datetime").date.today().month],
        )
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("query", ["mat ong", "Mật ong", "MAT ONG bac ha"])
def test_search_without_diacritics_finds_honey(client, storefront, query, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    assert names(response) == ["Mật ong bạc hà Mèo Vạc"]
    assert SearchQueryLog.objects.filter(result_count=1).exists()


def test_search_duong_phen_and_filters(client, storefront):
    assert names(client.get("/tim-kiem/", {"q": "duong phen"})) == ["Đường phèn"]
    assert names(client.get("/tim-kiem/", {"q": "", "tinh": "15", "gia_den": "100.000"})) == ["Đường phèn"]
    assert names(client.get("/tim-kiem/", {"ocop": "4"})) == ["Mật ong bạc hà Mèo Vạc"]
    assert names(client.get("/tim-kiem/", {"mua_vu": "1"})) == ["Mật ong bạc hà Mèo Vạc"]
    assert names(client.get("/tim-kiem/", {"nganh": "che"})) == ["Chè Shan tuyết Suối Giàng"]


@pytest.mark.parametrize(
    "params",
    [
        {"gia_tu": "abc"},
        {"gia_tu": "500000", "gia_den": "1000"},
        {"ocop": "9"},
        {"trang": "0"},
        {"tinh": "-1"},
        {"q": "x" * 300},
    ],
)
def test_bad_filters_give_a_vietnamese_400_not_500(client, storefront, params):
    response = client.get("/tim-kiem/", params)
    assert response.status_code == 400
    assert 'class="err"' in html(response)


def test_search_no_results_and_pagination(client, storefront):
    assert "Không tìm thấy sản phẩm phù hợp" in html(client.get("/tim-kiem/", {"q": "xyzzy"}))
    for i in range(21):
        make_product(shop=storefront["tea_shop"], name=f"Chè xanh {i}", category_slug="che")
    first = html(client.get("/tim-kiem/", {"q": "che xanh"}))
    assert "Trang 1/2" in first and "trang=2" in first
    assert "Trang 2/2" in html(client.get("/tim-kiem/", {"q": "che xanh", "trang": "2"}))


def test_suggest_endpoint(client, storefront):
    assert client.get("/tim-kiem/goi-y", {"q": "mat o"}).json() == {"items": ["Mật ong bạc hà Mèo Vạc"]}


def test_product_page(client, storefront, django_assert_max_num_queries):
    honey = storefront["honey"]
    with django_assert_max_num_queries(6):
        response = client.get(honey.get_absolute_url())
    page = html(response)
    assert response.status_code == 200
    assert "380.000 ₫" in page and "còn 12 hũ" in page
    assert "OCOP" in page and "728/QĐ-UBND" in page and "UBND tỉnh Hà Giang" in page
    assert "Chỉ dẫn địa lý" in page and "Hộ nuôi ong Sùng Mí Chá" in page
    assert honey.variants.get().gtin in page
    assert len(re.findall(r'<li class="[^"]*\bon\b', page)) == 1  # one month in season


def test_sold_out_and_expired_ocop(client, storefront):
    page = html(client.get(storefront["sugar"].get_absolute_url()))
    assert "hết hàng" in page and "OCOP" not in page


def test_product_redirects_and_404(client, storefront):
    honey = storefront["honey"]
    response = client.get(f"/san-pham/{honey.pk}-sai-ten/")
    assert response.status_code == 301 and response["Location"] == honey.get_absolute_url()
    assert client.get(f"/san-pham/{honey.pk}/").status_code == 301
    missing = client.get("/san-pham/999999-khong-co/")
    assert missing.status_code == 404 and "Không tìm thấy" in html(missing)
    gtin = honey.variants.get().gtin
    assert client.get(f"/01/{gtin}")["Location"] == honey.get_absolute_url()
    assert client.get("/01/00000000000000").status_code == 404


def test_inactive_product_is_gone(client, storefront):
    honey = storefront["honey"]
    honey.is_active = False
    honey.save()
    assert client.get(honey.get_absolute_url()).status_code == 404


def test_shop_page(client, storefront, django_assert_max_num_queries):
    shop = storefront["tea_shop"]
    with django_assert_max_num_queries(6):  # with its open harvest sales windows (one query)
        page = html(client.get(f"/gian-hang/{shop.slug}/"))
    assert "Lào Cai" in page
    assert sorted(re.findall(r'<span class="nm">([^<]+)</span>', page)) == ["Chè Shan tuyết Suối Giàng", "Đường phèn"]
    assert client.get("/gian-hang/khong-co/").status_code == 404


def test_province_page_with_old_names(client, storefront, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/tinh/tuyen-quang/")
    page = html(response)
    assert "Đặc sản Tuyên Quang" in page and "Hà Giang" in page and "Mật ong bạc hà" in page
    assert client.get("/tinh/tuyen_quang/")["Location"] == "/tinh/tuyen-quang/"
    assert client.get("/tinh/atlantis/").status_code == 404


def _first_visit_bytes(client, url: str) -> int:
    """Bytes transferred for a first visit: gzip-compressed HTML plus every stylesheet and script it links."""
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    body = response.content if response.get("Content-Encoding") == "gzip" else gzip.compress(response.content)
    total = len(body)
    page = gzip.decompress(body).decode()
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page):
        asset_response = client.get(asset, HTTP_ACCEPT_ENCODING="gzip")
        content = b"".join(asset_response.streaming_content) if asset_response.streaming else asset_response.content
        total += len(content if asset_response.get("Content-Encoding") == "gzip" else gzip.compress(content))
    return total


def test_every_storefront_page_within_50_kb(client, storefront):
    honey, shop = storefront["honey"], storefront["tea_shop"]
    for i in range(30):  # a full page of results
        make_product(shop=shop, name=f"Mật ong rừng {i}", description="Mật ong rừng nguyên chất. " * 20)
    for url in ("/", "/tim-kiem/?q=mat+ong", honey.get_absolute_url(), f"/gian-hang/{shop.slug}/", "/tinh/lao-cai/"):
        assert _first_visit_bytes(client, url) <= 50 * 1024, url


def test_suggestions_digital_link_and_order_lookup_query_counts(client, storefront, django_assert_num_queries):
    """The three small storefront answers have pinned counts too: they are hit on every keystroke and QR scan."""
    gtin = storefront["honey"].variants.order_by("pk").first().gtin
    with django_assert_num_queries(1):  # one FTS5 or trigram query, names only
        response = client.get("/tim-kiem/goi-y", {"q": "mat ong"})
    assert response.status_code == 200 and response.json()["items"] == ["Mật ong bạc hà Mèo Vạc"]
    with django_assert_num_queries(1):  # the public product of that GTIN, id and slug: a redirect to its page
        response = client.get(f"/01/{gtin}")
    assert response.status_code == 302 and response["Location"] == storefront["honey"].get_absolute_url()
    with django_assert_num_queries(0):  # the look-up form alone: nothing to read until it is sent
        assert client.get("/tra-cuu/").status_code == 200
