from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "taybac.orders"
    label = "orders"
    verbose_name = "Đơn hàng"
