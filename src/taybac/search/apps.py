from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "taybac.search"
    label = "search"
    verbose_name = "Tìm kiếm"

    def ready(self) -> None:
        """Keep the index current from the catalogue's hooks (the catalogue may not import search)."""
        from django.db.models.signals import post_delete, post_save

        from taybac.catalog import hooks
        from taybac.search import synonyms
        from taybac.search.indexing import reindex_products, reindex_shops
        from taybac.search.models import Synonym

        hooks.on_products_changed(reindex_products)
        hooks.on_shops_changed(reindex_shops)
        post_save.connect(synonyms.invalidate, sender=Synonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(synonyms.invalidate, sender=Synonym, dispatch_uid="search-synonyms-deleted")
