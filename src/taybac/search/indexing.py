"""Keeping the search index in step with the catalogue.

The catalogue announces changed products and shops through its hooks (catalog/hooks.py; registered in
SearchConfig.ready), and `reindex_products` / `reindex_shops` run once the change has committed, each in its
own transaction. They read the committed rows rather than trusting the announcement, so two writers' hooks
running in either order leave the newest state; a hook that fails is logged and `rebuild_index` repairs it.
They write only the shared tables (SearchEntry, SearchTerm); each backend's full-text structure follows from
them inside the database (see migration 0002).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from taybac.catalog.models import Product
from taybac.catalog.sanitize import description_to_text
from taybac.core.text import fold_words
from taybac.regions.models import ProvinceAlias
from taybac.search.models import MAX_TERM_LENGTH, SearchEntry, SearchTerm

BATCH = 500
Document = tuple[str, str, str]  # (name, context, body), folded words joined by spaces


def _joined(*texts: str) -> str:
    return " ".join(w for text in texts for w in fold_words(text))


def _commune_words(name: str, division_type: str) -> str:
    """'Xã Suối Giàng' -> 'suoi giang': the unit type would make every shop match "xa"."""
    words, kind = fold_words(name), fold_words(division_type)
    if kind and words[: len(kind)] == kind:
        words = words[len(kind) :]
    return " ".join(words)


def build_document(product: Product, aliases: Iterable[str] = ()) -> Document:
    """The folded text a product is found by. Needs shop, its province and commune, and category loaded."""
    shop = product.shop
    context = " ".join(
        filter(
            None,
            [
                _joined(product.category.name, shop.name),
                _commune_words(shop.commune.name, shop.commune.division_type),
                shop.province.name_folded,
                _joined(*aliases),
                _joined(product.geographical_indication),
            ],
        )
    )
    body = _joined(description_to_text(product.description_html or ""))
    return _joined(product.name), context, body


def _terms(document: Document) -> set[str]:
    return {w for text in document for w in text.split() if len(w) <= MAX_TERM_LENGTH}


def _aliases_by_province(province_ids: Iterable[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for province_id, name in (
        ProvinceAlias.objects.filter(province_id__in=set(province_ids))
        .order_by("id")
        .values_list("province_id", "name")
    ):
        found[province_id].append(name)
    return found


def _documents(products: list[Product]) -> dict[int, Document]:
    """Documents of the searchable ones among these products: active, in an active shop."""
    live = [p for p in products if p.is_active and p.shop.is_active]
    aliases = _aliases_by_province(p.shop.province_id for p in live)
    return {p.pk: build_document(p, aliases.get(p.shop.province_id, ())) for p in live}


def _products(ids: list[int]) -> list[Product]:
    """The products with what their document needs. On PostgreSQL the product rows are locked so two
    writers reindexing the same product take turns instead of both inserting its entry."""
    return list(
        Product.objects.filter(pk__in=ids)
        .select_for_update(of=("self",))
        .select_related("shop", "shop__province", "shop__commune", "category")
    )


def _apply_term_delta(delta: Counter[str]) -> None:
    """Add or remove document counts in the vocabulary; words no entry holds any more are dropped.

    Rows are locked in term order first so concurrent writers on PostgreSQL queue instead of deadlocking.
    """
    changed = sorted(t for t, d in delta.items() if d)
    if not changed:
        return
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t, doc_count=0) for t in changed if delta[t] > 0], ignore_conflicts=True
    )
    list(
        SearchTerm.objects.select_for_update().filter(term__in=changed).order_by("term").values_list("term", flat=True)
    )
    by_delta: dict[int, list[str]] = defaultdict(list)
    for term in changed:
        by_delta[delta[term]].append(term)
    for amount, terms in sorted(by_delta.items()):
        SearchTerm.objects.filter(term__in=terms).update(doc_count=Greatest(F("doc_count") + amount, 0))
    gone = [t for t in changed if delta[t] < 0]
    if gone:
        SearchTerm.objects.filter(term__in=gone, doc_count=0).delete()


def _chunks(values: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(values)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def reindex_products(product_ids: Iterable[int]) -> None:
    """Bring the index rows of these products in line with the catalogue (in the caller's transaction, if any).

    A product that is inactive, in an inactive shop, or deleted loses its row; unchanged text writes nothing
    (a price or stock change costs three reads).
    """
    ids = sorted({int(pk) for pk in product_ids})
    with transaction.atomic(savepoint=False):
        for chunk in _chunks(ids, BATCH):
            _reindex_chunk(chunk)
        queue_index_file(ids)


def queue_index_file(ids: list[int] | None) -> None:
    """With the tantivy backend, queue the rewrite of these documents (all when None) for the job runner once
    the transaction commits: even an unchanged text may come with a new price, OCOP star or rating."""
    from taybac.search.backends import tantivy_wanted

    if ids == [] or not tantivy_wanted():
        return
    from taybac.search.tasks import sync_search_index

    transaction.on_commit(lambda: sync_search_index(ids), robust=True)


def _reindex_chunk(ids: list[int]) -> None:
    new = _documents(_products(ids))
    old = {e.product_id: (e.name, e.context, e.body) for e in SearchEntry.objects.filter(product_id__in=ids)}
    changed = [pk for pk in ids if old.get(pk) != new.get(pk)]
    if not changed:
        return
    stale = [pk for pk in changed if pk in old]
    if stale:
        SearchEntry.objects.filter(product_id__in=stale).delete()
    SearchEntry.objects.bulk_create(
        [
            SearchEntry(product_id=pk, name=new[pk][0], context=new[pk][1], body=new[pk][2])
            for pk in changed
            if pk in new
        ]
    )
    delta: Counter[str] = Counter()
    for pk in changed:
        before = _terms(old[pk]) if pk in old else set()
        after = _terms(new[pk]) if pk in new else set()
        delta.update(dict.fromkeys(after - before, 1))
        delta.update(dict.fromkeys(before - after, -1))
    _apply_term_delta(delta)


def reindex_shops(shop_ids: Iterable[int]) -> None:
    """After a shop is renamed, moved or (de)activated: reindex all its products."""
    ids = Product.objects.filter(shop_id__in=list(shop_ids)).values_list("pk", flat=True)
    reindex_products(list(ids))


@transaction.atomic
def rebuild_index(*, batch_size: int = 2000, queue: bool = True) -> int:
    """Rewrite the whole index and vocabulary from the catalogue; returns the number of indexed products.

    Safe at any time (one transaction: searches see the old index until it commits); use it after bulk
    imports that bypassed the catalogue services, or after restoring a database. With `queue`, the tantivy
    index file is rewritten by the job runner after the commit (the management command writes it itself).
    """
    from taybac.search.backends import get_backend

    SearchEntry.objects.all().delete()
    SearchTerm.objects.all().delete()
    counts: Counter[str] = Counter()
    total = 0
    qs = (
        Product.objects.filter(is_active=True, shop__is_active=True)
        .select_related("shop", "shop__province", "shop__commune", "category")
        .order_by("pk")
    )
    aliases = _aliases_by_province(qs.values_list("shop__province_id", flat=True).distinct())
    batch: list[SearchEntry] = []
    for product in qs.iterator(chunk_size=batch_size):
        doc = build_document(product, aliases.get(product.shop.province_id, ()))
        counts.update(_terms(doc))
        batch.append(SearchEntry(product_id=product.pk, name=doc[0], context=doc[1], body=doc[2]))
        if len(batch) >= batch_size:
            SearchEntry.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
    total += len(batch)
    SearchTerm.objects.bulk_create([SearchTerm(term=t, doc_count=n) for t, n in counts.items()], batch_size=batch_size)
    get_backend().after_rebuild()
    if queue:
        queue_index_file(None)
    return total
