from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "taybac.search"
    label = "search"
    verbose_name = "Tìm kiếm"

    def ready(self) -> None:
        """Keep the index current from the catalogue's hooks (the catalogue may not import search)."""
        from taybac.catalog import hooks
        from taybac.search.indexing import reindex_products, reindex_shops

        hooks.on_products_changed(reindex_products)
        hooks.on_shops_changed(reindex_shops)
