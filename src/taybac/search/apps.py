from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "taybac.search"
    label = "search"
    verbose_name = "Tìm kiếm"
