from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "taybac.web"
    label = "web"
    verbose_name = "Trang web"
