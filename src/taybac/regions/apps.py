from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "taybac.regions"
    label = "regions"
    verbose_name = "Địa giới hành chính"
