"""Model objects -> plain dicts for the response schemas. They read only what the selectors loaded."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest

from taybac.catalog.models import Product, ProductPhoto, Shop, Variant
from taybac.orders.models import ShopOrder
from taybac.orders.shipping import ShippingOption
from taybac.payments.selectors import OrderDue
from taybac.regions.models import Commune, PickupPoint, Province


def province_ref(province: Province) -> dict[str, Any]:
    return {"code": province.code, "name": province.name}


def province(p: Province) -> dict[str, Any]:
    """Needs `aliases` prefetched."""
    return {
        "code": p.code,
        "name": p.name,
        "codename": p.codename,
        "division_type": p.division_type,
        "phone_code": p.phone_code,
        "in_region": p.in_region,
        "old_names": sorted({a.name for a in p.aliases.all()}),
    }


def commune(c: Commune) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "codename": c.codename,
        "division_type": c.division_type,
        "province_code": c.province_id,
    }


def shop(s: Shop) -> dict[str, Any]:
    """Needs province, commune and producer joined and `product_count` annotated."""
    return {
        "slug": s.slug,
        "name": s.name,
        "description": s.description,
        "producer_kind": s.producer.kind,
        "province": province_ref(s.province),
        "commune": {"code": s.commune.code, "name": s.commune.name},
        "product_count": getattr(s, "product_count", 0),
    }


def variant(v: Variant) -> dict[str, Any]:
    return {
        "id": v.pk,
        "sku": v.sku,
        "name": v.name,
        "unit": v.unit,
        "weight_grams": v.weight_grams,
        "price": v.price,
        "gtin": v.gtin,
        "stock": max(0, v.quantity - v.allocated),
    }


def photo(request: HttpRequest, ph: ProductPhoto) -> dict[str, Any]:
    absolute = request.build_absolute_uri
    return {
        "src": absolute(ph.src),
        "srcset": ", ".join(f"{absolute(ph.url(w))} {w}w" for w in ph.widths),
        "width": ph.width,
        "height": ph.height,
        "alt": ph.alt,
    }


def product_card(request: HttpRequest, p: Product, *, today: datetime.date | None = None) -> dict[str, Any]:
    """Needs shop, shop.province, category and ocop joined; photos and active variants prefetched."""
    today = today or datetime.date.today()
    variants = list(p.variants.all())
    photos = list(p.photos.all())
    cert = getattr(p, "ocop", None)
    prices = [v.price for v in variants]
    return {
        "id": p.pk,
        "name": p.name,
        "url": request.build_absolute_uri(p.get_absolute_url()),
        "price": min(prices) if prices else getattr(p, "min_price", None),
        "province": province_ref(p.shop.province),
        "shop": {"slug": p.shop.slug, "name": p.shop.name},
        "category": {"slug": p.category.slug, "name": p.category.name, "name_en": p.category.name_en},
        "ocop_stars": cert.stars if cert is not None and cert.is_valid(today) else None,
        "in_season": p.in_season(today),
        "rating": {"count": p.rating_count, "average": p.rating_average},
        "sold": p.sold_count,
        "photo": photo(request, photos[0]) if photos else None,
        "variants": [variant(v) for v in variants],
    }


def product_detail(request: HttpRequest, p: Product) -> dict[str, Any]:
    """Needs what product_card needs plus shop.commune (catalog.selectors.product_detail loads it all)."""
    today = datetime.date.today()
    data = product_card(request, p, today=today)
    cert = getattr(p, "ocop", None)
    data.update(
        {
            "description_html": p.description_html,
            "geographical_indication": p.geographical_indication,
            "season_months": p.season_months,
            "next_harvest": p.next_harvest,
            "preorder_allowed": p.preorder_allowed,
            "ocop": None
            if cert is None
            else {
                "stars": cert.stars,
                "issuer": cert.issuer,
                "number": cert.number,
                "issued_on": cert.issued_on,
                "expires_on": cert.expires_on,
                "valid": cert.is_valid(today),
            },
            "photos": [photo(request, ph) for ph in p.photos.all()],
            "commune": {"code": p.shop.commune.code, "name": p.shop.commune.name},
        }
    )
    return data


def shipping_option(option: ShippingOption) -> dict[str, Any]:
    return {
        "id": option.id,
        "carrier": option.carrier,
        "carrier_name": option.carrier_name,
        "service": option.service,
        "name": option.name,
        "fee": option.fee,
        "cod_fee": option.cod_fee,
        "eta_days_min": option.eta_days_min,
        "eta_days_max": option.eta_days_max,
    }


def shop_order_shipping(so: ShopOrder) -> dict[str, Any]:
    """The option recorded on the shop order when it was placed (no query: its own columns)."""
    return {
        "carrier": so.shipping_carrier,
        "service": so.shipping_service,
        "name": so.shipping_service_name,
        "fee": so.shipping_fee,
        "cod_fee": so.shipping_cod_fee,
        "eta_days_min": so.shipping_eta_days_min,
        "eta_days_max": so.shipping_eta_days_max,
    }


def pickup_point_out(point: PickupPoint | None) -> dict[str, Any] | None:
    if point is None:
        return None
    address = point.address
    return {
        "code": point.code,
        "name": point.name,
        "address": f"{address.street}, {address.commune.name}",
        "opening_hours": point.opening_hours,
    }


def order_out(due: OrderDue) -> dict[str, Any]:
    """An order with its shop orders, lines, recorded shipping and what is paid and due (api/orders.py)."""
    order = due.order
    shop_orders = []
    for part in due.parts:
        so, transfer = part.shop_order, part.transfer
        shop_orders.append(
            {
                "code": so.code,
                "shop": so.shop.name,
                "status": so.status,
                "items_total": so.items_total,
                "shipping_fee": so.shipping_fee,
                "shipping": shop_order_shipping(so),
                "discount": so.discount,
                "total": so.total,
                "reserved_until": so.reserved_until,
                "lines": [
                    {
                        "variant_id": li.variant_id,
                        "product_name": li.product_name,
                        "variant_name": li.variant_name,
                        "unit_price": li.unit_price,
                        "quantity": li.quantity,
                        "line_total": li.line_total,
                    }
                    for li in so.lines.all()
                ],
                "payment": {
                    "method": order.payment_method,
                    "paid": part.paid,
                    "due": part.due,
                    "vietqr": transfer.vietqr if transfer else None,
                    "transfer": transfer.__dict__ if transfer else None,
                },
            }
        )
    return {
        "code": order.code,
        "created_at": order.created_at,
        "payment_method": order.payment_method,
        "total": due.total,
        "payment": {
            "method": order.payment_method,
            "paid": due.paid,
            "due": due.owed,
            "credit": due.credit,
            "transfer": due.transfer.__dict__ if due.transfer else None,
        },
        "pickup_point": pickup_point_out(order.pickup_point),
        "shop_orders": shop_orders,
    }
