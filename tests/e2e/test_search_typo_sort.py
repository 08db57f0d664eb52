"""A buyer on a 360 px phone: typo search, sort by price, the filter panel fits (Playwright, Debian's Chromium)."""

from __future__ import annotations

import os

from taybac.search.backends import tantivy_index
from tests.factories import make_product, make_shop

SHOT = os.environ.get("TAYBAC_SEARCH_SCREENSHOT")  # a path: save the page for a person to look at


def test_typo_search_and_sort_by_price_at_360_px(page360, live_server):
    shop = make_shop(name="Hộ Lý Seo Dìn", province_code=12)
    cheap = make_product(shop=shop, name="Thảo quả khô Sìn Hồ", category_slug="gia-vi", price=90_000)
    dear = make_product(shop=shop, name="Thảo quả khô loại 1 Bát Xát", category_slug="gia-vi", price=260_000)
    make_product(shop=shop, name="Tam thất Bát Xát", category_slug="duoc-lieu", price=500_000)
    tantivy_index.write(None)  # a built index: search answers from tantivy (auto on SQLite)
    page = page360
    page.goto(live_server.url + "/tim-kiem/?q=thao+quaa")
    names = page.locator(".grid .card .nm")
    assert sorted(names.all_inner_texts()) == sorted([cheap.name, dear.name])
    assert "2 kết quả" in page.locator("h1").inner_text()

    page.select_option("#sap-xep", "gia-giam")
    page.click(".sort button")
    page.wait_for_url("**sap_xep=gia-giam**")
    assert names.all_inner_texts() == [dear.name, cheap.name]
    page.select_option("#sap-xep", "gia-tang")
    page.click(".sort button")
    page.wait_for_url("**sap_xep=gia-tang**")
    assert names.all_inner_texts() == [cheap.name, dear.name]

    page.click(".filters summary")  # the filter panel keeps the sort and fits the phone
    page.fill("input[name=gia_den]", "100000")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**gia_den=100000**")
    assert names.all_inner_texts() == [cheap.name] and "sap_xep=gia-tang" in page.url
    if SHOT:
        page.screenshot(path=SHOT, full_page=True)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide

    page.goto(live_server.url + "/tim-kiem/?q=tam+thatt")  # the half-typed last word with a typo
    assert names.all_inner_texts() == ["Tam thất Bát Xát"]
