from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    """Carriers, shipments, consolidation at commune post offices and pickup-run routing (docs/logistics.md)."""

    name = "taybac.logistics"
    label = "logistics"
    verbose_name = "Vận chuyển"
