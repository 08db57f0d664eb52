from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "taybac.fulfilment"
    label = "fulfilment"
    verbose_name = "Giao nhận đơn hàng"
