from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "taybac.core"
    label = "core"
    verbose_name = "Lõi"
