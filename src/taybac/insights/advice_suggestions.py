"""Suggestions of a production warning (docs/insights.md, "Production advice"): short plain-Vietnamese sentences for
a low-literacy reader, each built only from figures in the data, kept beside its numbers so the page (and anyone
checking) sees what it rests on.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from taybac.catalog.models import Product
from taybac.insights import advice_selectors as sel
from taybac.insights.advice_rules import Assessment, Outcome

Suggestion = dict[str, Any]


def number(value: int) -> str:
    """1234567 -> '1.234.567' (the Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def money(amount: int) -> str:
    return f"{number(amount)} đ"


def _item(kind: str, title: str, text: str, **numbers: Any) -> Suggestion:
    return {"kind": kind, "title": title, "text": text, "numbers": numbers}


def _preorder_products(products: list[Product]) -> list[Product]:
    return [p for p in products if p.preorder_allowed]


def _price_glut(price: sel.PriceFigures | None) -> Suggestion | None:
    if price is None or price.median is None:
        return None
    figures = {"shop_price": price.shop_price, "median_price": price.median, "products_compared": price.peers}
    compared = f"Giá giữa của {price.peers} sản phẩm cùng loại trong tỉnh: {money(price.median)}/{price.unit}."
    if price.shop_price > price.median:
        text = f"Giá của bạn: {money(price.shop_price)}/{price.unit}. {compared} Giá gần mức giữa sẽ dễ bán hơn."
    else:
        text = f"Giá của bạn: {money(price.shop_price)}/{price.unit}. {compared} Giá đã tốt, không cần hạ thêm."
    return _item("price", "Xem lại giá bán", text, **figures)


def _price_shortage(price: sel.PriceFigures | None) -> Suggestion | None:
    if price is None or price.median is None:
        return None
    figures = {"shop_price": price.shop_price, "median_price": price.median, "products_compared": price.peers}
    compared = f"Giá giữa trong tỉnh: {money(price.median)}/{price.unit} ({price.peers} sản phẩm)."
    if price.shop_price < price.median:
        tail = f"Khi đặt trước, có thể lấy giá gần {money(price.median)}."
    else:
        tail = "Hàng sẽ thiếu: giữ giá, không cần giảm."
    text = f"Giá của bạn: {money(price.shop_price)}/{price.unit}. {compared} {tail}"
    return _item("preorder_price", "Nhận đặt trước, giữ giá tốt", text, **figures)


def _other_provinces(places: list[sel.BuyerPlace], category: str) -> Suggestion | None:
    if not places:
        return None
    listed = ", ".join(f"{p.name} ({round(p.share * 100)}% số đơn)" for p in places)
    text = f"Người mua {category.lower()} ở nhiều nơi: {listed}. Gửi hàng đi các tỉnh này."
    rows = [{"province": p.name, "orders": p.orders, "share_percent": round(p.share * 100)} for p in places]
    return _item("other_provinces", "Bán cho người mua tỉnh khác", text, provinces=rows)


def glut_suggestions(
    a: Assessment, *, products: list[Product], price: sel.PriceFigures | None, places: list[sel.BuyerPlace]
) -> list[Suggestion]:
    gap = a.province_supply - a.demand
    quota = a.supply.quota_left
    if _preorder_products(products) and quota > 0:
        first = _item(
            "preorder",
            "Mở bán đặt trước ngay",
            f"Bạn còn {number(quota)} suất đặt trước chưa ai đặt. Cả tỉnh có thể thừa khoảng {number(gap)}. "
            "Bán trước được suất nào, đỡ lo suất đó.",
            quota_left=quota,
            expected_surplus=gap,
        )
    else:
        first = _item(
            "preorder",
            "Nhận đặt trước sớm",
            f"Cả tỉnh có thể thừa khoảng {number(gap)}. Bật nhận đặt trước cho vụ tới để chốt người mua sớm.",
            quota_left=quota,
            expected_surplus=gap,
        )
    fair = _item(
        "fair",
        "Đi hội chợ",
        f"Đăng ký tham gia hội chợ nông sản của tỉnh hoặc phiên chợ OCOP gần nhất (hỏi cán bộ xã). "
        f"Bạn có {number(a.shop_supply)} để bán; cả tỉnh thừa khoảng {number(gap)}.",
        shop_supply=a.shop_supply,
        expected_surplus=gap,
    )
    extra = [_price_glut(price), _other_provinces(places, a.category.name)]
    return [first, fair, *[s for s in extra if s is not None]]


def shortage_suggestions(a: Assessment, *, products: list[Product], price: sel.PriceFigures | None) -> list[Suggestion]:
    gap = a.demand - a.province_supply
    share = a.shop_supply / a.province_supply if a.province_supply else 1 / max(a.planning_shops, 1)
    more = max(math.ceil(gap * share), 1)
    quota = a.supply.quota_left
    if _preorder_products(products):
        first = _item(
            "raise_quota",
            "Tăng suất đặt trước",
            f"Bạn đang có {number(quota)} suất đặt trước. Có thể thêm khoảng {number(more)} suất.",
            quota_left=quota,
            suggested_more=more,
            province_shortfall=gap,
        )
    else:
        first = _item(
            "raise_quota",
            "Bật nhận đặt trước",
            f"Bật nhận đặt trước cho vụ tới, khoảng {number(more)} suất.",
            quota_left=quota,
            suggested_more=more,
            province_shortfall=gap,
        )
    plan = _item(
        "plan_more",
        "Chuẩn bị thêm hàng",
        f"Người mua dự kiến đặt {number(a.demand)}. Cả tỉnh mới có {number(a.province_supply)}. "
        f"Thiếu khoảng {number(gap)}.",
        forecast_demand=a.demand,
        province_supply=a.province_supply,
        province_shortfall=gap,
    )
    price_item = _price_shortage(price)
    return [first, plan, *([price_item] if price_item else [])]


def suggestions_for(a: Assessment, *, products: list[Product], today: datetime.date) -> list[Suggestion]:
    """The suggestions of a glut or a shortage (none for any other outcome)."""
    price = sel.price_figures(shop_id=a.shop.pk, category_id=a.category.pk, province_id=a.shop.province_id)
    if a.outcome == Outcome.GLUT:
        since = today - datetime.timedelta(days=sel.BUYERS_LOOKBACK_DAYS)
        places = sel.buyer_provinces(category_id=a.category.pk, exclude_province_id=a.shop.province_id, since=since)
        return glut_suggestions(a, products=products, price=price, places=places)
    if a.outcome == Outcome.SHORTAGE:
        return shortage_suggestions(a, products=products, price=price)
    return []
