"""The seller's identity on the shop page (legal name and commune, as the e-commerce rules require) and its notice
in the seller centre (what is missing before the hub can pay out). One query each."""

from __future__ import annotations

from typing import Any

from django import template

from taybac.accounts.identity import MISSING_ALL, identity_view
from taybac.accounts.models import Producer
from taybac.catalog.models import Shop

register = template.Library()


@register.inclusion_tag("web/identity/_seller_line.html")
def seller_line(shop: Shop) -> dict[str, Any]:
    return {"shop": shop, "seller": identity_view(shop.producer)}


@register.inclusion_tag("web/identity/_centre_notice.html")
def identity_notice(producer: Producer) -> dict[str, Any]:
    seller = identity_view(producer)
    return {"seller": seller, "missing": () if seller else MISSING_ALL}
