from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "taybac.search"
    label = "search"
    verbose_name = "Tìm kiếm"

    def ready(self) -> None:
        """Keep the index current from the catalogue's hooks (the catalogue may not import search)."""
        from django.db.models.signals import post_delete, post_migrate, post_save

        from taybac.catalog import hooks
        from taybac.search import synonyms
        from taybac.search.indexing import reindex_products, reindex_shops
        from taybac.search.models import Synonym

        hooks.on_products_changed(reindex_products)
        hooks.on_shops_changed(reindex_shops)
        post_save.connect(synonyms.invalidate, sender=Synonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(synonyms.invalidate, sender=Synonym, dispatch_uid="search-synonyms-deleted")
        post_migrate.connect(build_missing_index, sender=self, dispatch_uid="search-build-index")


def _test_database() -> bool:
    """Whether `migrate` just built a test database (its index would land in the developer's data directory)."""
    from pathlib import Path

    from django.db import connection

    name, test = str(connection.settings_dict.get("NAME") or ""), connection.settings_dict.get("TEST") or {}
    in_memory = name.startswith("file:memorydb") or name == ":memory:"
    return in_memory or name == str(test.get("NAME") or "") or Path(name).name.startswith("test_")


def build_missing_index(**_: object) -> None:
    """After `migrate` (every deployment, `taybac demo`): build the tantivy index if it is wanted and missing or
    of an older schema, so later updates have an index to go to. Never fails the migration: without an index
    the database's engine answers, and `taybac rebuild_search_index` builds it."""
    import logging

    from taybac.search.backends import tantivy_index, tantivy_wanted

    if not tantivy_wanted() or tantivy_index.is_ready() or _test_database():
        return
    try:
        count = tantivy_index.write(None)
    except Exception:  # a locked or unwritable directory must not stop a deployment
        logging.getLogger("taybac.search").exception("Could not build the search index after migrate")
        return
    logging.getLogger("taybac.search").info("Search index built: %d products", count)
