"""The cart page's "Mã giảm giá" field: the code typed (bounded) and who types it, for the quote and checkout."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict

from taybac.accounts.http import signed_in_user
from taybac.accounts.phone import PhoneError, normalize_phone

FIELD = "ma_giam_gia"
MAX_TYPED = 40  # codes are 3–20 characters; anything longer is refused by orders.vouchers with its message


def voucher_code(data: QueryDict) -> str | None:
    """The code typed, or None when the field is empty."""
    typed = (data.get(FIELD) or "").strip()[:MAX_TYPED]
    return typed or None


def voucher_typed(request: HttpRequest, data: QueryDict) -> dict | None:
    """What the quote needs to show a code's discount: the code, the buyer's phone when it parses (so a used-up
    per-buyer limit shows before "Đặt hàng") and the signed-in account; None without a code."""
    code = voucher_code(data)
    if code is None:
        return None
    try:
        phone: str | None = normalize_phone(data.get("sdt") or "")
    except PhoneError:
        phone = None
    return {"voucher": code, "phone": phone, "buyer": signed_in_user(request)}
