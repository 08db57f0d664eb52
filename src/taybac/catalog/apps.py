from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_reference_data(sender, using: str = "default", **kwargs) -> None:
    """Regions and categories are reference data every database needs, demo or production."""
    from taybac.catalog.services import load_categories
    from taybac.regions.models import Commune
    from taybac.regions.services import load_regions

    if Commune.objects.using(using).count() < 3321:
        load_regions()
    load_categories()


class CatalogConfig(AppConfig):
    name = "taybac.catalog"
    label = "catalog"
    verbose_name = "Danh mục sản phẩm"

    def ready(self) -> None:
        post_migrate.connect(_load_reference_data, sender=self)
