from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "taybac.api"
    label = "api"
    verbose_name = "API"
