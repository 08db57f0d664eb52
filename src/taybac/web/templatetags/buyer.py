"""Template tags of the buyer's pages: the header's account links, and what a buyer may do with a shop order."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Sum
from django.utils import timezone
from django.utils.http import urlencode

from taybac.accounts.models import Role, User
from taybac.accounts.phone import display_phone
from taybac.accounts.selectors import managed_producers, saved_addresses_of
from taybac.fulfilment.buyer import BUYER_CANCELLABLE
from taybac.orders.models import ReturnRequest, ShopOrder, Status
from taybac.orders.returns import return_deadline
from taybac.payments.payouts import refundable
from taybac.web import order_links

register = template.Library()
SELLING_ROLES = (Role.PRODUCER, Role.HELPER)


def _signed_in(context: template.Context) -> User | None:
    """The page's signed-in user; None for a visitor, and on error pages rendered before the authentication
    middleware set `request.user` (a refused Host, a 404 raised early)."""
    user = getattr(context.get("request"), "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


@register.inclusion_tag("web/buyer/_nav.html", takes_context=True)
def account_nav(context: template.Context) -> dict[str, Any]:
    """The header's links: Đơn mua, Địa chỉ, Bán hàng (for someone who runs or helps run a shop), Đăng xuất."""
    user = _signed_in(context)
    signed_in = user is not None
    sells = user is not None and (user.role in SELLING_ROLES or managed_producers(user).exists())
    certifies = user is not None and (user.is_staff or user.role in (Role.OFFICER, Role.OPERATOR))  # views_brands
    return {"signed_in": signed_in, "sells": sells, "certifies": certifies, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def buyer_state(context: template.Context, so: ShopOrder) -> dict[str, Any]:
    """What the order page offers for one shop order: cancel (before packing), ask for a return (within the days
    after delivery), the return's answer, and the refund (owed, sent). Queries only for shop orders past
    delivery or undone, so a usual order page costs nothing more."""
    request = context.get("request")
    key = request.GET.get(order_links.PARAM, "") if request is not None else ""
    state: dict[str, Any] = {
        "cancellable": so.status in BUYER_CANCELLABLE,
        "query": f"?{urlencode({order_links.PARAM: key})}" if key else "",
    }
    if so.status in (Status.DELIVERED, Status.RETURNED):
        state["return"] = ReturnRequest.objects.filter(shop_order=so).first()
        if state["return"] is None and so.status == Status.DELIVERED:
            deadline = return_deadline(shop_order=so)
            state["deadline"] = deadline if deadline and deadline >= timezone.now() else None
    if so.status in (Status.CANCELLED, Status.RETURNED):
        state["refund_owed"] = refundable(shop_order=so)
        state["refunded"] = so.refunds.aggregate(total=Sum("amount"))["total"] or 0
    return state


@register.inclusion_tag("web/buyer/_checkout_addresses.html", takes_context=True)
def checkout_addresses(context: template.Context) -> dict[str, Any]:
    """The signed-in buyer's saved addresses as one-tap choices on the checkout form: each posts its fields back
    to the cart with "Tính phí", which only re-renders the quote with the form filled in (nothing is placed)."""
    user = _signed_in(context)
    addresses = saved_addresses_of(user) if user is not None else []
    filled = context.get("form") or {}
    return {"addresses": addresses, "open": not filled.get("ten"), "csrf_token": context.get("csrf_token")}


@register.filter
def local_phone(e164: str) -> str:
    """'+84912345678' → '0912 345 678', as the checkout form shows a phone."""
    try:
        return display_phone(e164)
    except Exception:  # a malformed stored number is shown as it is
        return e164
