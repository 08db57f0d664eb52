"""On a 360 px phone, the lists people pick from are in Vietnamese alphabetical order: the search filter's
provinces (Đ after D, "Lai Châu" < "Lạng Sơn" < "Lào Cai") and a province's communes in the checkout form, where
"Phường …" and "Xã …" are filed under the name that follows."""

from __future__ import annotations

from taybac.core.text import place_sort_key
from taybac.regions.models import Commune, Province
from tests.factories import make_product, make_shop

REGION = ["Cao Bằng", "Điện Biên", "Lai Châu", "Lạng Sơn", "Lào Cai", "Phú Thọ", "Sơn La", "Thái Nguyên", "Tuyên Quang"]


def _options(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("opts => opts.filter(o => o.value).map(o => o.textContent.trim())")


def test_the_search_filter_lists_the_region_in_vietnamese_order(page360, live_server):
    page360.goto(live_server.url + "/tim-kiem/?q=mat+ong")
    page360.locator("summary").first.click()  # the filter panel is folded on a phone
    names = _options(page360, "select[name=tinh] option")
    assert [n.removeprefix("Tỉnh ") for n in names] == REGION
    assert page360.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_checkout_lists_communes_under_their_names(page360, live_server):
    variant = make_product(shop=make_shop(name="Hộ Giàng A Páo"), price=350_000, quantity=5).variants.get()
    page360.goto(live_server.url + variant.product.get_absolute_url())
    page360.get_by_role("button", name="Thêm vào giỏ").click()
    page360.goto(live_server.url + "/gio-hang/")
    lao_cai = Province.objects.get(name__endswith="Lào Cai")
    page360.select_option("select[name=tinh]", value=str(lao_cai.code))
    page360.get_by_role("button", name="Chọn tỉnh").click()
    page360.wait_for_function("() => document.querySelectorAll('select[name=xa] option').length > 50")
    names = _options(page360, "select[name=xa] option")
    expected = sorted(Commune.objects.filter(province=lao_cai).values_list("name", flat=True), key=place_sort_key)
    assert names == expected and len(names) > 50
    bare = [n.split(" ", 1)[1] for n in names]  # "Xã Bát Xát" -> "Bát Xát": one alphabet, not two blocks
    assert bare.index("Bát Xát") < bare.index("Sa Pa") < bare.index("Y Tý")
