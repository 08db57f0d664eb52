"""Keeping the search index in step with the catalogue (called inside the writer's transaction)."""
from __future__ import annotations

from collections.abc import Iterable


def reindex_products(product_ids: Iterable[int]) -> None:
    """Rebuild the index rows of these products (placeholder until the search backends land)."""
    return None
