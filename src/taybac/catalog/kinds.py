"""What kind of thing a product is (catalog.models.Product.Kind) and what follows from it: only goods have a
harvest (season, next harvest, harvest pre-orders) and lots; a tour or a homestay has neither."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from taybac.catalog.models import Category, Product
from taybac.core.errors import DomainError

# Categories whose products are services (a tour, a night in a homestay): no harvest, no lots, nothing shipped.
SERVICE_CATEGORIES = frozenset({"du-lich-cong-dong"})


def kind_for_category(*, category: Category) -> str:
    """The kind a new product of `category` gets; operators may change it afterwards (admin)."""
    return Product.Kind.SERVICE if category.slug in SERVICE_CATEGORIES else Product.Kind.GOODS


def check_harvest_fields(
    *, kind: str, season_months: Iterable[int], next_harvest: datetime.date | None, preorder_allowed: bool
) -> None:
    """Only goods have a harvest: a tour or a homestay takes no season, harvest date or harvest pre-order."""
    if kind == Product.Kind.GOODS:
        return
    for field, given in (
        ("season_months", bool(list(season_months))),
        ("next_harvest", next_harvest is not None),
        ("preorder_allowed", bool(preorder_allowed)),
    ):
        if given:
            raise DomainError(
                "Dịch vụ (du lịch, lưu trú) không có mùa thu hoạch, ngày thu hoạch hay đặt trước theo vụ.",
                field=field,
            )
