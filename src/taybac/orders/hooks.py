"""What the order state machine tells the apps above it, inside the transition's transaction.

Payments keeps money derived from a shop order (the tax withheld on its sale) but orders may not import it
(docs/architecture.md). So payments registers a hook here from its AppConfig.ready(), and orders.lifecycle calls
it when a shop order is cancelled or returned. Unlike catalog.hooks these run before commit, in the same
transaction: the offset of the withheld tax must exist exactly when the cancellation does.
"""

from __future__ import annotations

from collections.abc import Callable

from taybac.orders.models import ShopOrder

Hook = Callable[[ShopOrder], object]

_undone_hooks: list[Hook] = []


def on_shop_order_undone(hook: Hook) -> Hook:
    """Call `hook(shop_order)` inside each transition to cancelled or returned."""
    if hook not in _undone_hooks:
        _undone_hooks.append(hook)
    return hook


def shop_order_undone(shop_order: ShopOrder) -> None:
    """Tell the registered hooks that `shop_order` was just cancelled or returned (not yet committed)."""
    for hook in list(_undone_hooks):
        hook(shop_order)
