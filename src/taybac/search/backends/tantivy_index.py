"""The tantivy index on disk: schema, one writer at a time, readers in every process.

The index is a copy of `SearchEntry` (the folded text, still the source of truth in the database) plus what
filters and sorts need (province, category, OCOP, cheapest active price, harvest months, date, rating), kept in
$TAYBAC_DATA_DIR/search-index. Writes come from the job runner (`taybac.search.tasks`): after a catalogue
change commits, `reindex_products` queues the product ids and one job rewrites their documents; tantivy's lock
file makes a second writer wait (retried) instead of corrupting anything. Readers reload when a commit lands
(tantivy watches the index's meta file), so every web process sees a change a moment after the job commits.
If the directory is lost, `taybac rebuild_search_index` (or the nightly job) writes it again from the database.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from taybac.catalog.models import Product

try:
    import tantivy as _tantivy
except ImportError:  # not installed (an environment built from an older lock): the database's engine answers
    _tantivy = None  # type: ignore[assignment]
tantivy: Any = _tantivy

logger = logging.getLogger("taybac.search")

INDEX_DIR_NAME = "search-index"
READY = "READY"  # written after the first complete build: until then searches use the database's engine
TEXT_FIELDS = ("name", "context", "body")
PRICE_NONE = 2**62  # no active variant: after every price when sorting low to high
WRITER_HEAP = 50_000_000
WRITER_TRIES = 40  # x 0.25 s: another writer (a rebuild) holds the lock for at most ~10 s
BATCH = 2000

_lock = threading.Lock()
_indexes: dict[Path, tantivy.Index] = {}


def index_dir() -> Path:
    """Read at each call: tests give every test its own data directory."""
    return Path(settings.DATA_DIR) / INDEX_DIR_NAME


SCHEMA_VERSION = "3"  # bump with every schema change: an index of another version is rebuilt, not read


def available() -> bool:
    return tantivy is not None


def is_ready() -> bool:
    """A complete build of the current schema exists (a stat and a tiny read per search)."""
    if tantivy is None:
        return False
    try:
        return (index_dir() / READY).read_text() == SCHEMA_VERSION
    except OSError:
        return False


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        # Text is folded before indexing (taybac.core.text.fold_words): split on spaces, nothing else. Name and
        # context only decide tiers (no frequencies needed); "all" holds the three for matching and BM25.
        b.add_text_field(name, tokenizer_name="folded", index_option="position")
    b.add_text_field("all", tokenizer_name="folded")
    b.add_unsigned_field("pid", stored=True, indexed=True, fast=True)
    b.add_unsigned_field("province", indexed=True)
    b.add_text_field("category", tokenizer_name="raw", index_option="basic")
    b.add_unsigned_field("ocop_stars", indexed=True)
    b.add_unsigned_field("ocop_until", indexed=True)  # date.toordinal() of expiry; 0 = none
    # "1" when the certificate was valid when indexed: the ranking tie-breaker (a term is far cheaper to score
    # than a range); the nightly rewrite catches certificates that expired since. Filters use ocop_until.
    b.add_text_field("ocop_valid", tokenizer_name="raw", index_option="basic")
    b.add_unsigned_field("price", indexed=True, fast=True)  # cheapest active variant, PRICE_NONE if none
    b.add_unsigned_field("price_desc", fast=True)  # the same, 0 if none (last when sorting high to low)
    b.add_unsigned_field("month", indexed=True)  # one value per harvest month
    b.add_unsigned_field("created", fast=True)  # microseconds since the epoch
    b.add_unsigned_field("rating", fast=True)  # average x 1000 (x 10^6), then review count: see rating_key
    return b.build()


SCHEMA = build_schema() if tantivy is not None else None


def _analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def get_index(*, recreate: bool = False) -> tantivy.Index:
    """This process's handle on the index (created empty the first time), reloading on every commit. An index
    left by another schema version raises ValueError, unless `recreate` (a full build) removes it first."""
    path = index_dir()
    with _lock:
        index = _indexes.get(path)
        if index is None:
            if recreate and path.exists() and not is_ready():
                shutil.rmtree(path)
            path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
            index.register_tokenizer("folded", _analyzer())
            index.config_reader(reload_policy="OnCommit")
            _indexes[path] = index
        return index


def equals(field: str, value: int) -> tantivy.Query:
    """An unsigned field equal to `value` (a term query would look the value up as a signed integer)."""
    return tantivy.Query.range_query(SCHEMA, field, tantivy.FieldType.Unsigned, value, value)


def rating_key(rating_total: int, rating_count: int) -> int:
    """Best-rated order in one unsigned number: the average (3 decimals), then the number of reviews."""
    average = round(1000 * rating_total / rating_count) if rating_count else 0
    return average * 1_000_000 + min(rating_count, 999_999)


def _documents(ids: Iterable[int] | None) -> Iterator[tuple[int, tantivy.Document]]:
    qs = (
        Product.objects.filter(search_entry__isnull=False, is_active=True, shop__is_active=True)
        .select_related("search_entry", "category", "shop", "ocop")
        .annotate(cheapest=Min("variants__price", filter=Q(variants__is_active=True)))
        .order_by("pk")
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    today = timezone.localdate()
    for p in qs.iterator(chunk_size=BATCH):
        entry = p.search_entry
        ocop = getattr(p, "ocop", None)
        doc = tantivy.Document()
        doc.add_text("name", entry.name)
        doc.add_text("context", entry.context)
        doc.add_text("body", entry.body)
        for text in (entry.name, entry.context, entry.body):  # three values: a phrase never spans two of them
            doc.add_text("all", text)
        doc.add_text("category", p.category.slug)
        if ocop and ocop.expires_on >= today:
            doc.add_text("ocop_valid", "1")
        unsigned = {
            "pid": p.pk,
            "province": p.shop.province_id,
            "ocop_stars": ocop.stars if ocop else 0,
            "ocop_until": ocop.expires_on.toordinal() if ocop else 0,
            "price": PRICE_NONE if p.cheapest is None else p.cheapest,
            "price_desc": 0 if p.cheapest is None else p.cheapest,
            "created": int(p.created_at.timestamp() * 1_000_000),
            "rating": rating_key(p.rating_total, p.rating_count),
        }
        for field, value in unsigned.items():  # Document(**kwargs) would make them signed: refused by the schema
            doc.add_unsigned(field, value)
        for month in range(1, 13):
            if p.season_mask & (1 << month):
                doc.add_unsigned("month", month)
        yield p.pk, doc


def _writer(index: tantivy.Index) -> Any:
    for attempt in range(WRITER_TRIES):
        try:
            return index.writer(heap_size=WRITER_HEAP, num_threads=1)
        except ValueError:  # LockBusy: another process is writing; it commits within seconds
            if attempt == WRITER_TRIES - 1:
                raise
            time.sleep(0.25)
    raise AssertionError("unreachable")


def write(product_ids: Iterable[int] | None) -> int:
    """Rewrite the documents of these products from the database (all of them when None); returns how many are
    indexed. Products that are gone or not searchable any more just lose their document."""
    if product_ids is not None and not (index_dir() / "meta.json").exists():
        return 0  # no index yet: its first full build reads the database as it then is
    try:
        index = get_index(recreate=product_ids is None)
    except ValueError:  # an index of an older schema: searches use the database until the full rebuild
        logger.warning("Search index of another schema in %s: run `taybac rebuild_search_index`", index_dir())
        return 0
    writer = _writer(index)
    try:
        ids = None if product_ids is None else sorted({int(pk) for pk in product_ids})
        if ids is None:
            writer.delete_all_documents()
        else:
            for pk in ids:
                writer.delete_documents_by_query(equals("pid", pk))
        written = 0
        for _pk, doc in _documents(ids):
            writer.add_document(doc)
            written += 1
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        writer.wait_merging_threads()  # releases the lock now rather than when collected
        raise
    index.reload()
    if product_ids is None:
        (index_dir() / READY).write_text(SCHEMA_VERSION)
    return written
