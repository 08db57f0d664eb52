from importlib import import_module

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _ensure_rate_table(sender: AppConfig, **kwargs: object) -> None:
    """The hub network prices every checkout, so a database always needs a rate table: the one migration 0002
    seeds, put back after a flush (tests, `flush`) as catalog puts back the regions. Never touches an existing one."""
    import_module("taybac.logistics.migrations.0002_seed_default_rate_table").seed(apps, None)


class LogisticsConfig(AppConfig):
    """Carriers, shipments, consolidation at commune post offices and pickup-run routing (docs/logistics.md)."""

    name = "taybac.logistics"
    label = "logistics"
    verbose_name = "Vận chuyển"

    def ready(self) -> None:
        """Checkout (orders, a lower layer) asks the carriers for shipping options through this provider."""
        from taybac.logistics.options import CarrierOptions
        from taybac.orders.shipping import register_provider

        register_provider(provider=CarrierOptions())
        post_migrate.connect(_ensure_rate_table, sender=self, dispatch_uid="logistics-rate-table")
