"""Links to an order that the assistant's replies carry: the order page and its VietQR image, the same signed
links the site's checkout hands out.

The signing lives in the web layer (web/order_links.py), above the assistant, so web registers it here from its
AppConfig.ready() (the project's hook pattern, as search registers with catalog/hooks.py). Without it (a process
that loads no web app) the reply falls back to the look-up page, where the buyer types code and phone.
"""

from __future__ import annotations

from collections.abc import Callable

OrderUrl = Callable[[str], str]  # order code -> "/don-hang/<code>/?k=<signed key>"

_order_url: list[OrderUrl] = []


def register_order_url(make: OrderUrl) -> None:
    """Called once by the web app: how to make a signed link to an order's page."""
    _order_url[:] = [make]


def order_links(code: str) -> tuple[str, str]:
    """(order page, VietQR PNG) links for the order; the look-up page twice when no signer is registered."""
    if not _order_url:
        lookup = f"/tra-cuu/?ma={code}"
        return lookup, lookup
    page = _order_url[0](code)
    path, _, query = page.partition("?")
    return page, f"{path}vietqr.png" + (f"?{query}" if query else "")
