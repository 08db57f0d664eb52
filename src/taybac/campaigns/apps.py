from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Selling events: harvest sales windows, online fairs, livestream sessions, vouchers (docs/selling-events.md)."""

    name = "taybac.campaigns"
    verbose_name = "Sự kiện bán hàng"
