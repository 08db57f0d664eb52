from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "taybac.payments"
    label = "payments"
    verbose_name = "Thanh toán"
