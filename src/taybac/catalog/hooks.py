"""What the catalogue tells the apps above it after a change commits.

Apps that keep data derived from the catalogue (search's index today) depend on it, so the catalogue may not
import them (docs/architecture.md). Instead they register a hook here from their AppConfig.ready(), and
every catalogue write announces the products or shops it changed. Hooks run once the writer's transaction
has committed, in their own transaction: a change that rolls back announces nothing, and a slow or failing
hook cannot hold the catalogue's locks or undo a committed change (its error is logged by Django, and
`taybac rebuild_search_index` repairs the index).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

Hook = Callable[[list[int]], None]

_product_hooks: list[Hook] = []
_shop_hooks: list[Hook] = []


def on_products_changed(hook: Hook) -> Hook:
    """Call `hook(product_ids)` after each committed change to products, their variants or certificates."""
    if hook not in _product_hooks:
        _product_hooks.append(hook)
    return hook


def on_shops_changed(hook: Hook) -> Hook:
    """Call `hook(shop_ids)` after each committed change to shops (name, place, opening or closing)."""
    if hook not in _shop_hooks:
        _shop_hooks.append(hook)
    return hook


def _bound(hook: Hook, ids: list[int]) -> Callable[[], None]:
    def call() -> None:
        hook(ids)

    call.__qualname__ = f"{hook.__module__}.{hook.__qualname__}"  # Django names it when it fails
    return call


def _announce(hooks: list[Hook], ids: Iterable[int]) -> None:
    changed = sorted({int(pk) for pk in ids})
    if not changed:
        return
    for hook in list(hooks):
        transaction.on_commit(_bound(hook, changed), robust=True)


def products_changed(product_ids: Iterable[int]) -> None:
    """Announce changed products to the registered hooks once the current transaction commits."""
    _announce(_product_hooks, product_ids)


def shops_changed(shop_ids: Iterable[int]) -> None:
    """Announce changed shops to the registered hooks once the current transaction commits."""
    _announce(_shop_hooks, shop_ids)
