from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Indicators for provinces and producers, demand forecasts and production advice (docs/insights.md)."""

    name = "taybac.insights"
    verbose_name = "Số liệu và dự báo"
