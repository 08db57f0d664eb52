"""Product facts for replies, read from the records through the catalogue selectors and the site's search.

Every price, stock figure, season and certificate the assistant writes comes from here, next to the product's
path, so a reply never states a number the database does not hold (bench/assistant_eval.py checks it).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from taybac.catalog.models import Product, Variant
from taybac.catalog.seasons import describe_months
from taybac.catalog.selectors import product_detail, products_in_season
from taybac.core.money import format_vnd
from taybac.core.text import fold, fold_words
from taybac.orders.checkout import LineRequest
from taybac.orders.quote import quote_cart
from taybac.search.services import SearchError, search_products
from taybac.search.synonyms import SynonymTable, synonym_table

MAX_PRODUCTS = 3  # products named in one reply: a chat bubble, not a catalogue page
MAX_VARIANTS = 4
SEARCHED = 10  # search results looked at for products whose names hold the words


def _named(product: Product, words: list[str], synonyms: SynonymTable) -> bool:
    """Whether the product's name, category or province holds every word (or one of its synonyms): search also
    matches descriptions, and "rượu ngô" found in a description of buffalo jerky is not a product the hub sells."""
    text = " " + " ".join(fold_words(f"{product.name} {product.category.name} {product.shop.province.name}")) + " "
    for word in words:
        options = [(word,), *synonyms.get((word,), ())]
        if not any(f" {' '.join(option)} " in text for option in options):
            return False
    return True


def find_products(words: list[str]) -> tuple[list[Product], bool]:
    """Products the words name, through the search the site uses: all the words first, then the longest runs of
    them; a result counts when its name, category or province holds the words. The flag says whether all the
    words matched (False: these are only near what was asked)."""
    words = words[:6]
    synonyms = synonym_table()
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            if n == 1 and len(run[0]) < 3:  # "ca" alone finds "mắc ca" for "cà phê": too short to stand alone
                continue
            try:
                page = search_products(query=" ".join(run), page_size=SEARCHED, log=False)
            except SearchError:
                continue
            named = [p for p in page.items if _named(p, run, synonyms)][:MAX_PRODUCTS]
            if named:
                return named, n == len(words)
    return [], False


def suggestions() -> list[Product]:
    """What to offer instead: products in season, else the newest."""
    chosen = list(products_in_season(timezone.localdate())[:MAX_PRODUCTS])
    if not chosen:
        chosen = list(search_products(query="", page_size=MAX_PRODUCTS, log=False).items)
    return chosen


def detailed(product_id: int) -> Product | None:
    """A public product with its variants, shop, place and certificate (catalog.selectors.product_detail)."""
    return product_detail(product_id)


def pick_variant(product: Product, hint: str, unit: str = "") -> Variant | None:
    """The active variant whose name holds the pack size the buyer named ("500 g"), else the only one sold in
    the unit named ("hũ"), else the only one."""
    variants = list(product.variants.all())
    in_unit = [v for v in variants if unit and fold(v.unit) == fold(unit)]
    if hint:
        number, unit = hint.split(" ", 1)
        for variant in variants:
            name = fold(variant.name).replace(" ", "")
            if f"{number}{unit}" in name:
                return variant
    if len(in_unit) == 1:
        return in_unit[0]
    return variants[0] if len(variants) == 1 else None


def card_line(product: Product) -> str:
    """A search result: the name, the cheapest active variant's price (product_cards' min_price), the path."""
    price = getattr(product, "min_price", None)
    return f"• {product.name}: từ {format_vnd(price)} ({product.get_absolute_url()})" if price else ""


def stock_text(variant: Variant, product: Product) -> str:
    if variant.available > 0:
        return f"còn {variant.available} {variant.unit}"
    if product.next_harvest and product.preorder_allowed and variant.preorder_available > 0:
        return f"hết hàng, đặt trước được (vụ sau: {product.next_harvest:%d/%m/%Y})"
    return "tạm hết hàng"


def price_lines(product: Product) -> list[str]:
    """One line per active variant: its name, price and stock, as recorded."""
    return [
        f"• {product.name} – {v.name}: {format_vnd(v.price)}, {stock_text(v, product)}"
        for v in list(product.variants.all())[:MAX_VARIANTS]
    ]


def season_text(product: Product, today: datetime.date) -> str:
    months = product.season_months
    if not months:
        return f"{product.name}: trang sản phẩm chưa ghi mùa vụ."
    now = "đang vào mùa" if product.in_season(today) else "chưa vào mùa"
    harvest = f", vụ tới dự kiến {product.next_harvest:%d/%m/%Y}" if product.next_harvest else ""
    return f"{product.name}: mùa vụ {describe_months(months)} (hiện {now}{harvest})."


def certificate_text(product: Product, today: datetime.date) -> str:
    parts = []
    ocop = getattr(product, "ocop", None)
    if ocop is not None and ocop.is_valid(today):
        parts.append(
            f"OCOP {ocop.stars} sao (giấy chứng nhận số {ocop.number}, {ocop.issuer}, "
            f"hiệu lực đến {ocop.expires_on:%d/%m/%Y})"
        )
    if product.gi is not None:
        parts.append(f"chỉ dẫn địa lý {product.gi.name}")
    if not parts:
        return f"{product.name}: hub chưa có giấy chứng nhận OCOP còn hiệu lực hay chỉ dẫn địa lý nào cho sản phẩm này."
    return f"{product.name}: " + "; ".join(parts) + "."


def origin_text(product: Product) -> str:
    shop = product.shop
    return f"{product.name} do {shop.name} làm, ở {shop.commune.name}, {shop.province.name}."


def shipping_text(product: Product, *, province_code: int | None, commune_code: int | None) -> str | None:
    """The delivery fee and time of one unit of the product's first variant to the commune, from the carriers'
    quote (orders.quote.quote_cart, as the cart page); None when the destination is not known well enough."""
    variants = list(product.variants.all())
    if not variants or commune_code is None:
        return None
    quote = quote_cart(lines=[LineRequest(variants[0].pk, 1)], province_code=province_code, commune_code=commune_code)
    chosen = quote.shops[0].chosen if quote.shops else None
    if chosen is None:
        return None
    where = quote.commune.name if quote.commune else "nơi bạn nhận"
    days = f"{chosen.eta_days_min}–{chosen.eta_days_max} ngày"
    item = f"1 {variants[0].unit} {product.name} – {variants[0].name}"
    return f"Giao {item} tới {where}: phí {format_vnd(chosen.fee)} ({chosen.carrier_name}), khoảng {days}."
