"""`taybac rebuild_search_index`: rewrite the search index and vocabulary from the catalogue."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from taybac.search.backends import get_backend, tantivy_index, tantivy_wanted
from taybac.search.indexing import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the product search index (after bulk imports, restores or an index migration)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000, help="products per insert batch")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = rebuild_index(batch_size=max(1, options["batch_size"]), queue=False)
        if tantivy_wanted():  # the operator's command writes the index file itself rather than queue it
            tantivy_index.write(None)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Indexed {count} products with {get_backend().name} in {seconds:.1f} s.")
