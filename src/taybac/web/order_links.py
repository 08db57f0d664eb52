"""Who may open an order's page without the phone number in its address.

The order page, its receipts and the buyer's cancel and return pages are opened either by the signed-in buyer
the order belongs to (placed while signed in, or as a guest with the phone the sign-in code proved), or through
a short-lived signed link: `?k=<timestamp>:<signature>` over the order code (django.core.signing, the project's
SECRET_KEY, salt below). The link never holds the phone: browser history, shared screenshots and the
Referer of a later page keep only the code and a key that stops working after LINK_MINUTES. The look-up form
(/tra-cuu/, code + phone, POST) and the checkout hand out these links; the JSON API keeps `?phone=`
(docs/api.md, docs/security.md).
"""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest
from django.utils.http import urlencode

from taybac.orders.models import Order
from taybac.orders.returns import owns_order
from taybac.payments.selectors import OrderDue, order_due

SALT = "taybac.web.order-link"
LINK_MINUTES = 60  # long enough to pay by transfer and come back; short enough that a shared link soon expires
PARAM = "k"
_signer = signing.TimestampSigner(salt=SALT)


def order_key(code: str) -> str:
    """The key of a signed link to this order (the code itself is in the path, so it is left out here)."""
    signed = _signer.sign(code.upper())
    return signed.split(_signer.sep, 1)[1]


def key_opens(key: str, code: str) -> bool:
    """True if `key` was signed for this order code less than LINK_MINUTES ago."""
    if not key or len(key) > 100:
        return False
    try:
        _signer.unsign(f"{code.upper()}{_signer.sep}{key}", max_age=LINK_MINUTES * 60)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return False
    return True


def order_url(code: str, *, shop_code: str = "") -> str:
    """A signed link to the order page (or to one shop order's receipt)."""
    path = f"/don-hang/{code}/" + (f"bien-nhan/{shop_code}/" if shop_code else "")
    return f"{path}?{urlencode({PARAM: order_key(code)})}"


def may_open(request: HttpRequest, order: Order) -> bool:
    """The order's buyer, or whoever holds a fresh signed link to it."""
    user = request.user if request.user.is_authenticated else None
    return owns_order(order=order, user=user) or key_opens(request.GET.get(PARAM, ""), order.code)


def order_due_for(request: HttpRequest, code: str) -> OrderDue:
    """The order page's content for a visitor who may open it; anyone else (and a wrong or expired key) gets the
    same 404, never a hint of whether the order exists."""
    code = code.upper()
    found = Order.objects.filter(code=code).values_list("pk", "buyer_id", "contact_phone").first()
    if found is not None:
        pk, buyer_id, phone = found
        probe = Order(pk=pk, code=code, buyer_id=buyer_id, contact_phone=phone)
        if may_open(request, probe):
            return order_due(pk)
    raise Http404("Không tìm thấy đơn hàng, hoặc liên kết đã hết hạn: hãy tra cứu lại bằng mã đơn và số điện thoại.")
